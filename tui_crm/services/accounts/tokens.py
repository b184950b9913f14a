"""Session tokens for scripts: one password sign-in (`tui-crm login`), then a short-lived,
revocable token instead of the password — no argon2 hash per command. Only the token's
SHA-256 is stored; each use is audited like a sign-in, issuing and revoking too.

Using a token is plain SQL on one connection (no ORM): it is the start of every one-shot
command of a script, which should not pay for importing the models."""

import hashlib
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text

from tui_crm.i18n import tr
from tui_crm.services.accounts.actors import aware, load_actor
from tui_crm.services.core import audit_trail
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import AccountLocked, AuthFailed
from tui_crm.storage.db import Database
from tui_crm.storage.types import UtcDateTime

TOKEN_BYTES = 32

# The token and its account in one row (what `_problem` and `load_actor` read).
_FIND = text(
    "SELECT t.id AS token_id, t.expires_at, t.revoked_at, u.id, u.username,"
    " u.display_name, u.role, u.unit_id, u.active, u.locked_until"
    " FROM session_token t JOIN staff_user u ON u.id = t.staff_user_id"
    " WHERE t.token_hash = :hash"
).columns(expires_at=UtcDateTime(), revoked_at=UtcDateTime(), locked_until=UtcDateTime())


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once, to be stored owner-only by the caller
    username: str
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _client() -> str:
    return audit_trail.client_address() or socket.gethostname()[:80]


def _expired_message() -> str:
    return tr(
        "会话令牌已失效，请重新运行 tui-crm login",
        "The session token is no longer valid: run tui-crm login again",
    )


class SessionTokenService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def issue(self, actor: Actor) -> IssuedToken:
        """A new token for a user who has just signed in with the password; it lives
        `auth.token_minutes` (threshold)."""
        from tui_crm.services.core import audit
        from tui_crm.services.core.thresholds import threshold_int
        from tui_crm.storage.models import SessionToken

        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self.database.session() as session:
            minutes = threshold_int(session, "auth.token_minutes")
            row = SessionToken(
                token_hash=_digest(token),
                staff_user_id=actor.id,
                created_at=self.clock.now(),
                expires_at=self.clock.now() + timedelta(minutes=minutes),
                client=_client(),
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                actor,
                "token_issued",
                entity="session_token",
                entity_id=row.id,
                detail=f"{minutes} min",
            )
            session.commit()
            return IssuedToken(token, actor.username, row.expires_at)

    def sign_in(self, username: str, token: str) -> Actor:
        """The Actor of a valid, unrevoked, unexpired token of `username` whose account is
        active and not locked; AuthFailed / AccountLocked otherwise (audited)."""
        with self.database.connect() as connection:
            found = connection.execute(_FIND, {"hash": _digest(token)}).one_or_none()
            problem = self._problem(found, username, self.clock.now())
            if problem is None and found is not None:
                actor = load_actor(connection, found)
                audit_trail.append(
                    connection,
                    actor,
                    "login",
                    entity="staff_user",
                    entity_id=found.id,
                    detail=f"session token {found.token_id}",
                )
                return actor
            audit_trail.append(
                connection,
                None,
                "login_failed",
                username=username[:40],
                entity="staff_user",
                entity_id=found.id if found else None,
                detail=f"session token: {problem}",
            )
        if problem == "locked":
            raise AccountLocked(tr("账户已锁定", "Account locked"))
        raise AuthFailed(_expired_message())

    @staticmethod
    def _problem(found: Any, username: str, now: datetime) -> str | None:
        if found is None:
            return "unknown"
        if found.username != username.strip():
            return "other user"
        if found.revoked_at is not None:
            return "revoked"
        if aware(found.expires_at) <= now:
            return "expired"
        if not found.active:
            return "inactive user"
        if found.locked_until and aware(found.locked_until) > now:
            return "locked"
        return None

    def revoke(self, token: str) -> bool:
        """Revoke a token (`tui-crm logout`); False when it was unknown or already ended."""
        from sqlmodel import select

        from tui_crm.services.core import audit
        from tui_crm.storage.models import SessionToken, StaffUser

        with self.database.session() as session:
            row = session.exec(
                select(SessionToken).where(SessionToken.token_hash == _digest(token))
            ).one_or_none()
            if row is None or row.revoked_at is not None:
                return False
            row.revoked_at = self.clock.now()
            user = session.get(StaffUser, row.staff_user_id)
            audit.record(
                session,
                None,
                "token_revoked",
                username=user.username if user else "",
                entity="session_token",
                entity_id=row.id,
            )
            session.commit()
            return True
