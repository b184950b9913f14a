"""SMS leaving the building and coming back: delivery state of each outbound message,
campaigns (a template sent to a list of customers) and who of the list was skipped."""

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel, col

from tui_crm.storage.models._base import timestamp_field
from tui_crm.storage.models.service import SmsMessage
from tui_crm.storage.types import UtcDateTime

# The dispatcher's queue: queued outbound messages in order, without a full scan.
QUEUE_INDEX = Index("ix_sms_message_queue", col(SmsMessage.status), col(SmsMessage.id))


class SmsDelivery(SQLModel, table=True):
    """One outbound message's way through the gateway (1:1 with `sms_message`)."""

    __tablename__ = "sms_delivery"
    message_id: int = Field(primary_key=True, foreign_key="sms_message.id")
    attempts: int = 0
    not_before: datetime | None = Field(default=None, sa_type=UtcDateTime)
    claimed_by: str | None = Field(default=None, max_length=60)
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    provider_id: str | None = Field(default=None, max_length=80, index=True)
    provider_code: str | None = Field(default=None, max_length=40)
    reason: str | None = Field(default=None, max_length=200)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    campaign_id: int | None = Field(default=None, foreign_key="sms_campaign.id", index=True)


class SmsCampaign(SQLModel, table=True):
    __tablename__ = "sms_campaign"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60)
    template_code: str = Field(foreign_key="sms_template.code")
    marketing: bool = False
    source: str = Field(default="", max_length=120)  # worklist, report drill-down, search
    values_json: str = Field(default="{}")
    # draft → (awaiting_approval → approved) → queued → done | cancelled
    status: str = Field(default="draft", max_length=20)
    unit_id: int = Field(foreign_key="org_unit.id")
    created_by_id: int = Field(foreign_key="staff_user.id")
    created_at: datetime = timestamp_field()
    approved_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    approved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    queued_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    not_before: datetime | None = Field(default=None, sa_type=UtcDateTime)
    total: int = 0
    skipped: int = 0


class SmsCampaignMember(SQLModel, table=True):
    """One customer of a campaign: the message they get, or why they were skipped (the
    queued message is the customer's `sms_message` whose `sms_delivery.campaign_id` is
    the campaign's)."""

    __tablename__ = "sms_campaign_member"
    __table_args__ = (UniqueConstraint("campaign_id", "customer_id"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="sms_campaign.id")
    customer_id: int = Field(foreign_key="customer.id")
    phone: str | None = Field(default=None, max_length=20)
    body: str | None = Field(default=None, max_length=600)
    skip_reason: str | None = Field(default=None, max_length=30)
