"""Customer class history, monthly class counts, classification runs and the blacklist workflow."""

from datetime import date, datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field
from tui_crm.storage.types import UtcDateTime


class ClassificationRun(SQLModel, table=True):
    __tablename__ = "classification_run"
    id: int | None = Field(default=None, primary_key=True)
    as_of: date
    rule_version: str = Field(max_length=20)
    started_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    started_at: datetime = timestamp_field()
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    status: str = Field(default="running", max_length=12)  # running/done/cancelled/failed
    # Who runs it: a "running" row whose process is gone on this host is taken over.
    pid: int | None = None
    host: str | None = Field(default=None, max_length=64)
    customers: int = 0
    changes: int = 0


class CustomerClassHistory(SQLModel, table=True):
    """One row per change of class (not per customer per month)."""

    __tablename__ = "customer_class_history"
    __table_args__ = (Index("ix_class_history_customer", "customer_id", "changed_on"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    from_class: str | None = Field(default=None, max_length=12)
    to_class: str = Field(max_length=12)
    changed_on: date = Field(index=True)
    reasons: str | None = None  # JSON list of reason objects
    rule_version: str | None = Field(default=None, max_length=20)
    run_id: int | None = Field(default=None, foreign_key="classification_run.id")
    source: str = Field(default="engine", max_length=12)  # engine/blacklist/lift/manual
    unit_id: int | None = Field(default=None, foreign_key="org_unit.id")


class ClassMonthlyCount(SQLModel, table=True):
    __tablename__ = "class_monthly_count"
    month: date = Field(primary_key=True)  # first day of the month
    unit_id: int = Field(foreign_key="org_unit.id", primary_key=True)
    customer_class: str = Field(max_length=12, primary_key=True)
    count: int = 0


class Threshold(SQLModel, table=True):
    """Business thresholds (classification rules, quotas, lockout...) as editable data."""

    __tablename__ = "threshold"
    code: str = Field(max_length=60, primary_key=True)
    value: str = Field(max_length=60)  # parsed as Decimal/int by the service that owns it
    description_zh: str = Field(default="", max_length=200)
    description_en: str = Field(default="", max_length=200)
    updated_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    updated_at: datetime = timestamp_field()


EVIDENCE_MAX = 2000  # characters of a nomination's evidence, a review's or lift's comment
OPEN_NOMINATION = text("status IN ('pending', 'returned')")
ACTIVE_ENTRY = text("lifted_at IS NULL")


class BlacklistNomination(SQLModel, table=True):
    __tablename__ = "blacklist_nomination"
    # One open nomination per customer, even when two nominators press Enter at once.
    __table_args__ = (
        Index(
            "ux_blacklist_nomination_open",
            "customer_id",
            unique=True,
            sqlite_where=OPEN_NOMINATION,
            postgresql_where=OPEN_NOMINATION,
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    unit_id: int = Field(foreign_key="org_unit.id", index=True)  # the nominator's unit
    nominated_by_id: int = Field(foreign_key="staff_user.id")
    nominated_at: datetime = timestamp_field()
    reasons: str = Field(max_length=200)  # comma-separated domain.BlacklistReason codes
    evidence: str = Field(default="")
    linked_claim_ids: str = Field(default="", max_length=400)  # comma-separated claim ids
    status: str = Field(default="pending", max_length=12, index=True)
    version: int = 1
    submitted_at: datetime = timestamp_field()  # first submission or last resubmission


class BlacklistReview(SQLModel, table=True):
    __tablename__ = "blacklist_review"
    id: int | None = Field(default=None, primary_key=True)
    nomination_id: int = Field(foreign_key="blacklist_nomination.id", index=True)
    reviewer_id: int = Field(foreign_key="staff_user.id")
    decision: str = Field(max_length=12)  # approve/reject/return
    comment: str = Field(default="")
    reviewed_at: datetime = timestamp_field()


class BlacklistEntry(SQLModel, table=True):
    """An approved blacklisting; lifted entries stay for the record."""

    __tablename__ = "blacklist_entry"
    # One active (not lifted) entry per customer.
    __table_args__ = (
        Index(
            "ux_blacklist_entry_active",
            "customer_id",
            unique=True,
            sqlite_where=ACTIVE_ENTRY,
            postgresql_where=ACTIVE_ENTRY,
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    nomination_id: int = Field(foreign_key="blacklist_nomination.id")
    reasons: str = Field(max_length=200)
    approved_by_id: int = Field(foreign_key="staff_user.id")
    approved_at: datetime = timestamp_field()
    lifted_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    lifted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    lift_reason: str | None = None
