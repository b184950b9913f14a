"""SQLite's full-text search table kept in step set-wise during a chunk: the per-row
triggers are dropped inside the chunk's transaction, the touched customers' rows are
rewritten in two statements at the end, and the triggers come back before the commit (a
failed chunk rolls all of it back, triggers included). PostgreSQL needs nothing: its
trigram indexes are on the tables themselves."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from tui_crm.services.imports.lookups import chunks
from tui_crm.storage import search_index


@contextmanager
def fts_refreshed(connection: Connection) -> Iterator[set[int]]:
    touched: set[int] = set()
    if connection.dialect.name != "sqlite":
        yield touched
        return
    search_index.suspend_fts_triggers(connection)
    yield touched
    for part in chunks(sorted(touched)):
        marks = ",".join(str(int(i)) for i in part)
        connection.execute(text(f"DELETE FROM customer_fts WHERE rowid IN ({marks})"))
        connection.execute(
            text(
                "INSERT INTO customer_fts(rowid, name, address) "
                "SELECT c.id, c.name, coalesce((SELECT group_concat(value, ' ') FROM contact "
                "WHERE customer_id = c.id AND kind = 'address'), '') "
                f"FROM customer c WHERE c.id IN ({marks}) ORDER BY c.id"
            )
        )
    for statement in search_index.SQLITE_TRIGGERS:
        connection.execute(text(statement))
