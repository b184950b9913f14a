"""Session tokens of the command line (`tui-crm login`): short-lived, revocable, stored
only as a SHA-256 hash (the token itself lives in the user's owner-only state file)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field
from tui_crm.storage.types import UtcDateTime


class SessionToken(SQLModel, table=True):
    __tablename__ = "session_token"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    staff_user_id: int = Field(foreign_key="staff_user.id", index=True)
    created_at: datetime = timestamp_field()
    expires_at: datetime = Field(sa_type=UtcDateTime())
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    client: str = Field(default="", max_length=80)  # SSH client address or host name
