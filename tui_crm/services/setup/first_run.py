"""`tui-crm init`: the schema, the reference data and the first administrator of an empty
book. Refused once the book has any staff account (nobody can take over a running book)."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select

from tui_crm.domain import Role
from tui_crm.i18n import tr
from tui_crm.services.accounts import make_hasher
from tui_crm.services.accounts.users import MIN_PASSWORD_LENGTH
from tui_crm.services.core import audit
from tui_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database
from tui_crm.storage.models import OrgUnit, StaffUser


@dataclass(frozen=True)
class InitResult:
    admin: str
    unit_code: str
    unit_name: str


def init_book(
    database: Database,
    *,
    admin: str,
    password: str,
    unit_code: str | None = None,
    fast_hash: bool = False,
) -> InitResult:
    """Create the schema and reference data, then the administrator `admin` at `unit_code`
    (default: the top unit). Refused when any staff account exists."""
    username = clean_text(admin)
    if not username or not username.replace("_", "").replace(".", "").isalnum():
        raise ValidationFailed(
            tr("用户名只能包含字母、数字、下划线和点", "Username: letters, digits, _ and . only"),
            field="admin",
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            tr(
                "密码至少 {n} 位",
                "The password needs at least {n} characters",
                n=MIN_PASSWORD_LENGTH,
            ),
            field="password",
        )
    ensure_ready(database)
    with database.session() as session:
        if session.exec(select(func.count()).select_from(StaffUser)).one():
            raise Conflict(
                tr(
                    "数据库中已有用户，init 只用于空数据库",
                    "The database already has users; init is for an empty database",
                ),
                code="not_empty",
            )
        query = select(OrgUnit)
        if unit_code:
            query = query.where(OrgUnit.code == unit_code.strip())
        else:
            query = query.where(col(OrgUnit.parent_id).is_(None)).order_by(col(OrgUnit.path))
        unit = session.exec(query).first()
        if unit is None:
            raise NotFound(tr("未知机构 {c}", "Unknown unit {c}", c=unit_code or ""), field="unit")
        user = StaffUser(
            username=username,
            display_name=username,
            role=Role.ADMIN.value,
            unit_id=unit.id or 0,
            password_hash=make_hasher(fast=fast_hash).hash(password),
        )
        session.add(user)
        session.flush()
        audit.record(
            session,
            None,
            "init",
            entity="staff_user",
            entity_id=user.id,
            after={"username": username, "role": user.role, "unit": unit.code},
            username=username,
        )
        session.commit()
        return InitResult(username, unit.code, unit.name)
