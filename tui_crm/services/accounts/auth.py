"""Staff sign-in: argon2id hashes, lockout after repeated failures, the Actor for a session."""

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.accounts.actors import aware as _aware
from tui_crm.services.accounts.actors import load_actor
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.clock import BRANCH_TZ, Clock
from tui_crm.services.core.errors import AccountLocked, AuthFailed, NotFound
from tui_crm.services.core.thresholds import threshold_int
from tui_crm.storage.db import Database
from tui_crm.storage.models import StaffUser


def make_hasher(*, fast: bool = False) -> PasswordHasher:
    """argon2id; `fast` (tests, demo builds) uses cheap parameters, never in production."""
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()  # argon2-cffi's RFC 9106 low-memory profile


def build_actor(session: Session, user: StaffUser) -> Actor:
    return load_actor(session.connection(), user)


class AuthService:
    def __init__(self, database: Database, clock: Clock, hasher: PasswordHasher) -> None:
        self.database = database
        self.clock = clock
        self.hasher = hasher

    def hash_password(self, password: str) -> str:
        return self.hasher.hash(password)

    def sign_in(self, username: str, password: str) -> Actor:
        """The Actor for a correct password; AuthFailed / AccountLocked otherwise (audited)."""
        with self.database.session() as session:
            user = session.exec(
                select(StaffUser).where(StaffUser.username == username.strip())
            ).one_or_none()
            if user is None or not user.active:
                audit.record(
                    session,
                    None,
                    "login_failed",
                    username=username[:40],
                    entity="staff_user",
                    detail="unknown or inactive user",
                )
                session.commit()
                raise AuthFailed(self._wrong_user_message(session))
            now = self.clock.now()
            if user.locked_until and _aware(user.locked_until) > now:
                until = _aware(user.locked_until).astimezone(BRANCH_TZ).strftime("%H:%M")
                audit.record(
                    session,
                    None,
                    "login_refused_locked",
                    username=user.username,
                    entity="staff_user",
                    entity_id=user.id,
                )
                session.commit()
                raise AccountLocked(
                    tr("账户已锁定，请于 {t} 后再试", "Account locked until {t}", t=until)
                )
            if not self._verify(user, password):
                self._count_failure(session, user, now)
                session.commit()
                if user.locked_until:
                    raise AccountLocked(
                        tr(
                            "密码连续错误，账户已锁定 {m} 分钟",
                            "Too many failures: account locked for {m} minutes",
                            m=threshold_int(session, "auth.lock_minutes"),
                        )
                    )
                raise AuthFailed(tr("用户名或密码错误", "Wrong username or password"))
            user.failed_attempts = 0
            user.locked_until = None
            user.last_login_at = now
            if self.hasher.check_needs_rehash(user.password_hash):
                user.password_hash = self.hasher.hash(password)
            actor = build_actor(session, user)
            audit.record(session, actor, "login", entity="staff_user", entity_id=user.id)
            session.commit()
            return actor

    def _wrong_user_message(self, session: Session) -> str:
        """Wrong username or password; against a book with no accounts at all, where the
        database is and how to set one up (a wrong path is the likelier mistake)."""
        if session.exec(select(StaffUser.id).limit(1)).first() is not None:
            return tr("用户名或密码错误", "Wrong username or password")
        return tr(
            "用户名或密码错误：数据库 {d} 中还没有任何账户。"
            "请先运行 tui-crm init 建立账套（或 tui-crm demo 建立演示账套），"
            "或用 TUI_CRM_DATABASE_URL 指向已有的数据库",
            "Wrong username or password: the database {d} has no accounts yet. Run "
            "tui-crm init to set up a book (or tui-crm demo for a demo book), or point "
            "TUI_CRM_DATABASE_URL at the existing database",
            d=self.database.location(),
        )

    def is_demo_book(self) -> bool:
        from tui_crm.services.accounts.book import is_demo_book

        return is_demo_book(self.database)

    def sign_out(self, actor: Actor, how: str) -> None:
        """The end of a session on a shared terminal (signed out, or another user took
        over the locked screen): audited as the user who leaves."""
        with self.database.session() as session:
            audit.record(
                session, actor, "logout", entity="staff_user", entity_id=actor.id, detail=how
            )
            session.commit()

    def actor_for(self, username: str) -> Actor:
        """The Actor of an existing user without a password (trusted callers: tests, demo)."""
        with self.database.session() as session:
            user = session.exec(
                select(StaffUser).where(StaffUser.username == username)
            ).one_or_none()
            if user is None:
                raise NotFound(tr("没有用户 {u}", "No user {u}", u=username))
            return build_actor(session, user)

    def _verify(self, user: StaffUser, password: str) -> bool:
        try:
            return self.hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _count_failure(self, session: Session, user: StaffUser, now: datetime) -> None:
        """One more failure, counted in the database: parallel wrong passwords each count
        (a read-modify-write here lost updates and let dozens through before the lock)."""
        failures = session.execute(
            update(StaffUser)
            .where(col(StaffUser.id) == user.id)
            .values(failed_attempts=col(StaffUser.failed_attempts) + 1)
            .returning(col(StaffUser.failed_attempts))
            .execution_options(synchronize_session=False)
        ).scalar_one()
        locked = failures >= threshold_int(session, "auth.max_failures")
        if locked:
            # The row stays locked by the UPDATE above until commit: no second lock races it.
            lock_until = now + timedelta(minutes=threshold_int(session, "auth.lock_minutes"))
            session.execute(
                update(StaffUser)
                .where(col(StaffUser.id) == user.id)
                .values(failed_attempts=0, locked_until=lock_until)
                .execution_options(synchronize_session=False)
            )
            set_committed_value(user, "locked_until", lock_until)
        audit.record(
            session,
            None,
            "login_failed",
            username=user.username,
            entity="staff_user",
            entity_id=user.id,
            detail="locked" if locked else None,
        )
