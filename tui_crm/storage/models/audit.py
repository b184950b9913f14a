"""The append-only audit log. The storage layer also forbids UPDATE, DELETE, TRUNCATE and
INSERT OR REPLACE by trigger. Each row carries a hash chain (`prev_hash`, `row_hash`)
whose tip is `audit_chain`, the one row every audit insert locks (no forks)."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp_field(index=True)
    actor_id: int | None = Field(default=None, foreign_key="staff_user.id")
    actor_username: str = Field(max_length=40)
    action: str = Field(max_length=40)  # login, login_failed, reveal, create, update, export...
    entity: str = Field(default="", max_length=40)
    entity_id: str | None = Field(default=None, max_length=40)
    before: str | None = None  # JSON
    after: str | None = None  # JSON
    detail: str | None = None
    prev_hash: str | None = Field(default=None, max_length=64)  # NULL: before the chain began
    row_hash: str | None = Field(default=None, max_length=64)


class AuditChain(SQLModel, table=True):
    """The tip of the audit hash chain: one row (id 1), updated by every audit insert, so
    inserts are serialised (row lock on PostgreSQL, write lock on SQLite)."""

    __tablename__ = "audit_chain"
    id: int = Field(default=1, primary_key=True)
    rows: int = 0
    last_hash: str | None = Field(default=None, max_length=64)
