"""Records the branch maintains itself: account-manager changes and the districts a
catastrophe event struck."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field


class AccountManagerChange(SQLModel, table=True):
    """One customer given to another account manager (history, never overwritten).
    A hand-over of many customers shares one `batch` (a short code in the audit row)."""

    __tablename__ = "account_manager_change"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    from_staff_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    to_staff_id: int = Field(foreign_key="staff_user.id", index=True)
    changed_by_id: int = Field(foreign_key="staff_user.id")
    changed_at: datetime = timestamp_field()
    batch: str | None = Field(default=None, max_length=20, index=True)
    reason: str | None = Field(default=None, max_length=200)


class CatastropheDistrict(SQLModel, table=True):
    """A district (county code such as 330402) a catastrophe event struck."""

    __tablename__ = "catastrophe_district"
    event_id: int = Field(foreign_key="catastrophe_event.id", primary_key=True)
    district_code: str = Field(max_length=12, primary_key=True)
