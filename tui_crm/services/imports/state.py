"""Unchanged rows skipped without parsing them.

For every key an import writes (or finds unchanged) it keeps, in `import_row`, a digest of
the row's cells together with the import's context, the id of the book's row it went to,
and a digest of what that row held right after. The next import of the same file reads,
per chunk, the entries whose digest equals a row's, and the current values of their rows
in the book: a row whose cells and whose book row are both as last time would be parsed,
resolved and compared only to be counted `unchanged`, so it is counted so at once. Any
change — a cell, the profile, the mapping, the importer's units, the code tables, a clerk's
edit, a merge — sends the row through the full path, which also records the new digests.
"""

import hashlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from tui_crm.services.imports.lookups import Context, chunks
from tui_crm.services.imports.profile import Mapping, Profile

# Part of every digest: change it when parsing or resolving a row changes what it writes,
# so the next import parses every row once again.
RULES = "1"
UPSERT = (
    "INSERT INTO import_row (kind, source, key, digest, target_id, state) VALUES ({m}) "
    "ON CONFLICT (kind, source, key) DO UPDATE SET digest = excluded.digest, "
    "target_id = excluded.target_id, state = excluded.state"
)


@dataclass(frozen=True)
class Known:
    key: str
    target_id: int
    state: str


def context_digest(kind: str, ctx: Context, mapping: Mapping, profile: Profile) -> bytes:
    """What else decides how a row is read: the rules, the kind, the profile's value maps,
    the columns' places, the source, the importer's units and the code tables."""
    facts = (
        RULES,
        kind,
        sorted(mapping.positions.items()),
        sorted((c, sorted(t.items())) for c, t in profile.values.items()),
        ctx.source,
        ctx.actor.unit_id,
        sorted(ctx.actor.scope_unit_ids),
        sorted(ctx.units.items()),
        sorted(ctx.staff.items()),
        sorted(ctx.intermediaries.items()),
    )
    return hashlib.blake2b(repr(facts).encode(), digest_size=16).digest()


def row_digest(context: bytes, cells: list[str]) -> str:
    return hashlib.blake2b("\x1f".join(cells).encode(), digest_size=16, key=context).hexdigest()


def key_text(key: Hashable) -> str:
    """A row's key inside its file as text (what `import_row.key` holds)."""
    if isinstance(key, tuple):
        return "|".join(str(part) for part in key)
    kind, value = getattr(key, "kind", None), getattr(key, "value", None)
    if kind is not None:
        return f"{kind}:{value}"
    return str(key)


def state_digest(values: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr(values).encode(), digest_size=12).hexdigest()


def table_states(
    connection: Connection, table: str, columns: Iterable[str], ids: Iterable[int]
) -> dict[int, str]:
    """id → digest of the row's `columns` as the driver returns them (no type processing:
    both digests of a comparison come from this same query on the same database)."""
    names = ", ".join(columns)
    out: dict[int, str] = {}
    for part in chunks(sorted(set(ids))):
        marks = ",".join(str(int(i)) for i in part)
        rows = connection.exec_driver_sql(f"SELECT id, {names} FROM {table} WHERE id IN ({marks})")
        for row in rows.all():
            out[row[0]] = state_digest(tuple(row[1:]))
    return out


def known(
    connection: Connection, kind: str, source: str, digests: Iterable[str]
) -> dict[str, Known]:
    """digest → the entry last written with it (digests are hex: inlined safely)."""
    out: dict[str, Known] = {}
    for part in chunks(sorted(set(digests))):
        marks = ",".join(f"'{d}'" for d in part if d.isalnum())
        rows = connection.exec_driver_sql(
            "SELECT digest, key, target_id, state FROM import_row "
            f"WHERE kind = '{kind}' AND source = {_literal(source)} AND digest IN ({marks})"
        )
        for digest, key, target_id, state in rows.all():
            out[digest] = Known(key, target_id, state)
    return out


def remember(
    connection: Connection, kind: str, source: str, entries: list[tuple[str, str, int, str]]
) -> None:
    """Record (key, digest, target id, state) for each entry, replacing what the key had."""
    if not entries:
        return
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = UPSERT.format(m=", ".join([mark] * 6))
    connection.exec_driver_sql(
        statement,
        [(kind, source, key, digest, target, state) for key, digest, target, state in entries],
    )


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
