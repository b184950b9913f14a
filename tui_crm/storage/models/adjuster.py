"""Loss adjusters on duty: the roster of shifts per unit, and each unit's service phone
(the last fallback a care SMS names when no adjuster is on duty)."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field
from tui_crm.storage.types import UtcDateTime


class AdjusterShift(SQLModel, table=True):
    """One adjuster on duty for one unit from `starts_at` to `ends_at` (UTC, end
    exclusive): a staff user (`staff_id`) or a named outside adjuster (`staff_id` empty)."""

    __tablename__ = "adjuster_shift"
    __table_args__ = (Index("ix_adjuster_shift_unit_start", "unit_id", "starts_at"),)
    id: int | None = Field(default=None, primary_key=True)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    name: str = Field(max_length=40)
    phone: str = Field(max_length=20)
    unit_id: int = Field(foreign_key="org_unit.id")
    starts_at: datetime = Field(sa_type=UtcDateTime)
    ends_at: datetime = Field(sa_type=UtcDateTime)
    created_by_id: int = Field(foreign_key="staff_user.id")
    created_at: datetime = timestamp_field()


class UnitServicePhone(SQLModel, table=True):
    """A unit's service phone, named in a care SMS when the roster has no one on duty and
    the claim names no adjuster (the nearest unit up the tree that has one)."""

    __tablename__ = "unit_service_phone"
    unit_id: int = Field(primary_key=True, foreign_key="org_unit.id")
    phone: str = Field(max_length=20)
    updated_by_id: int = Field(foreign_key="staff_user.id")
    updated_at: datetime = timestamp_field()
