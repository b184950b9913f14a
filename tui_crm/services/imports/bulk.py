"""A chunk's new rows written as the demo loader writes them: the ids taken first, each
column's values converted to what the driver stores in one pass over the column (the
columns' own bind processors: money to fen, dates and times as the dialect keeps them),
then one executemany of plain tuples — no per-row parameter processing by SQLAlchemy."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table, func, select, text, update


def insert_rows(
    connection: Connection, table: Table, rows: list[dict[str, Any]], *, ids: bool = False
) -> list[int]:
    """Insert `rows` (dicts with the same keys); their new ids in order when `ids`."""
    if not rows:
        return []
    names = list(rows[0])
    columns: list[list[Any]] = [[row[name] for row in rows] for name in names]
    for index, name in enumerate(names):
        process = _processor(connection, table, name)
        if process is not None:
            columns[index] = list(map(process, columns[index]))
    new_ids = next_ids(connection, table, len(rows)) if ids else []
    if ids:
        names.insert(0, "id")
        columns.insert(0, new_ids)
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    )
    connection.exec_driver_sql(statement, list(zip(*columns, strict=True)))
    return new_ids


def next_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """`count` ids for new rows, in order. PostgreSQL: from the table's sequence. SQLite:
    the write lock is taken first (the book has one writer at a time), then the ids after
    the highest are used."""
    if connection.dialect.name == "postgresql":
        query = text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        )
        return [row[0] for row in connection.execute(query, {"table": table.name, "n": count})]
    connection.execute(update(table).where(table.c.id == -1).values(id=-1))  # the write lock
    start = (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    return list(range(start, start + count))


def _processor(connection: Connection, table: Table, name: str) -> Callable[[Any], Any] | None:
    column_type = table.c[name].type
    return column_type._cached_bind_processor(connection.dialect)
