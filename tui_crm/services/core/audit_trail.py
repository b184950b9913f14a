"""The audit trail's rows without the ORM: the canonical hash of a row, the SSH client of
a sign-in, and `append`, which chains and writes one row on a plain connection (what a
one-shot command's sign-in writes without importing the models). `audit.record` writes
the same rows inside an ORM session.
"""

import hashlib
import json
import os
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, text

from tui_crm.services.core.actor import Actor
from tui_crm.storage.types import UtcDateTime

# Sign-ins and their ends: each carries the client's address when the session came over SSH.
SIGN_IN_ACTIONS = frozenset(
    {"login", "login_failed", "login_refused_locked", "logout", "token_issued", "token_revoked"}
)


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


def client_address() -> str:
    """The SSH client's address (`SSH_CONNECTION` is "client port server port"); '' when
    the program does not run in an SSH session."""
    fields = os.environ.get("SSH_CONNECTION", "").split()
    return fields[0][:60] if fields else ""


def with_client(action: str, detail: str | None) -> str | None:
    """A sign-in's detail with the SSH client's address added."""
    address = client_address() if action in SIGN_IN_ACTIONS else ""
    if address:
        return f"{detail}; from {address}" if detail else f"from {address}"
    return detail


def chain_hash(prev_hash: str | None, at: datetime, content: list[Any]) -> str:
    """SHA-256 of the previous hash, the time and the row's content (actor id and name,
    action, entity, entity id, before, after, detail); the row's id is not known yet."""
    moment = at if at.tzinfo else at.replace(tzinfo=UTC)
    canonical = [prev_hash, moment.astimezone(UTC).isoformat(timespec="microseconds"), *content]
    serialised = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(serialised.encode("utf-8")).hexdigest()


# Locks the tip until the caller commits: the next row (any session) chains to this one.
_TIP = text("UPDATE audit_chain SET rows = rows + 1 WHERE id = 1 RETURNING last_hash")
_NEW_TIP = text("UPDATE audit_chain SET last_hash = :hash WHERE id = 1")
_INSERT = text(
    "INSERT INTO audit_log (at, actor_id, actor_username, action, entity, entity_id,"
    " before, after, detail, prev_hash, row_hash) VALUES (:at, :actor_id, :actor_username,"
    " :action, :entity, :entity_id, :before, :after, :detail, :prev_hash, :row_hash)"
).bindparams(bindparam("at", type_=UtcDateTime()))


def append(
    connection: Connection,
    actor: Actor | None,
    action: str,
    *,
    entity: str = "",
    entity_id: object = None,
    detail: str | None = None,
    username: str | None = None,
) -> None:
    """One audit row in the caller's transaction, chained like `audit.record`'s."""
    row: dict[str, Any] = {
        "at": datetime.now(UTC),
        "actor_id": actor.id if actor else None,
        "actor_username": actor.username if actor else (username or ""),
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "before": None,
        "after": None,
        "detail": with_client(action, detail),
    }
    row["prev_hash"] = connection.execute(_TIP).scalar_one()
    row["row_hash"] = chain_hash(row["prev_hash"], row["at"], content(row))
    connection.execute(_NEW_TIP, {"hash": row["row_hash"]})
    connection.execute(_INSERT, row)


def content(row: Any) -> list[Any]:
    """The hashed fields of a row (a mapping or an object with those attributes)."""
    names = ("actor_id", "actor_username", "action", "entity", "entity_id", "before", "after")
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return [get(name) for name in (*names, "detail")]
