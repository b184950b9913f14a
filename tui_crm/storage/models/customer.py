"""Customers, their contacts, relationships, corporate groups and intermediaries."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import rate_field, timestamp_field
from tui_crm.storage.types import UtcDateTime


class CorporateGroup(SQLModel, table=True):
    """A parent/subsidiary group (系统/集团客户).

    Members point here with `customer.group_id`; the head is the member without a
    `parent_customer_id`, subsidiaries point at their parent.
    """

    __tablename__ = "corporate_group"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)


class Intermediary(SQLModel, table=True):
    """Agencies, brokers, car dealers and banks that bring business, with commission rates."""

    __tablename__ = "intermediary"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=12)  # domain.IntermediaryKind
    licence_no: str | None = Field(default=None, max_length=40)
    commission_rate: Decimal | None = rate_field()  # default rate; a policy records its own
    unit_id: int = Field(foreign_key="org_unit.id")
    active: bool = True


class CustomerBase(SQLModel):
    kind: str = Field(max_length=12)  # domain.CustomerKind
    name: str = Field(max_length=100)
    id_type: str | None = Field(default=None, max_length=20)  # domain.IdType
    id_number: str | None = Field(default=None, max_length=40)  # normalised: upper, no spaces
    birth_date: date | None = None
    gender: str | None = Field(default=None, max_length=1)  # M / F
    industry: str | None = Field(default=None, max_length=40)
    ownership: str | None = Field(default=None, max_length=20)  # state/private/foreign/collective
    # No index of its own: the (unit_id, …) search indexes below lead with it.
    unit_id: int = Field(foreign_key="org_unit.id")
    account_manager_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="corporate_group.id", index=True)
    parent_customer_id: int | None = Field(default=None, foreign_key="customer.id")
    intermediary_id: int | None = Field(default=None, foreign_key="intermediary.id", index=True)
    # Set when this customer IS an agency/broker/dealer/bank: its own business can make it key.
    as_intermediary_id: int | None = Field(default=None, foreign_key="intermediary.id")
    source: str = Field(default="core", max_length=20)  # domain.CustomerSource
    intention_declared: bool = False  # a floating customer who said they will insure
    lapsed_to_competitor: bool = False
    note: str | None = Field(default=None, max_length=500)


class Customer(CustomerBase, table=True):
    __tablename__ = "customer"
    __table_args__ = (
        Index("ix_customer_id_number", "id_number", postgresql_include=["id"]),
        Index("ix_customer_id_number_rev", "id_number_rev"),
        Index("ix_customer_name_pinyin", "name_pinyin", postgresql_include=["id"]),
        Index("ix_customer_name_initials", "name_initials", postgresql_include=["id"]),
        # Name prefixes (search) and name + birth date (duplicate check) share one index.
        Index("ix_customer_birth", "name", "birth_date", postgresql_include=["id"]),
        # Search: the same prefixes within a clerk's units (unit_id IN … AND name >= …),
        # and the end of a name (given names: 建国 finds 王建国) through expression indexes.
        # On PostgreSQL the prefix indexes carry the id, so a prefix walk reads the index
        # alone (SQLite indexes carry the rowid anyway).
        Index("ix_customer_unit_name", "unit_id", "name", postgresql_include=["id"]),
        Index("ix_customer_unit_initials", "unit_id", "name_initials", postgresql_include=["id"]),
        Index("ix_customer_unit_pinyin", "unit_id", "name_pinyin", postgresql_include=["id"]),
        Index("ix_customer_unit_id_number", "unit_id", "id_number", postgresql_include=["id"]),
        Index("ix_customer_name_last1", text("substr(name, length(name))")),
        Index("ix_customer_name_last2", text("substr(name, length(name) - 1)")),
    )
    id: int | None = Field(default=None, primary_key=True)
    # Search support, maintained by the services on every write.
    id_number_rev: str | None = Field(default=None, max_length=40)  # reversed, for tails
    name_pinyin: str = Field(default="", max_length=400)  # "zhangsan"
    name_initials: str = Field(default="", max_length=100)  # "zs"
    # Current class and flags, written by the classification engine / blacklist workflow.
    customer_class: str = Field(default="floating", max_length=12, index=True)
    class_reasons: str | None = Field(default=None)  # JSON list of reason objects
    class_rule_version: str | None = Field(default=None, max_length=20)
    flag_key: bool = False
    flag_blacklist: bool = False
    flag_renewal_due: bool = False
    version: int = 1  # optimistic locking
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_value_norm", "value_norm"),
        Index("ix_contact_value_rev", "value_rev"),
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    kind: str = Field(max_length=12)  # domain.ContactKind
    value: str = Field(max_length=300)
    value_norm: str | None = Field(default=None, max_length=40)  # phone digits only
    value_rev: str | None = Field(default=None, max_length=40)  # reversed digits, for tails
    is_primary: bool = False
    consent_marketing_sms: bool = False
    consent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    consent_source: str | None = Field(default=None, max_length=40)
    opted_out_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = timestamp_field()


class CustomerRelation(SQLModel, table=True):
    __tablename__ = "customer_relation"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    related_customer_id: int = Field(foreign_key="customer.id", index=True)
    relation: str = Field(max_length=20)  # domain.RelationKind
    vehicle_id: int | None = Field(default=None, foreign_key="vehicle.id")
    note: str | None = Field(default=None, max_length=200)


class CustomerUnitMove(SQLModel, table=True):
    """A customer moved to another serving unit by a manager (history, never overwritten)."""

    __tablename__ = "customer_unit_move"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    from_unit_id: int = Field(foreign_key="org_unit.id")
    to_unit_id: int = Field(foreign_key="org_unit.id")
    moved_by_id: int = Field(foreign_key="staff_user.id")
    moved_at: datetime = timestamp_field()
    reason: str | None = Field(default=None, max_length=200)


class RecentView(SQLModel, table=True):
    """The customers a user opened lately (the counter's 'recently viewed' list)."""

    __tablename__ = "recent_view"
    staff_id: int = Field(foreign_key="staff_user.id", primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    viewed_at: datetime = timestamp_field(index=True)
