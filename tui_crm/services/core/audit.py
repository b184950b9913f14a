"""Append-only audit trail: sign-ins, changes, reveals of personal data, exports.

Rows are added inside the caller's transaction so an audited change and its audit row
commit together; there is no update or delete here (and the database refuses them).
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from tui_crm.services.core.actor import Actor, Permission
from tui_crm.storage.db import Database
from tui_crm.storage.models import AuditLog


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def to_json(data: Any) -> str | None:
    if data is None:
        return None
    return json.dumps(data, ensure_ascii=False, default=_default, sort_keys=True)


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    *,
    entity: str = "",
    entity_id: object = None,
    before: Any = None,
    after: Any = None,
    detail: str | None = None,
    username: str | None = None,
) -> None:
    session.add(
        AuditLog(
            actor_id=actor.id if actor else None,
            actor_username=actor.username if actor else (username or ""),
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=to_json(before),
            after=to_json(after),
            detail=detail,
        )
    )


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: str | None
    before: str | None
    after: str | None
    detail: str | None


class AuditService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def recent(
        self, actor: Actor, *, limit: int = 100, action: str | None = None
    ) -> list[AuditRow]:
        actor.require(Permission.AUDIT_READ)
        with self.database.session() as session:
            query = select(AuditLog).order_by(col(AuditLog.id).desc()).limit(limit)
            if action:
                query = query.where(AuditLog.action == action)
            rows = session.exec(query).all()
            return [
                AuditRow(
                    id=row.id or 0,
                    at=row.at,
                    username=row.actor_username,
                    action=row.action,
                    entity=row.entity,
                    entity_id=row.entity_id,
                    before=row.before,
                    after=row.after,
                    detail=row.detail,
                )
                for row in rows
            ]
