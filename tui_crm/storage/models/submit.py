"""Recent submits: what each user saved in the last seconds, so that the same form sent
twice (Ctrl+S pressed twice, Enter repeated) is done once."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tui_crm.storage.types import UtcDateTime


class RecentSubmit(SQLModel, table=True):
    __tablename__ = "recent_submit"
    __table_args__ = (Index("ux_recent_submit", "staff_id", "kind", "fingerprint", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_user.id")
    kind: str = Field(max_length=32)  # what was submitted: sms, service_contact, customer
    fingerprint: str = Field(max_length=64)  # sha-256 of what was submitted
    entity_id: int | None = None  # the record the first submit made
    submitted_at: datetime = Field(sa_type=UtcDateTime)
