"""Where a customer came from: the named lists (a yellow-pages extract, an enterprise
directory, a dealer's list) customers were taken from. The source itself is
`customer.source`."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field


class SourceList(SQLModel, table=True):
    """A named list with its date, of one source kind (domain.CustomerSource)."""

    __tablename__ = "source_list"
    __table_args__ = (UniqueConstraint("name", "list_date", name="uq_source_list_name_date"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    list_date: date
    source: str = Field(max_length=20)
    created_by_id: int = Field(foreign_key="staff_user.id")
    created_at: datetime = timestamp_field()


class CustomerSourceList(SQLModel, table=True):
    """The list a customer came from (at most one)."""

    __tablename__ = "customer_source_list"
    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    list_id: int = Field(foreign_key="source_list.id", index=True)
