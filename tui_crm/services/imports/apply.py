"""Writing one chunk: rows compared with what the table holds by their natural key, then
one INSERT for the new ones and one UPDATE per changed column set — nothing written for a
row that did not change, so importing the same file twice writes nothing the second time."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, update

from tui_crm.services.imports.bulk import insert_rows
from tui_crm.services.imports.lookups import chunks


@dataclass
class Outcome:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    new_ids: list[int] = field(default_factory=list)  # in the order of the inserted rows
    changed_ids: list[int] = field(default_factory=list)


def existing_rows(
    connection: Connection, table: Table, key: str, values: Sequence[Any], columns: Sequence[str]
) -> dict[Any, dict[str, Any]]:
    """The rows of `table` whose `key` is among `values`: key → {id, columns...}."""
    out: dict[Any, dict[str, Any]] = {}
    wanted = [table.c.id, table.c[key], *(table.c[c] for c in columns if c != key)]
    for part in chunks(sorted(set(values))):
        for row in connection.execute(select(*wanted).where(table.c[key].in_(part))):
            out[row._mapping[key]] = dict(row._mapping)
    return out


def changes(
    current: dict[str, Any], wanted: dict[str, Any], columns: Sequence[str]
) -> dict[str, Any]:
    return {c: wanted[c] for c in columns if c in wanted and current.get(c) != wanted[c]}


def write(
    connection: Connection,
    table: Table,
    inserts: list[dict[str, Any]],
    updates: list[tuple[int, dict[str, Any]]],
    *,
    unchanged: int = 0,
    returning: bool = False,
) -> Outcome:
    """Insert the new rows (their ids in order when `returning`) and apply the updates
    (grouped by the set of columns they change)."""
    outcome = Outcome(inserted=len(inserts), updated=len(updates), unchanged=unchanged)
    if inserts:
        outcome.new_ids = insert_rows(connection, table, inserts, ids=returning)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row_id, values in updates:
        names = tuple(sorted(values))
        groups.setdefault(names, []).append(
            {"_id": row_id, **{f"_{k}": v for k, v in values.items()}}
        )
        outcome.changed_ids.append(row_id)
    for names, rows in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({name: bindparam(f"_{name}") for name in names})
        )
        connection.execute(statement, rows)
    return outcome
