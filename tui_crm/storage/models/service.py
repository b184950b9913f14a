"""Service contacts (visits, calls, 95585, complaints), SMS templates and messages, documents."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field
from tui_crm.storage.types import UtcDateTime

SUBJECT_MAX = 200  # characters; longer input is refused, not cut
NOTES_MAX = 2000


class ServiceContact(SQLModel, table=True):
    __tablename__ = "service_contact"
    __table_args__ = (Index("ix_service_contact_customer", "customer_id", "occurred_at"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    kind: str = Field(max_length=20)  # domain.ServiceKind
    occurred_at: datetime = timestamp_field()
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    subject: str = Field(default="", max_length=SUBJECT_MAX)
    notes: str = Field(default="")
    policy_id: int | None = Field(default=None, foreign_key="policy.id")
    claim_id: int | None = Field(default=None, foreign_key="claim.id")
    complaint_status: str | None = Field(default=None, max_length=12)  # open/resolved
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    satisfaction: int | None = None  # 1..5
    document_path: str | None = Field(default=None, max_length=400)


class SmsTemplate(SQLModel, table=True):
    __tablename__ = "sms_template"
    code: str = Field(max_length=40, primary_key=True)
    name: str = Field(max_length=60)
    body: str = Field(max_length=500)
    marketing: bool = False  # marketing SMS need consent and carry an opt-out line
    active: bool = True
    updated_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    updated_at: datetime = timestamp_field()


class SmsMessage(SQLModel, table=True):
    __tablename__ = "sms_message"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    phone: str = Field(max_length=20)
    direction: str = Field(max_length=3)  # out/in
    template_code: str | None = Field(default=None, foreign_key="sms_template.code")
    body: str = Field(max_length=600)
    status: str = Field(default="queued", max_length=12)  # queued/sent/delivered/failed/received
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = timestamp_field()
