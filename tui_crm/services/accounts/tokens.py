"""Session tokens for scripts: one password sign-in (`tui-crm login`), then a short-lived,
revocable token instead of the password — no argon2 hash per command. Only the token's
SHA-256 is stored; each use is audited like a sign-in, issuing and revoking too."""

import hashlib
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from tui_crm.i18n import tr
from tui_crm.services.accounts.auth import _aware, build_actor
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import AccountLocked, AuthFailed
from tui_crm.services.core.thresholds import threshold_int
from tui_crm.storage.db import Database
from tui_crm.storage.models import SessionToken, StaffUser

TOKEN_BYTES = 32


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once, to be stored owner-only by the caller
    username: str
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _client() -> str:
    return audit.client_address() or socket.gethostname()[:80]


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
        with self.database.session() as session:
            found = session.exec(
                select(SessionToken, StaffUser)
                .join(StaffUser, col(StaffUser.id) == col(SessionToken.staff_user_id))
                .where(SessionToken.token_hash == _digest(token))
            ).one_or_none()
            now = self.clock.now()
            problem = self._problem(found, username, now)
            if problem is not None or found is None:
                audit.record(
                    session,
                    None,
                    "login_failed",
                    username=username[:40],
                    entity="staff_user",
                    entity_id=found[1].id if found else None,
                    detail=f"session token: {problem}",
                )
                session.commit()
                if problem == "locked":
                    raise AccountLocked(tr("账户已锁定", "Account locked"))
                raise AuthFailed(_expired_message())
            token_row, user = found
            actor = build_actor(session, user)
            audit.record(
                session,
                actor,
                "login",
                entity="staff_user",
                entity_id=user.id,
                detail=f"session token {token_row.id}",
            )
            session.commit()
            return actor

    @staticmethod
    def _problem(
        found: tuple[SessionToken, StaffUser] | None, username: str, now: datetime
    ) -> str | None:
        if found is None:
            return "unknown"
        token_row, user = found
        if user.username != username.strip():
            return "other user"
        if token_row.revoked_at is not None:
            return "revoked"
        if _aware(token_row.expires_at) <= now:
            return "expired"
        if not user.active:
            return "inactive user"
        if user.locked_until and _aware(user.locked_until) > now:
            return "locked"
        return None

    def revoke(self, token: str) -> bool:
        """Revoke a token (`tui-crm logout`); False when it was unknown or already ended."""
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
