"""Worklists driven by the data: follow-up tasks (care after a claim, replies to answer),
renewal follow-up of expiring policies, complaint tracking (deadlines and assignee)."""

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel, col

from tui_crm.storage.models._base import timestamp_field
from tui_crm.storage.models.policy import Claim, Policy
from tui_crm.storage.types import UtcDateTime

# The renewal worklist reads a unit's policies by end date; care tasks read claims by
# closing date.
POLICY_END_INDEX = Index("ix_policy_unit_end", col(Policy.unit_id), col(Policy.end_date))
CLAIM_CLOSED_INDEX = Index("ix_claim_closed", col(Claim.closed_on))


class ServiceTask(SQLModel, table=True):
    """Something a person must do for a customer by a date (domain-free kinds:
    care_call, satisfaction_call, sms_reply)."""

    __tablename__ = "service_task"
    __table_args__ = (
        UniqueConstraint("kind", "claim_id", "message_id"),
        Index("ix_service_task_open", "status", "due_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    assignee_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    unit_id: int = Field(foreign_key="org_unit.id")
    claim_id: int | None = Field(default=None, foreign_key="claim.id")
    message_id: int | None = Field(default=None, foreign_key="sms_message.id")
    subject: str = Field(default="", max_length=200)
    due_date: date
    status: str = Field(default="open", max_length=12)  # open/done
    created_at: datetime = timestamp_field()
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    done_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    notes: str = Field(default="")


class RenewalFollowUp(SQLModel, table=True):
    """Where the renewal of one expiring policy stands."""

    __tablename__ = "renewal_follow_up"
    policy_id: int = Field(primary_key=True, foreign_key="policy.id")
    # not_contacted/contacted/quoted/renewed/lost
    status: str = Field(default="not_contacted", max_length=16)
    competitor: str | None = Field(default=None, max_length=60)
    reason: str | None = Field(default=None, max_length=200)
    updated_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    updated_at: datetime = timestamp_field()


class ComplaintTrack(SQLModel, table=True):
    """A complaint's way: received → assigned → resolved → confirmed with the customer."""

    __tablename__ = "complaint_track"
    contact_id: int = Field(primary_key=True, foreign_key="service_contact.id")
    cause: str = Field(default="other", max_length=30)
    assignee_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    stage: str = Field(default="received", max_length=12)
    due_date: date
    assigned_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
