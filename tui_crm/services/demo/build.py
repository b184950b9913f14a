"""Build the demo book: org and staff, then customers in chunks (Python draws people and
vehicles, SQL derives their policies, receivables, payments and claims), then the
hand-written class examples, indexes, full-text search and statistics.

Deterministic: the same (customers, seed, as-of date) gives the same rows. The as-of date
defaults to today so the book is always current (renewals due, claims in the last 12
months); pass it explicitly to rebuild an identical book on another day.
"""

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from tui_crm.i18n import tr
from tui_crm.services.accounts.book import DEMO_BOOK_KEY
from tui_crm.services.core.errors import Conflict
from tui_crm.services.demo.derive import (
    CHUNK_TABLES,
    append_chunk,
    chunk_columns,
    derive_chunk,
    fill_work_tables,
)
from tui_crm.services.demo.loader import BULK_TABLES, BulkLoader
from tui_crm.services.demo.lookups import SqlKit, create_work_tables, drop_work_tables, fill_lookups
from tui_crm.services.demo.org import DEMO_PASSWORD, load_org
from tui_crm.services.demo.people import Context, day_number
from tui_crm.services.demo.pipeline import ChunkFiles, chunks, pipelined
from tui_crm.services.demo.special import plant
from tui_crm.storage import search_index
from tui_crm.storage.db import Database

DEFAULT_SEED = 20_260_101
CHUNK = 50_000
COUNTED = ("staff_user", "intermediary", "corporate_group", *BULK_TABLES)
Progress = Callable[[str, int, int], None]  # phase, done, total


@dataclass
class DemoResult:
    customers: int
    seed: int
    as_of: date
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def has_data(database: Database) -> bool:
    from sqlalchemy import inspect, text

    with database.connect() as connection:
        if not inspect(connection).has_table("customer"):
            return False
        for table in ("customer", "staff_user"):
            if connection.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first():
                return True
    return False


def build_demo(
    database: Database,
    customers: int,
    *,
    seed: int = DEFAULT_SEED,
    as_of: date | None = None,
    replace: bool = False,
    progress: Progress | None = None,
    chunk: int = CHUNK,
) -> DemoResult:
    from tui_crm.services.core.clock import Clock
    from tui_crm.services.setup import ensure_ready

    as_of = as_of or Clock().today()
    result = DemoResult(customers=customers, seed=seed, as_of=as_of)
    clock = _Stopwatch(result)
    target = sqlite_file(database)
    # Asking an absent file whether it has data would create it.
    filled = has_data(database) if target is None or target.exists() else False
    if filled and not replace:
        raise Conflict(
            tr(
                "数据库已有数据；如要清空并重建演示数据，请加 --replace",
                "The database is not empty; add --replace to drop it and build the demo",
            ),
            code="not_empty",
        )
    if target is not None:
        # A file book is built beside the target and renamed into place only when whole:
        # an interrupted build leaves the old file (or none) and no half-built book.
        building = target.with_name(f".{target.name}.building-{os.getpid()}")
        remove_sqlite_files(building)
        scratch = Database.from_url(f"sqlite:///{building}")
        try:
            ensure_ready(scratch)
            _build(scratch, result, clock, customers, seed, as_of, progress, chunk)
            _other_readings(scratch, clock)
            scratch.dispose()
            _retire(database, target)
            os.replace(building, target)
        finally:
            scratch.dispose()
            remove_sqlite_files(building)
        return result
    if filled:
        database.drop_schema()
    ensure_ready(database)
    _build(database, result, clock, customers, seed, as_of, progress, chunk)
    _other_readings(database, clock)
    return result


def _other_readings(database: Database, clock: "_Stopwatch") -> None:
    """The names' other readings for pinyin search (乐 le / yue), once the book is in."""
    from tui_crm.services.customers.pinyin_variants import refresh_pinyin_variants

    refresh_pinyin_variants(database)
    clock.lap("pinyin")


def sqlite_file(database: Database) -> Path | None:
    """The file of a SQLite book this build may replace whole (not a test's connection)."""
    if not database.is_sqlite or not isinstance(database.bind, Engine):
        return None
    name = database.engine.url.database
    return Path(name).resolve() if name and name != ":memory:" else None


def remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _retire(database: Database, target: Path) -> None:
    """Close the old book with its write-ahead log folded in, so no stale -wal file can
    be replayed into the new one."""
    if target.exists():
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)


def _build(
    database: Database,
    result: DemoResult,
    clock: "_Stopwatch",
    customers: int,
    seed: int,
    as_of: date,
    progress: Progress | None,
    chunk: int,
) -> None:
    with database.connect() as connection:
        search_index.suspend_fts_triggers(connection)
    clock.lap("schema")
    loader = BulkLoader(database)
    try:
        _load(loader, result, clock, customers, seed, as_of, progress, chunk)
        loader.finish()
    except BaseException:
        loader.abort()
        with database.connect() as connection:
            search_index.rebuild_fts(connection)  # triggers back, whatever the state
        raise


def _load(
    loader: BulkLoader,
    result: DemoResult,
    clock: "_Stopwatch",
    customers: int,
    seed: int,
    as_of: date,
    progress: Progress | None,
    chunk: int,
) -> None:
    ctx, kit = _prepare(loader, seed, as_of)
    clock.lap("org")
    _load_chunks(loader, ctx, kit, clock, customers, chunk, progress)
    first_example = ctx.counters.customer
    result.rows["examples"] = plant(loader, ctx)
    drop_work_tables(loader)
    _audit(loader, result, ctx.ts_suffix)
    clock.lap("load")
    _index_and_count(loader, result, clock, first_example, progress)


def _prepare(loader: BulkLoader, seed: int, as_of: date) -> tuple[Context, SqlKit]:
    """The org tree and staff, the demo marker, the work tables and lookups."""
    from argon2 import PasswordHasher

    password_hash = PasswordHasher().hash(DEMO_PASSWORD)  # once, for every demo user
    org = load_org(loader, np.random.default_rng([seed, 0]), password_hash, as_of)
    # The sign-in screen of a demo book says how to sign in; a real book never does.
    loader.insert("book_meta", ["key", "value"], [(DEMO_BOOK_KEY, "1")])
    loader.drop_indexes()
    create_work_tables(loader)
    ctx = Context(
        org, as_of, seed, ts_suffix=" 02:00:00.000000" if loader.sqlite else " 02:00:00+00"
    )
    fill_lookups(loader, org, as_of)
    return ctx, SqlKit(loader.sqlite, seed)


def _load_chunks(
    loader: BulkLoader,
    ctx: Context,
    kit: SqlKit,
    clock: "_Stopwatch",
    customers: int,
    chunk: int,
    progress: Progress | None,
) -> None:
    """The customers chunk by chunk: generated (in files when pipelined), derived, loaded."""
    today = day_number(ctx.as_of)
    done = 0
    _start_search(loader)
    files = _chunk_files(loader, customers, chunk, today)
    columns = chunk_columns(loader) if files is not None else {}
    try:
        for rows in chunks(ctx, customers, chunk, files):
            clock.lap("generate")  # waiting for the producer, when it is behind
            if rows.file:
                loader.attach(rows.file)
                append_chunk(loader, kit, rows, today, columns)
                _search_chunk(loader, "chunk.")
                loader.detach()
                Path(rows.file).unlink()
            else:
                fill_work_tables(loader, rows)
                derive_chunk(loader, kit, rows, today)
                _search_chunk(loader, "")
                loader.execute("DELETE FROM demo_customer")
                loader.execute("DELETE FROM demo_vehicle")
            clock.lap("load")
            done += rows.customers[1] - rows.customers[0] + 1
            if progress:
                progress("customers", done, customers)
    finally:
        if files is not None:
            shutil.rmtree(files.workdir, ignore_errors=True)


def _index_and_count(
    loader: BulkLoader,
    result: DemoResult,
    clock: "_Stopwatch",
    first_example: int,
    progress: Progress | None,
) -> None:
    """Indexes back, sequences past the loaded ids, the search table, statistics, counts."""
    if progress:
        progress("indexes", 0, 1)
    loader.create_indexes()
    loader.reset_sequences([*COUNTED, "catastrophe_event"])
    clock.lap("indexes")
    _finish_search(loader, first_example)
    clock.lap("search")
    loader.analyze()
    clock.lap("analyze")
    for table in COUNTED:
        result.rows[table] = int(loader.scalar(f"SELECT count(*) FROM {table}"))


def _chunk_files(loader: BulkLoader, customers: int, chunk: int, today: int) -> ChunkFiles | None:
    """SQLite builds of several chunks: the producer derives each chunk into a file of its
    own, with the book's table definitions and the intermediaries the derivation joins."""
    if not (loader.sqlite and loader.owns_transaction and pipelined(customers, chunk)):
        return None
    loader.execute("DROP TABLE temp.demo_pterm")  # the attached chunk's terms are read instead
    names = ",".join(f"'{t}'" for t in CHUNK_TABLES)
    # Uniqueness is checked where the rows land (the book), not again in each chunk file.
    tables = [
        re.sub(r"\n\tUNIQUE \([^)]*\),", "", r[0])
        for r in loader.raw.execute(
            f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name IN ({names})"
        ).fetchall()
    ]
    definition = loader.scalar("SELECT sql FROM sqlite_master WHERE name = 'intermediary'")
    data = [tuple(r) for r in loader.raw.execute("SELECT * FROM intermediary").fetchall()]
    return ChunkFiles(
        Path(tempfile.mkdtemp(prefix="tui-crm-demo-", dir=_scratch_dir(loader))),
        tables,
        {"intermediary": (definition, data)},
        today,
    )


def _scratch_dir(loader: BulkLoader) -> str | None:
    """Chunk files beside the book being built (same disk, gone with it)."""
    name = loader.database.engine.url.database
    return str(Path(name).resolve().parent) if name and name != ":memory:" else None


def _start_search(loader: BulkLoader) -> None:
    """SQLite full-text table: filled chunk by chunk in rowid order (FTS5 appends cheaply
    that way, and crawls when rowids arrive shuffled), merging segments lazily."""
    if loader.sqlite:
        loader.execute("DELETE FROM customer_fts")
        loader.execute("INSERT INTO customer_fts(customer_fts, rank) VALUES('automerge', 0)")
        loader.execute("INSERT INTO customer_fts(customer_fts, rank) VALUES('crisismerge', 64)")


def _search_chunk(loader: BulkLoader, schema: str) -> None:
    if not loader.sqlite:
        return
    if schema:  # a chunk file: its customers and their one address each
        loader.execute(
            "INSERT INTO customer_fts(rowid, name, address) SELECT c.id, c.name, a.value"
            f" FROM {schema}customer c JOIN {schema}contact a ON a.customer_id = c.id"
            " AND a.kind = 'address' ORDER BY c.id"
        )
    else:
        loader.execute(
            "INSERT INTO customer_fts(rowid, name, address)"
            " SELECT id, name, address FROM demo_customer ORDER BY id"
        )


def _finish_search(loader: BulkLoader, first_id: int) -> None:
    """The rows added after the chunks, FTS5's merge defaults, and the triggers back."""
    if not loader.sqlite:
        return
    loader.execute(
        "INSERT INTO customer_fts(rowid, name, address) SELECT c.id, c.name,"
        " COALESCE((SELECT group_concat(a.value, ' ') FROM contact a"
        " WHERE a.customer_id = c.id AND a.kind = 'address'), '')"
        f" FROM customer c WHERE c.id >= {first_id} ORDER BY c.id"
    )
    loader.execute("INSERT INTO customer_fts(customer_fts, rank) VALUES('automerge', 4)")
    loader.execute("INSERT INTO customer_fts(customer_fts, rank) VALUES('crisismerge', 16)")
    for statement in search_index.SQLITE_TRIGGERS:
        loader.execute(statement)


def _audit(loader: BulkLoader, result: DemoResult, suffix: str) -> None:
    loader.insert(
        "audit_log",
        ["at", "actor_username", "action", "entity", "detail"],
        [(result.as_of.isoformat() + suffix, "system", "demo_build", "database",
          f"customers={result.customers} seed={result.seed} as_of={result.as_of}")],
    )  # fmt: skip


class _Stopwatch:
    def __init__(self, result: DemoResult) -> None:
        self.result = result
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.result.seconds[phase] = self.result.seconds.get(phase, 0.0) + now - self.last
        self.last = now


__all__ = ["DEFAULT_SEED", "DemoResult", "build_demo"]
