"""Chunks drawn ahead in a second process while the database loads the previous one.

The drawing is sequential (ids, plate and VIN counters run through the chunks), so one
producer draws every chunk in order and hands them over a bounded queue; the result is
the same book as drawing them inline. Where `fork` is unavailable, or for a single
chunk, chunks are drawn inline.
"""

import multiprocessing
import queue as queue_module
import sqlite3
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from tui_crm.services.demo.chunk import ChunkRows, generate_chunk
from tui_crm.services.demo.lookups import (
    COMPANY_COLUMNS,
    INDIVIDUAL_COLUMNS,
    VEHICLE_COLUMNS,
    WORK_TABLES,
)
from tui_crm.services.demo.people import Context, Counters


def chunk_sizes(customers: int, chunk: int) -> list[int]:
    return [min(chunk, customers - start) for start in range(0, customers, chunk)]


def pipelined(customers: int, chunk: int) -> bool:
    """Whether `chunks` draws in a producer process (several chunks, and `fork` exists)."""
    return customers > chunk and "fork" in multiprocessing.get_all_start_methods()


def chunks(
    ctx: Context, customers: int, chunk: int, workdir: Path | None = None
) -> Iterator[ChunkRows]:
    """Every chunk in order; afterwards `ctx.counters` holds the producer's final counters.

    With a `workdir` (SQLite builds) the producer also writes each chunk's customers and
    vehicles into a small SQLite file there (`rows.file`), so the loader attaches it
    instead of binding a million parameters itself.
    """
    sizes = chunk_sizes(customers, chunk)
    if not pipelined(customers, chunk):
        for index, size in enumerate(sizes):
            yield generate_chunk(ctx, np.random.default_rng([ctx.seed, 1, index]), size)
        return
    mp = multiprocessing.get_context("fork")
    handover: Any = mp.Queue(maxsize=2)
    producer = mp.Process(target=_produce, args=(handover, ctx, sizes, workdir), daemon=True)
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


def _produce(handover: Any, ctx: Context, sizes: list[int], workdir: Path | None) -> None:
    try:
        for index, size in enumerate(sizes):
            rows = generate_chunk(ctx, np.random.default_rng([ctx.seed, 1, index]), size)
            if workdir is not None:
                _write_file(workdir / f"chunk{index:05d}.db", rows)
            handover.put(rows)
        handover.put(ctx.counters)
    except BaseException:  # report to the loader instead of dying silently
        handover.put(("error", traceback.format_exc()))


def _write_file(path: Path, rows: ChunkRows) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF"):
            connection.execute(f"PRAGMA {pragma}")
        connection.execute("BEGIN")
        for name, columns, data in (
            ("demo_customer", INDIVIDUAL_COLUMNS, rows.individuals),
            ("demo_customer", COMPANY_COLUMNS, rows.companies),
            ("demo_vehicle", VEHICLE_COLUMNS, rows.vehicles),
        ):
            definition = WORK_TABLES[name].format(date="TEXT", ts="TEXT")
            connection.execute(f"CREATE TABLE IF NOT EXISTS {name} ({definition})")
            marks = ",".join("?" * len(columns))
            connection.executemany(
                f"INSERT INTO {name} ({','.join(columns)}) VALUES ({marks})", data
            )
        connection.execute("COMMIT")
    finally:
        connection.close()
    rows.file = str(path)
    rows.individuals, rows.companies, rows.vehicles = [], [], []
