"""Staff accounts for administrators: list, add, reset password, unlock, deactivate.

Every change is audited; password hashes never leave this module and are never logged.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from tui_crm.domain import Role
from tui_crm.i18n import tr
from tui_crm.services.accounts.auth import AuthService
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text
from tui_crm.storage.db import Database
from tui_crm.storage.models import OrgUnit, StaffUser

MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class StaffSummary:
    id: int
    username: str
    display_name: str
    role: str
    unit_code: str
    unit_name: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


class UserService:
    def __init__(self, database: Database, auth: AuthService) -> None:
        self.database = database
        self.auth = auth

    def list(self, actor: Actor) -> list[StaffSummary]:
        actor.require(Permission.USER_ADMIN)
        with self.database.session() as session:
            rows = session.exec(
                select(StaffUser, OrgUnit)
                .join(OrgUnit, col(OrgUnit.id) == StaffUser.unit_id)
                .where(col(StaffUser.unit_id).in_(actor.scope_unit_ids))
                .order_by(col(OrgUnit.path), col(StaffUser.username))
            ).all()
            return [_summary(user, unit) for user, unit in rows]

    def add(
        self,
        actor: Actor,
        *,
        username: str,
        display_name: str,
        role: str,
        unit_code: str,
        password: str,
    ) -> StaffSummary:
        actor.require(Permission.USER_ADMIN)
        username = clean_text(username)
        if not username or not username.replace("_", "").replace(".", "").isalnum():
            raise ValidationFailed(
                tr(
                    "用户名只能包含字母、数字、下划线和点",
                    "Username: letters, digits, _ and . only",
                ),
                field="username",
            )
        if role not in {r.value for r in Role}:
            raise ValidationFailed(tr("未知角色 {r}", "Unknown role {r}", r=role), field="role")
        _check_password(password)
        with self.database.session() as session:
            unit = _unit_in_scope(session, actor, unit_code)
            if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
                raise Conflict(
                    tr("用户名 {u} 已存在", "Username {u} is taken", u=username), field="username"
                )
            user = StaffUser(
                username=username,
                display_name=clean_text(display_name) or username,
                role=role,
                unit_id=unit.id or 0,
                password_hash=self.auth.hash_password(password),
            )
            session.add(user)
            session.flush()
            audit.record(
                session,
                actor,
                "create",
                entity="staff_user",
                entity_id=user.id,
                after={"username": username, "role": role, "unit": unit.code},
            )
            session.commit()
            return _summary(user, unit)

    def reset_password(self, actor: Actor, username: str, password: str) -> None:
        actor.require(Permission.USER_ADMIN)
        _check_password(password)
        with self.database.session() as session:
            user = self._user_in_scope(session, actor, username)
            user.password_hash = self.auth.hash_password(password)
            user.failed_attempts = 0
            user.locked_until = None
            audit.record(session, actor, "reset_password", entity="staff_user", entity_id=user.id)
            session.commit()

    def unlock(self, actor: Actor, username: str) -> None:
        actor.require(Permission.USER_ADMIN)
        with self.database.session() as session:
            user = self._user_in_scope(session, actor, username)
            before = {"locked_until": user.locked_until, "failed_attempts": user.failed_attempts}
            user.failed_attempts = 0
            user.locked_until = None
            audit.record(
                session, actor, "unlock", entity="staff_user", entity_id=user.id, before=before
            )
            session.commit()

    def set_active(self, actor: Actor, username: str, active: bool) -> None:
        actor.require(Permission.USER_ADMIN)
        if username == actor.username and not active:
            raise Conflict(tr("不能停用自己的账户", "You cannot deactivate yourself"))
        with self.database.session() as session:
            user = self._user_in_scope(session, actor, username)
            before = user.active
            user.active = active
            audit.record(
                session,
                actor,
                "update",
                entity="staff_user",
                entity_id=user.id,
                before={"active": before},
                after={"active": active},
            )
            session.commit()

    def _user_in_scope(self, session: Session, actor: Actor, username: str) -> StaffUser:
        user = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
        if user is None:
            raise NotFound(tr("没有用户 {u}", "No user {u}", u=username), field="username")
        actor.require_scope(user.unit_id)
        return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            tr("密码至少 {n} 位", "Password needs at least {n} characters", n=MIN_PASSWORD_LENGTH),
            field="password",
        )


def _unit_in_scope(session: Session, actor: Actor, unit_code: str) -> OrgUnit:
    unit = session.exec(select(OrgUnit).where(OrgUnit.code == unit_code.strip())).first()
    if unit is None:
        raise NotFound(tr("没有机构 {c}", "No unit {c}", c=unit_code), field="unit")
    actor.require_scope(unit.id)
    return unit


def _summary(user: StaffUser, unit: OrgUnit) -> StaffSummary:
    return StaffSummary(
        id=user.id or 0,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        unit_code=unit.code,
        unit_name=unit.name,
        active=user.active,
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
    )
