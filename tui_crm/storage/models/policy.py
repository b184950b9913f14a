"""Product lines, policies, premium receivables and payments, claims, catastrophe events."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import money_field, rate_field, timestamp_field


class ProductLine(SQLModel, table=True):
    __tablename__ = "product_line"
    code: str = Field(max_length=20, primary_key=True)
    name_zh: str = Field(max_length=40)
    name_en: str = Field(max_length=60)
    is_motor: bool = False


class Policy(SQLModel, table=True):
    __tablename__ = "policy"
    __table_args__ = (
        Index("ix_policy_customer_start", "customer_id", "start_date"),
        Index("ix_policy_unit_start", "unit_id", "start_date"),
        Index("ix_policy_start", "start_date"),
        # The last 8 characters (the serial part): search finds a policy by its tail.
        Index("ix_policy_no_tail", text("substr(policy_no, length(policy_no) - 7)")),
    )
    id: int | None = Field(default=None, primary_key=True)
    policy_no: str = Field(max_length=30, unique=True)
    line_code: str = Field(max_length=20, foreign_key="product_line.code")
    # The customer the policy counts for in the CRM (the applicant, 投保人).
    customer_id: int = Field(foreign_key="customer.id")
    insured_id: int | None = Field(default=None, foreign_key="customer.id")  # 被保险人
    vehicle_id: int | None = Field(default=None, foreign_key="vehicle.id", index=True)
    unit_id: int = Field(foreign_key="org_unit.id")
    account_manager_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    intermediary_id: int | None = Field(default=None, foreign_key="intermediary.id", index=True)
    channel: str = Field(default="direct", max_length=12)  # domain.Channel
    is_tender: bool = False  # 招标
    start_date: date
    end_date: date  # last day of cover, inclusive
    sum_insured: Decimal = money_field()
    premium: Decimal = money_field()
    commission: Decimal = money_field()
    status: str = Field(default="active", max_length=12)  # domain.PolicyStatus
    cancelled_on: date | None = None
    renewal_of_id: int | None = Field(default=None, foreign_key="policy.id", index=True)
    surplus_reinsurance: bool = False  # 溢额再保
    facultative_reinsurance: bool = False  # 临分
    coinsurance: bool = False  # 共保
    reinsurance_share: Decimal | None = rate_field()  # ceded share, 0..1
    coinsurance_share: Decimal | None = rate_field()  # our share, 0..1
    coinsurance_lead: bool | None = None
    issued_at: datetime = timestamp_field()


class Receivable(SQLModel, table=True):
    """应收保费: premium due on a policy (an instalment or the whole premium)."""

    __tablename__ = "receivable"
    id: int | None = Field(default=None, primary_key=True)
    policy_id: int = Field(foreign_key="policy.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    due_date: date
    amount: Decimal = money_field()
    paid_amount: Decimal = money_field()
    settled_on: date | None = None


class Payment(SQLModel, table=True):
    __tablename__ = "payment"
    id: int | None = Field(default=None, primary_key=True)
    receivable_id: int = Field(foreign_key="receivable.id", index=True)
    paid_on: date
    amount: Decimal = money_field()
    method: str = Field(default="transfer", max_length=12)  # cash/card/transfer/pos


class CatastropheEvent(SQLModel, table=True):
    __tablename__ = "catastrophe_event"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60)  # e.g. 台风"烟花"
    kind: str = Field(max_length=20)  # typhoon/flood/hail/snow
    start_date: date
    end_date: date
    warned_on: date | None = None  # when the warning went out (for pre-catastrophe insuring)


class Claim(SQLModel, table=True):
    __tablename__ = "claim"
    __table_args__ = (
        Index("ix_claim_customer_report", "customer_id", "report_date"),
        Index("ix_claim_report", "report_date"),
        Index("ix_claim_no_tail", text("substr(claim_no, length(claim_no) - 7)")),
    )
    id: int | None = Field(default=None, primary_key=True)
    claim_no: str = Field(max_length=30, unique=True)
    policy_id: int = Field(foreign_key="policy.id", index=True)
    customer_id: int = Field(foreign_key="customer.id")
    loss_date: date
    report_date: date
    cause: str = Field(max_length=30)  # collision/theft/flood/fire/glass/injury/...
    description: str | None = Field(default=None, max_length=500)
    paid: Decimal = money_field()
    outstanding: Decimal = money_field()  # case reserve still open
    status: str = Field(default="open", max_length=12)  # domain.ClaimStatus
    closed_on: date | None = None
    at_fault: bool = True
    fatal: bool = False
    fraud_suspected: bool = False
    hard_to_settle: bool = False
    catastrophe_event_id: int | None = Field(default=None, foreign_key="catastrophe_event.id")
    handler_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = timestamp_field()
