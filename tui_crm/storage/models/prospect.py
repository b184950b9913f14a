"""Prospect facts (准客户): an intention to insure a customer declared, or a customer lost
to a competitor (to whom, why, when). The classification reads them."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field


class ProspectFact(SQLModel, table=True):
    """One fact, never overwritten: `kind` is `intent` or `lost`. A loss recorded from the
    renewal worklist keeps the expiring policy."""

    __tablename__ = "prospect_fact"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    kind: str = Field(max_length=12)  # intent / lost
    fact_date: date
    note: str | None = Field(default=None, max_length=200)
    competitor: str | None = Field(default=None, max_length=60)
    reason: str | None = Field(default=None, max_length=200)
    policy_id: int | None = Field(default=None, foreign_key="policy.id")
    created_by_id: int = Field(foreign_key="staff_user.id")
    created_at: datetime = timestamp_field()
