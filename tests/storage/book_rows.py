"""Every row of a book's tables as plain values, for comparing two books (a backup and its
restore, a book before and after a migration), and the baseline book: a small demo book
made at the baseline revision, kept as data so it stays loadable at that revision however
the models change later.

Regenerate it (only ever at the baseline) with
`python -m tests.storage.book_rows sqlite:////tmp/baseline.db` on a book built by
`tui-crm demo --customers 30` at revision 0001.
"""

import base64
import gzip
import json
import sys
import warnings
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, LargeBinary, MetaData, Table, select, text
from sqlalchemy.exc import SAWarning

from tui_crm.storage.migrate import BASELINE_TABLES

BASELINE_BOOK = Path(__file__).parent / "data" / "baseline_book.json.gz"


def _tables(connection: Connection, names: set[str]) -> list[Table]:
    metadata = MetaData()
    with warnings.catch_warnings():  # expression indexes are not reflected: not needed here
        warnings.simplefilter("ignore", SAWarning)
        metadata.reflect(connection, only=sorted(names))
    return [t for t in metadata.sorted_tables if t.name in names]


def table_rows(connection: Connection, names: set[str]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of each named table in primary-key order (all columns when there is none)."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    for table in _tables(connection, names):
        order = list(table.primary_key.columns) or list(table.columns)
        rows = connection.execute(select(table).order_by(*order)).all()
        found[table.name] = [tuple(_plain(v) for v in row) for row in rows]
    return found


def _plain(value: Any) -> Any:
    """One value as both databases give it back alike: times in UTC without zone."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def write_baseline_book(connection: Connection) -> None:
    data = {
        table: [[_to_json(v) for v in row] for row in rows]
        for table, rows in table_rows(connection, set(BASELINE_TABLES)).items()
    }
    BASELINE_BOOK.parent.mkdir(exist_ok=True)
    with gzip.open(BASELINE_BOOK, "wt", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))


def read_baseline_book() -> dict[str, list[list[Any]]]:
    with gzip.open(BASELINE_BOOK, "rt", encoding="utf-8") as handle:
        data: dict[str, list[list[Any]]] = json.load(handle)
    return data


def _from_json(column: Any, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if kind.timezone else moment
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    return value


def load_baseline_book(connection: Connection) -> dict[str, list[list[Any]]]:
    """Insert the baseline book into a book at the baseline revision; returns its data."""
    data = read_baseline_book()
    for table in _tables(connection, set(data)):
        rows = data[table.name]
        connection.execute(table.delete())  # the audit chain's tip row the baseline made
        if rows:
            columns = list(table.columns)
            connection.execute(
                table.insert(),
                [
                    {c.name: _from_json(c, v) for c, v in zip(columns, row, strict=True)}
                    for row in rows
                ],
            )
        if connection.dialect.name == "postgresql" and "id" in table.c:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                    f" (SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"
                )
            )
    return data


if __name__ == "__main__":
    from sqlalchemy import create_engine

    engine = create_engine(sys.argv[1])
    with engine.connect() as source:
        write_baseline_book(source)
    print(f"wrote {BASELINE_BOOK}")
