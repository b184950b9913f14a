"""The Actor of a staff account, read with plain SQL: its unit, the units in its scope
and its role's permissions. The password sign-in and the session token both use it; the
token's one-shot commands so never import the ORM."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

from tui_crm.services.core.actor import Actor

_UNIT = text("SELECT code, path FROM org_unit WHERE id = :id")
_SCOPE = text("SELECT id FROM org_unit WHERE path LIKE :path || '%'")
_PERMISSIONS = text("SELECT permission FROM role_permission WHERE role = :role")


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load_actor(connection: Connection, user: Any) -> Actor:
    """The Actor of `user` (anything with id, username, display_name, role, unit_id)."""
    unit = connection.execute(_UNIT, {"id": user.unit_id}).one()
    scope = connection.execute(_SCOPE, {"path": unit.path}).scalars()
    permissions = connection.execute(_PERMISSIONS, {"role": user.role}).scalars()
    return Actor(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        unit_id=user.unit_id,
        unit_code=unit.code,
        unit_path=unit.path,
        scope_unit_ids=frozenset(scope),
        permissions=frozenset(permissions),
    )
