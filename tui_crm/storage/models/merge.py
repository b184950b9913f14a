"""Customer merges: which record survived, what moved to it, and how to put it back."""

from datetime import datetime

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field
from tui_crm.storage.types import UtcDateTime

ACTIVE_MERGE = text("unmerged_at IS NULL")


class CustomerMerge(SQLModel, table=True):
    """One merge of a duplicate (`merged_id`) into the record that survives.

    The merged customer row is kept as it was; `moved` lists, table by table and column
    by column, the ids of the rows that now point at the survivor, and `survivor_before`
    the survivor's whole row before the merge, so an unmerge restores both exactly.
    """

    __tablename__ = "customer_merge"
    __table_args__ = (
        # A record is merged away at most once at a time.
        Index(
            "ux_customer_merge_active",
            "merged_id",
            unique=True,
            sqlite_where=ACTIVE_MERGE,
            postgresql_where=ACTIVE_MERGE,
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    survivor_id: int = Field(foreign_key="customer.id", index=True)
    merged_id: int = Field(foreign_key="customer.id", index=True)
    merged_by_id: int = Field(foreign_key="staff_user.id")
    merged_at: datetime = timestamp_field()
    reason: str | None = Field(default=None, max_length=200)
    survivor_before: str = Field(sa_type=Text)  # JSON: the survivor's row before
    survivor_after: str = Field(sa_type=Text)  # JSON: the fields the merge changed
    moved: str = Field(sa_type=Text)  # JSON: {"table.column": [row ids]}
    unmerged_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    unmerged_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
