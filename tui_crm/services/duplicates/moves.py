"""Moving a merged record's rows to the survivor and back, table by table.

Every table with a column pointing at `customer.id` takes part (found from the models,
so a table added later moves too), except the merge history itself, the list a record
came from (one per customer: the survivor keeps its own, the source is a merge field) and
tables without a single-column key (the recently-viewed list: a per-user shortcut,
resolved by search).
"""

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Table, select, update
from sqlmodel import Session, SQLModel

from tui_crm.storage.models import Customer

SKIP_TABLES = frozenset({"customer_merge", "customer_source_list"})


def customer_links() -> list[tuple[Table, Column[Any], Column[Any]]]:
    """(table, column pointing at customer.id, the table's key column)."""
    links = []
    for table in SQLModel.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if table.name in SKIP_TABLES or len(keys) != 1:
            continue
        for foreign in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            if foreign.column.table.name == "customer":
                links.append((table, foreign.parent, keys[0]))
    return links


def move_rows(session: Session, from_id: int, to_id: int) -> dict[str, list[int]]:
    """Point every row of `from_id` at `to_id`; returns {"table.column": [row ids]}."""
    moved: dict[str, list[int]] = {}
    for table, column, key in customer_links():
        ids = sorted(session.execute(select(key).where(column == from_id)).scalars())
        if not ids:
            continue
        session.execute(update(table).where(key.in_(ids)).values({column.name: to_id}))
        moved[f"{table.name}.{column.name}"] = ids
    return moved


def move_back(session: Session, moved: dict[str, list[int]], from_id: int, to_id: int) -> int:
    """Undo `move_rows`: the recorded rows still on `from_id` go back to `to_id`.
    Returns how many recorded rows were no longer there to move back."""
    by_name = {f"{t.name}.{c.name}": (t, c, k) for t, c, k in customer_links()}
    missing = 0
    for name, ids in moved.items():
        table, column, key = by_name[name]
        result = session.execute(
            update(table).where(key.in_(ids), column == from_id).values({column.name: to_id})
        )
        missing += len(ids) - int(result.rowcount)  # type: ignore[attr-defined]
    return missing


def customer_row(customer: Customer) -> dict[str, Any]:
    """The whole customer row as JSON-ready values."""
    row: dict[str, Any] = {}
    for column in Customer.__table__.columns:  # type: ignore[attr-defined]
        value = getattr(customer, column.name)
        row[column.name] = value.isoformat() if isinstance(value, date | datetime) else value
    return row


def row_values(row: dict[str, Any]) -> dict[str, Any]:
    """`customer_row`'s values back as column values (dates and times parsed)."""
    values: dict[str, Any] = {}
    for column in Customer.__table__.columns:  # type: ignore[attr-defined]
        if column.name == "id" or column.name not in row:
            continue
        value = row[column.name]
        kind = column.type.python_type if value is not None else None
        if kind is datetime:
            value = datetime.fromisoformat(value)
        elif kind is date:
            value = date.fromisoformat(value)
        values[column.name] = value
    return values


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
