"""Which role may do what (table `role_permission`), edited by administrators
(`user.admin`), each grant and revocation audited. A change applies from the next
sign-in of the role's users."""

from dataclasses import dataclass

from sqlmodel import col, select

from tui_crm.domain import Role
from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import Conflict, ValidationFailed
from tui_crm.storage.db import Database
from tui_crm.storage.models import RolePermission

# Every permission code the product checks, in the order of `Permission`.
KNOWN = tuple(
    value for name, value in vars(Permission).items() if name.isupper() and isinstance(value, str)
)


@dataclass(frozen=True)
class Matrix:
    roles: list[str]
    permissions: list[str]
    granted: dict[str, list[str]]  # role -> its permissions


class PermissionService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def matrix(self, actor: Actor) -> Matrix:
        actor.require(Permission.USER_ADMIN)
        with self.database.session() as session:
            rows = session.exec(select(RolePermission).order_by(col(RolePermission.role))).all()
        granted: dict[str, list[str]] = {str(r): [] for r in Role}
        for row in rows:
            granted.setdefault(row.role, []).append(row.permission)
        for role in granted:
            granted[role].sort(key=lambda p: KNOWN.index(p) if p in KNOWN else len(KNOWN))
        return Matrix(list(granted), list(KNOWN), granted)

    def grant(self, actor: Actor, role: str, permission: str) -> None:
        self._change(actor, role, permission, grant=True)

    def revoke(self, actor: Actor, role: str, permission: str) -> None:
        self._change(actor, role, permission, grant=False)

    def _change(self, actor: Actor, role: str, permission: str, *, grant: bool) -> None:
        actor.require(Permission.USER_ADMIN)
        if role not in set(Role):
            raise ValidationFailed(
                tr("角色应为 {r}", "The role is one of {r}", r=", ".join(Role)), field="role"
            )
        if permission not in KNOWN:
            raise ValidationFailed(
                tr("没有权限 {p}", "No permission {p}", p=permission), field="permission"
            )
        if not grant and role == Role.ADMIN and permission == Permission.USER_ADMIN:
            raise Conflict(
                tr(
                    "不能收回管理员的用户管理权限（否则无人能再修改权限）",
                    "Administrators keep user.admin (else nobody could change rights again)",
                ),
                code="last_admin_right",
            )
        with self.database.session() as session:
            current = session.get(RolePermission, (role, permission))
            if (current is not None) == grant:
                raise Conflict(
                    tr("角色已有该权限", "The role has it already")
                    if grant
                    else tr("角色本无该权限", "The role does not have it"),
                    code="unchanged",
                )
            if grant:
                session.add(RolePermission(role=role, permission=permission))
            else:
                session.delete(current)
            audit.record(
                session,
                actor,
                "grant" if grant else "revoke",
                entity="role_permission",
                entity_id=role,
                before={"granted": not grant},
                after={"granted": grant},
                detail=permission,
            )
            session.commit()
