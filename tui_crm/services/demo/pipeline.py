"""Chunks drawn ahead in a second process while the database loads the previous one.

The drawing is sequential (ids, plate and VIN counters run through the chunks), so one
producer draws every chunk in order and hands them over a bounded queue; the result is
the same book as drawing them inline. Where `fork` is unavailable, or for a single
chunk, chunks are drawn inline.

For SQLite books the producer also derives each chunk's tables (policies, claims, ...)
into a chunk file of its own (`derive.derive_chunk`, the statements the inline build
runs), so the loader only appends finished rows.
"""

import multiprocessing
import queue as queue_module
import signal
import sqlite3
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tui_crm.services.demo.chunk import ChunkRows, generate_chunk
from tui_crm.services.demo.derive import draw_chunk, fill_work_tables
from tui_crm.services.demo.loader import SqliteWriter
from tui_crm.services.demo.lookups import (
    WORK_TABLES,
    SqlKit,
    create_work_tables,
    fill_lookups,
)
from tui_crm.services.demo.people import Context, Counters


@dataclass
class ChunkFiles:
    """What the producer needs to write chunk files: where, the book's table definitions
    (CREATE TABLE text), and the reference rows the derivation joins (intermediaries)."""

    workdir: Path
    tables: list[str] = field(default_factory=list)
    reference: dict[str, tuple[str, list[tuple]]] = field(default_factory=dict)
    today: int = 0


def chunk_sizes(customers: int, chunk: int) -> list[int]:
    return [min(chunk, customers - start) for start in range(0, customers, chunk)]


def pipelined(customers: int, chunk: int) -> bool:
    """Whether `chunks` draws in a producer process (several chunks, and `fork` exists)."""
    return customers > chunk and "fork" in multiprocessing.get_all_start_methods()


def chunks(
    ctx: Context, customers: int, chunk: int, files: ChunkFiles | None = None
) -> Iterator[ChunkRows]:
    """Every chunk in order; afterwards `ctx.counters` holds the producer's final counters.

    With `files` (SQLite builds) the producer writes each chunk's finished tables into a
    SQLite file in `files.workdir` (`rows.file`) for the loader to append.
    """
    sizes = chunk_sizes(customers, chunk)
    if not pipelined(customers, chunk):
        for index, size in enumerate(sizes):
            yield generate_chunk(ctx, np.random.default_rng([ctx.seed, 1, index]), size)
        return
    mp = multiprocessing.get_context("fork")
    handover: Any = mp.Queue(maxsize=2)
    producer = mp.Process(target=_produce, args=(handover, ctx, sizes, files), daemon=True)
    producer.start()
    try:
        for _ in sizes:
            yield _receive(handover, producer)
        final = _receive(handover, producer)
        assert isinstance(final, Counters)
        ctx.counters = final
    finally:
        if producer.is_alive():
            producer.terminate()
        producer.join()


def _receive(handover: Any, producer: Any) -> Any:
    while True:
        try:
            item = handover.get(timeout=1.0)
        except queue_module.Empty:
            if not producer.is_alive():
                raise RuntimeError("the demo generator process stopped") from None
            continue
        if isinstance(item, tuple) and item and item[0] == "error":
            raise RuntimeError(f"demo generator failed:\n{item[1]}")
        return item


def _produce(handover: Any, ctx: Context, sizes: list[int], files: ChunkFiles | None) -> None:
    # The loader alone answers Ctrl+C and SIGTERM (it cleans up, then stops this process);
    # the handlers inherited through fork would turn them into errors raised here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        writer = _chunk_writer(ctx, files) if files is not None else None
        kit = SqlKit(True, ctx.seed)
        for index, size in enumerate(sizes):
            rows = generate_chunk(ctx, np.random.default_rng([ctx.seed, 1, index]), size)
            if writer is not None and files is not None:
                _write_file(writer, kit, files, files.workdir / f"chunk{index:05d}.db", rows)
            handover.put(rows)
        handover.put(ctx.counters)
    except BaseException:  # report to the loader instead of dying silently
        handover.put(("error", traceback.format_exc()))


def _chunk_writer(ctx: Context, files: ChunkFiles) -> SqliteWriter:
    """An in-memory database with the work tables and lookups; each chunk file is attached
    to it as `out`, where the book's table names resolve (main holds none of them)."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    for pragma in ("temp_store=MEMORY", "cache_size=-131072"):
        connection.execute(f"PRAGMA {pragma}")
    writer = SqliteWriter(connection)
    create_work_tables(writer)
    fill_lookups(writer, ctx.org, ctx.as_of)
    writer.execute("DROP TABLE temp.demo_pterm")  # each chunk file has its own, for the loader
    for table, (definition, data) in files.reference.items():
        connection.execute(definition)
        if data:
            marks = ",".join("?" * len(data[0]))
            connection.executemany(f"INSERT INTO {table} VALUES ({marks})", data)
    return writer


def _write_file(
    writer: SqliteWriter, kit: SqlKit, files: ChunkFiles, path: Path, rows: ChunkRows
) -> None:
    connection = writer.raw
    pterm = WORK_TABLES["demo_pterm"]
    connection.execute("ATTACH DATABASE ? AS out", (str(path),))
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF"):
            connection.execute(f"PRAGMA out.{pragma}")
        connection.execute("BEGIN")
        for definition in files.tables:
            connection.execute(definition.replace("CREATE TABLE ", "CREATE TABLE out.", 1))
        connection.execute(f"CREATE TABLE out.demo_pterm ({pterm})")
        fill_work_tables(writer, rows)
        draw_chunk(writer, kit, rows, files.today)
        kit.claims_before = int(
            writer.scalar(f"SELECT COALESCE(MAX(id), {kit.claims_before}) FROM out.claim")
        )
        connection.execute("DELETE FROM demo_customer")
        connection.execute("DELETE FROM demo_vehicle")
        connection.execute("COMMIT")
    finally:
        connection.execute("DETACH DATABASE out")
    rows.file = str(path)
    rows.individuals, rows.companies, rows.vehicles = [], [], []
    rows.groups, rows.relations, rows.registry = [], [], []
