"""Append-only audit trail: sign-ins, changes, reveals of personal data, exports.

Rows are added inside the caller's transaction so an audited change and its audit row
commit together; there is no update or delete here (and the database refuses them).
Each row is chained: `row_hash` = SHA-256 of the previous row's hash and the row's own
canonical content, taken under the lock of the chain's tip (`audit_chain`), so `verify`
finds the first row changed, removed or inserted out of turn.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, case, cast, update
from sqlmodel import Session, col, select

from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.audit_trail import (
    SIGN_IN_ACTIONS,
    chain_hash,
    client_address,
    content,
    to_json,
    with_client,
)
from tui_crm.storage.db import Database
from tui_crm.storage.models import AuditChain, AuditLog, Customer, StaffUser

__all__ = [
    "SIGN_IN_ACTIONS",
    "AuditRow",
    "AuditService",
    "ChainCheck",
    "client_address",
    "record",
    "row_hash",
    "to_json",
]


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
    detail = with_client(action, detail)
    row = AuditLog(
        actor_id=actor.id if actor else None,
        actor_username=actor.username if actor else (username or ""),
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=to_json(before),
        after=to_json(after),
        detail=detail,
    )
    # Locks the tip until the caller commits: the next row (any session) chains to this one.
    row.prev_hash = session.execute(
        update(AuditChain)
        .where(col(AuditChain.id) == 1)
        .values(rows=col(AuditChain.rows) + 1)
        .returning(col(AuditChain.last_hash))
        .execution_options(synchronize_session=False)
    ).scalar_one()
    row.row_hash = row_hash(row)
    session.execute(
        update(AuditChain)
        .where(col(AuditChain.id) == 1)
        .values(last_hash=row.row_hash)
        .execution_options(synchronize_session=False)
    )
    session.add(row)


def _in_scope(actor: Actor) -> list[ColumnElement[bool]]:
    """Rows an auditor outside administration may read: about a customer or a staff member
    of their units, or (about anything else) done by staff of their units. Customer ids
    and evidence are personal data; the gateway's act on their customer is theirs to see."""
    units = sorted(actor.scope_unit_ids)
    by_staff = select(StaffUser.id).where(col(StaffUser.unit_id).in_(units))
    # CASE first: PostgreSQL would fail casting a non-numeric id, whatever the AND order.
    numeric = col(AuditLog.entity_id).regexp_match("^[0-9]{1,18}$")
    about = cast(case((numeric, AuditLog.entity_id), else_=None), BigInteger)
    customer = select(Customer.id).where(
        col(Customer.id) == about, col(Customer.unit_id).in_(units)
    )
    staff = select(StaffUser.id).where(
        col(StaffUser.id) == about, col(StaffUser.unit_id).in_(units)
    )
    return [
        case(
            (col(AuditLog.entity) == "customer", customer.exists()),
            (col(AuditLog.entity) == "staff_user", staff.exists()),
            else_=col(AuditLog.actor_id).in_(by_staff),
        )
    ]


def row_hash(row: AuditLog) -> str:
    """SHA-256 of the previous hash and the row's content (its id is not known yet)."""
    return chain_hash(row.prev_hash, row.at, content(row))


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    rows: int  # chained rows checked
    unchained: int  # rows written before the chain began
    broken_at: int | None = None  # id of the first row that does not fit
    reason: str | None = None


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
            if not actor.can(Permission.USER_ADMIN):
                query = query.where(*_in_scope(actor))
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

    def verify(self, actor: Actor) -> ChainCheck:
        """Walk the chain in id order: the first row whose hash or link does not fit."""
        actor.require(Permission.AUDIT_READ)
        with self.database.session() as session:
            previous: str | None = None
            chained = unchained = 0
            for row in session.exec(select(AuditLog).order_by(col(AuditLog.id))):
                if row.row_hash is None and chained == 0:
                    unchained += 1  # written before this database had the chain
                    continue
                if row.row_hash is None or row.prev_hash != previous:
                    return ChainCheck(False, chained, unchained, row.id, "link")
                if row_hash(row) != row.row_hash:
                    return ChainCheck(False, chained, unchained, row.id, "content")
                previous = row.row_hash
                chained += 1
            tip = session.get(AuditChain, 1)
            if tip is not None and tip.last_hash != previous:
                return ChainCheck(False, chained, unchained, None, "tail")
            return ChainCheck(True, chained, unchained)
