"""Staff querying a vehicle by SMS: each staff user's registered mobile with its PIN
(argon2 hash), and every query received (what it asked, how it ended), which the daily
limit per phone counts."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field


class StaffSmsPhone(SQLModel, table=True):
    __tablename__ = "staff_sms_phone"
    staff_id: int = Field(primary_key=True, foreign_key="staff_user.id")
    phone: str = Field(max_length=20, unique=True)
    pin_hash: str = Field(max_length=200)
    registered_by_id: int = Field(foreign_key="staff_user.id")
    registered_at: datetime = timestamp_field()


class StaffSmsQuery(SQLModel, table=True):
    """One CX query: the sender's phone, the staff user it belongs to (if any), the plate
    asked for, the outcome (answered, not_found, wrong_pin, over_limit, unknown_phone) and
    the reply queued (none for an unknown phone or past the limit)."""

    __tablename__ = "staff_sms_query"
    __table_args__ = (Index("ix_staff_sms_query_phone_at", "phone", "received_at"),)
    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=20)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    plate: str = Field(default="", max_length=12)
    outcome: str = Field(max_length=20)
    reply_id: int | None = Field(default=None, foreign_key="sms_message.id")
    received_at: datetime = timestamp_field()
