"""Extract imports: one row per imported file (batch), and the core systems' own customer
numbers kept as external keys per source."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field
from tui_crm.storage.types import UtcDateTime


class ImportBatch(SQLModel, table=True):
    """One file imported (or tried): who, when, which file (name and SHA-256), the counts.

    `rows_done` is the number of data rows whose chunk has committed, with the counts and
    `rejects_offset` (bytes of the rejects file written so far) in the same transaction,
    so a killed run is resumed from there by the next run of the same file."""

    __tablename__ = "import_batch"
    __table_args__ = (Index("ix_import_batch_file", "kind", "sha256", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # customers/vehicles/policies/claims/receivables
    file_name: str = Field(max_length=300)
    sha256: str = Field(max_length=64)
    profile: str = Field(default="", max_length=60)
    source: str = Field(default="core", max_length=20)
    status: str = Field(default="running", max_length=12)  # running/done/failed/dry_run
    staff_id: int = Field(foreign_key="staff_user.id")
    started_at: datetime = timestamp_field()
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    rows_read: int = 0
    rows_done: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects_file: str | None = Field(default=None, max_length=300)
    rejects_offset: int = 0
    message: str | None = Field(default=None, max_length=500)


class CustomerExternalKey(SQLModel, table=True):
    """A source system's own number for a customer (the core system's 客户号)."""

    __tablename__ = "customer_external_key"
    source: str = Field(max_length=20, primary_key=True)
    key: str = Field(max_length=40, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
