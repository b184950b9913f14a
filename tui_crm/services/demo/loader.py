"""Bulk loading on the raw DBAPI connection: executemany on SQLite, COPY on PostgreSQL.

The loader owns one transaction for the whole build. Secondary indexes are dropped before
the load and recreated after it; foreign keys are checked by the generator's construction
and by the tests rather than row by row during the load.
"""

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy import Engine

from tui_crm.storage.db import Database

# Tables the demo fills in bulk: their secondary indexes are rebuilt after the load.
BULK_TABLES = (
    "customer",
    "contact",
    "customer_relation",
    "vehicle",
    "registry_vehicle",
    "policy",
    "receivable",
    "payment",
    "claim",
    "service_contact",
)


class Writer(Protocol):
    """What the set-based steps need: the build's loader, or a chunk's own SQLite file."""

    sqlite: bool

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None: ...

    def scalar(self, sql: str) -> Any: ...

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None: ...


class SqliteWriter:
    """A `Writer` over a plain sqlite3 connection (the chunk producer's)."""

    sqlite = True

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.raw = connection

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.raw.execute(sql, params or ())

    def scalar(self, sql: str) -> Any:
        row = self.raw.execute(sql).fetchone()
        return row[0] if row else None

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        marks = ",".join("?" * len(columns))
        self.raw.executemany(f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})", rows)


class BulkLoader:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.sqlite = database.is_sqlite
        self.owns_transaction = isinstance(database.bind, Engine)
        self._proxy: Any = None
        if self.owns_transaction:
            # No other pooled connection may hold the file while the journal mode changes.
            database.engine.dispose()
            self._proxy = database.engine.raw_connection()
            self.raw: Any = self._proxy.driver_connection
        else:  # a test's connection inside an outer transaction
            self.raw = database.bind.connection.dbapi_connection  # type: ignore[union-attr]
        self.saved_indexes: list[tuple[str, str]] = []
        self.saved_foreign_keys: list[tuple[str, str, str]] = []
        self._begin()

    # ------------------------------------------------------------ transaction

    def _begin(self) -> None:
        if self.sqlite:
            if self.owns_transaction:
                self.raw.isolation_level = None  # explicit BEGIN/COMMIT
                for pragma in (
                    "PRAGMA foreign_keys=OFF",
                    "PRAGMA journal_mode=OFF",
                    "PRAGMA synchronous=OFF",
                    "PRAGMA locking_mode=EXCLUSIVE",
                    "PRAGMA cache_size=-524288",  # 512 MiB
                    "PRAGMA temp_store=MEMORY",
                    "PRAGMA threads=2",
                    # Index builds read every table back: mapped pages spare a copy per read.
                    "PRAGMA mmap_size=8589934592",
                ):
                    self.raw.execute(pragma)
                self.raw.execute("BEGIN")
            return
        with self.raw.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            # The generated expressions are long: compiling them costs more than it saves.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")  # index sorts in memory
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL TIME ZONE 'UTC'")
            # Chunks load claims before the policies of later rows exist, and only a
            # superuser may switch FK triggers off: the owner drops the foreign keys for
            # the load and adds them back (checked once) before the one commit.
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
                " FROM pg_constraint WHERE contype = 'f'"
                " AND connamespace = current_schema()::regnamespace ORDER BY 1, 2"
            )
            self.saved_foreign_keys = [tuple(row) for row in cursor.fetchall()]
            for table, name, _definition in self.saved_foreign_keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')

    def finish(self) -> None:
        if self.sqlite:
            if self.owns_transaction:
                self.raw.execute("COMMIT")
                for pragma in (
                    "PRAGMA locking_mode=NORMAL",
                    "PRAGMA journal_mode=WAL",
                    "PRAGMA foreign_keys=ON",
                ):
                    self.raw.execute(pragma)
                self.raw.execute("SELECT 1 FROM customer LIMIT 1").fetchall()
        else:
            with self.raw.cursor() as cursor:
                for table, name, definition in self.saved_foreign_keys:
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            self.saved_foreign_keys = []
            if self.owns_transaction:
                self.raw.commit()
        self.close()

    def abort(self) -> None:
        try:
            if self.sqlite and self.owns_transaction:
                self.raw.execute("ROLLBACK")
            elif self.owns_transaction:
                self.raw.rollback()
        finally:
            self.close()

    def close(self) -> None:
        if self._proxy is not None:
            if self.sqlite:
                self.raw.isolation_level = ""
            self._proxy.close()
            self._proxy = None
            self.database.engine.dispose()

    def attach(self, path: str) -> None:
        """SQLite: read a chunk file's work tables as if they were ours."""
        self.raw.execute("ATTACH DATABASE ? AS chunk", (path,))

    def detach(self) -> None:
        """SQLite: DETACH needs no open transaction; the loader commits between chunks."""
        self.raw.execute("COMMIT")
        self.raw.execute("DETACH DATABASE chunk")
        self.raw.execute("BEGIN")

    # ------------------------------------------------------------ statements

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        if self.sqlite:
            self.raw.execute(sql, params or ())
        else:
            with self.raw.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s") if params else sql, params)

    def scalar(self, sql: str) -> Any:
        if self.sqlite:
            row = self.raw.execute(sql).fetchone()
        else:
            with self.raw.cursor() as cursor:
                cursor.execute(sql)
                row = cursor.fetchone()
        return row[0] if row else None

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Append rows (tuples in `columns` order; dates as ISO text, money as fen)."""
        if self.sqlite:
            marks = ",".join("?" * len(columns))
            self.raw.executemany(
                f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})", rows
            )
            return
        sql = f"COPY {table} ({','.join(columns)}) FROM STDIN"
        with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
            buffer: list[str] = []
            for row in rows:
                buffer.append("\t".join(["\\N" if v is None else _pg_text(v) for v in row]))
                if len(buffer) >= 20_000:
                    copy.write("\n".join(buffer) + "\n")
                    buffer.clear()
            if buffer:
                copy.write("\n".join(buffer) + "\n")

    # ------------------------------------------------------------ indexes

    def drop_indexes(self, tables: Sequence[str] = BULK_TABLES) -> None:
        names = ",".join(f"'{t}'" for t in tables)
        if self.sqlite:
            rows = self.raw.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({names})"
            ).fetchall()
        else:
            with self.raw.cursor() as cursor:
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname ="
                    f" current_schema() AND tablename IN ({names}) AND indexname NOT IN"
                    " (SELECT conname FROM pg_constraint)"
                )
                rows = cursor.fetchall()
        self.saved_indexes = [(name, sql) for name, sql in rows if not _in_load_order(sql)]
        for name, _sql in self.saved_indexes:
            self.execute(f"DROP INDEX {name}")

    def create_indexes(self) -> None:
        if self.sqlite and self.owns_transaction:
            # A small cache makes each build sort its keys in runs spilled to temporary
            # files and merged by helper threads (`threads`): about half the time of one
            # in-memory sort of every key of a large cache, and both cores take part.
            # (temp_store changes only between transactions; the work tables are gone.)
            self.raw.execute("COMMIT")
            for pragma in ("cache_size=-8192", "temp_store=FILE"):
                self.raw.execute(f"PRAGMA {pragma}")
            self.raw.execute("BEGIN")
        for _name, sql in self.saved_indexes:
            self.execute(sql)
        self.saved_indexes = []

    def analyze(self) -> None:
        if self.sqlite:
            self.execute("PRAGMA analysis_limit=1000")  # sampled statistics: plenty for plans
            self.execute("ANALYZE")
            return
        # The book's own tables: a bare ANALYZE would take every schema's in the database.
        with self.raw.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [row[0] for row in cursor.fetchall()]
        self.execute("ANALYZE " + ", ".join(f'"{t}"' for t in tables))

    def reset_sequences(self, tables: Sequence[str]) -> None:
        if self.sqlite:
            return
        for table in tables:
            self.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )


# Columns that grow with the order rows are loaded in (chunks of ascending customer ids):
# an index led by one of them is cheaper to keep up during the load than to build after.
LOAD_ORDER_COLUMNS = {"customer_id", "owner_customer_id", "policy_id", "receivable_id"}


def _in_load_order(sql: str) -> bool:
    columns = sql.split("(", 1)[1] if "(" in sql else ""
    first = columns.split(",")[0].split(")")[0].strip().strip('"')
    return first in LOAD_ORDER_COLUMNS


def _pg_text(value: Any) -> str:
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)
