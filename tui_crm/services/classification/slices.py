"""The whole-book classification loop: customer-id slices, read ahead by reader processes.

Each slice's facts are a handful of SQL aggregates (`classification_facts.collect`); the
rules run vectorised on them (`classification_vector.classify_frame`) and only changed
rows are written (`classification_write.ResultWriter`). On a book of more than a few
slices, reader processes with their own connections read the next slices while the
run's connection classifies and writes the current one, so both cores work on the run
(threads would not do: the driver takes the interpreter lock back after every row). The
readers see committed data only, which is what the run needs: each customer is read
before the run writes it. Small books, and a database bound to one connection (the test
suite on PostgreSQL), are read in turn on the run's own connection.
"""

import multiprocessing
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, func
from sqlalchemy import select as sa_select

from tui_crm.i18n import tr
from tui_crm.services.classification.facts import collect, customer_t, id_range
from tui_crm.services.classification.rules import RULE_VERSION, ClassThresholds, Window
from tui_crm.services.classification.totals import Totals
from tui_crm.services.classification.vector import classify_frame
from tui_crm.services.classification.write import ResultWriter, changed_rows
from tui_crm.storage.db import Database

if TYPE_CHECKING:
    import pandas as pd

    from tui_crm.services.classification.types import RunResult

Progress = Callable[[int, int, str], None]
RUN_CACHE_KIB = 524_288  # SQLite page cache of a run's connections while it runs
READERS = 2  # reader processes (the machine has two cores; the run's own is the third)
AHEAD = 3  # slices the readers may have read ahead of the run
READER_FROM_SLICES = 4  # books of fewer slices are read on the run's connection


@contextmanager
def run_cache(connection: Connection) -> Iterator[None]:
    """A larger SQLite page cache for a run's connection (its writes stay in memory until
    the commit instead of spilling), back to the usual size afterwards."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{RUN_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")


class _Reader:
    """State of the reader process: its own database connection and the run's totals."""

    connection: Connection
    window: Window
    thresholds: ClassThresholds
    book: Totals


def _reader_start(url: str, as_of: date, thresholds: ClassThresholds) -> None:
    database = Database.from_url(url)
    _Reader.connection = database.engine.connect()
    if _Reader.connection.dialect.name == "sqlite":
        _Reader.connection.exec_driver_sql(f"PRAGMA cache_size=-{RUN_CACHE_KIB}")
    _Reader.window, _Reader.thresholds, _Reader.book = Window(as_of), thresholds, Totals()


def _reader_read(bounds: tuple[int, int]) -> "tuple[pd.DataFrame, float]":
    mark = time.perf_counter()
    facts = collect(
        _Reader.connection, id_range(*bounds), _Reader.window, _Reader.thresholds, book=_Reader.book
    )
    _Reader.connection.rollback()  # no snapshot held between slices
    return facts, time.perf_counter() - mark


@contextmanager
def reader_process(
    database: Database, as_of: date, thresholds: ClassThresholds, slices: int
) -> Iterator[ProcessPoolExecutor | None]:
    """Reader processes for a big book on its own database, else None."""
    url_ = database.engine.url
    in_memory = url_.get_backend_name() == "sqlite" and url_.database in (None, "", ":memory:")
    if not isinstance(database.bind, Engine) or in_memory or slices < READER_FROM_SLICES:
        yield None
        return
    url = url_.render_as_string(hide_password=False)
    pool = ProcessPoolExecutor(
        max_workers=READERS,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_reader_start,
        initargs=(url, as_of, thresholds),
    )
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # a slice being read ends on its own
        raise
    pool.shutdown(wait=True)


def run_slices(
    database: Database,
    connection: Connection,
    result: "RunResult",
    thresholds: ClassThresholds,
    chunk_size: int,
    check: Callable[[], None],
    report: Progress,
    writer: ResultWriter,
) -> None:
    window = Window(result.as_of)
    c = customer_t.c
    low, high, total = connection.execute(
        sa_select(func.min(c.id), func.max(c.id), func.count())
    ).one()
    book = Totals()  # intermediary and group totals, summed once for the run
    counts: Counter[str] = Counter()
    moves: Counter[tuple[str | None, str]] = Counter()
    done = 0
    report(0, total, tr("读取客户数据", "Reading the book"))
    if low is None:
        return
    bounds = [
        (s, min(int(high), s + chunk_size - 1)) for s in range(int(low), int(high) + 1, chunk_size)
    ]

    def read(slice_: tuple[int, int]) -> "tuple[pd.DataFrame, float]":
        mark = time.perf_counter()
        facts = collect(connection, id_range(*slice_), window, thresholds, check=check, book=book)
        return facts, time.perf_counter() - mark

    with reader_process(database, result.as_of, thresholds, len(bounds)) as pool:
        ahead: list[Future[Any]] = []
        if pool is not None:
            ahead = [pool.submit(_reader_read, b) for b in bounds[:AHEAD]]
        for index, slice_ in enumerate(bounds):
            check()
            mark = time.perf_counter()
            if pool is not None:
                facts, seconds = ahead.pop(0).result()
                if index + AHEAD < len(bounds):
                    ahead.append(pool.submit(_reader_read, bounds[index + AHEAD]))
                mark = result.spent("read_wait", mark)
                result.timings["read"] = round(result.timings.get("read", 0.0) + seconds, 3)
            else:
                facts, seconds = read(slice_)
                mark = result.spent("read", mark)
            if facts.empty:
                continue
            classes = classify_frame(facts, thresholds, window)
            rows = changed_rows(facts, classes, RULE_VERSION)
            mark = result.spent("rules", mark)
            check()
            writer.add(rows)
            mark = result.spent("write", mark)
            _tally(result, counts, moves, facts, classes, rows)
            result.updated += len(rows)
            done += len(facts)
            report(done, total, tr("分类中", "Classifying"))
    result.customers = done
    result.counts = {str(k): int(v) for k, v in sorted(counts.items())}
    result.transitions = sorted(
        ((a, b, int(n)) for (a, b), n in moves.items()),
        key=lambda t: (-t[2], str(t[0]), t[1]),
    )
    result.changes = sum(n for _, _, n in result.transitions)


def _tally(
    result: "RunResult",
    counts: Counter[str],
    moves: Counter[tuple[str | None, str]],
    facts: "pd.DataFrame",
    classes: "pd.DataFrame",
    rows: "pd.DataFrame",
) -> None:
    counts.update({str(k): int(v) for k, v in classes["customer_class"].value_counts().items()})
    per_unit = classes.groupby([facts["unit_id"], classes["customer_class"]]).size()
    for pair, n in per_unit.items():
        key = (int(pair[0]), str(pair[1]))  # type: ignore[index]
        result.unit_counts[key] = result.unit_counts.get(key, 0) + int(n)
    moved = rows.loc[rows["class_changed"].astype(bool), ["from_class", "customer_class"]]
    pairs = moved.fillna({"from_class": ""}).value_counts()
    for pair, n in pairs.items():
        old, new = str(pair[0]), str(pair[1])  # type: ignore[index]
        moves[(old or None, new)] += int(n)
