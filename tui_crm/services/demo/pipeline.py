"""Chunks drawn ahead in a second process while the database loads the previous one.

The drawing is sequential (ids, plate and VIN counters run through the chunks), so one
producer draws every chunk in order and hands them over a bounded queue; the result is
the same book as drawing them inline. Where `fork` is unavailable, or for a single
chunk, chunks are drawn inline.
"""

import multiprocessing
import queue as queue_module
import traceback
from collections.abc import Iterator
from typing import Any

import numpy as np

from tui_crm.services.demo.chunk import ChunkRows, generate_chunk
from tui_crm.services.demo.people import Context, Counters


def chunk_sizes(customers: int, chunk: int) -> list[int]:
    return [min(chunk, customers - start) for start in range(0, customers, chunk)]


def chunks(ctx: Context, customers: int, chunk: int) -> Iterator[ChunkRows]:
    """Every chunk in order; afterwards `ctx.counters` holds the producer's final counters."""
    sizes = chunk_sizes(customers, chunk)
    if len(sizes) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for index, size in enumerate(sizes):
            yield generate_chunk(ctx, np.random.default_rng([ctx.seed, 1, index]), size)
        return
    mp = multiprocessing.get_context("fork")
    handover: Any = mp.Queue(maxsize=2)
    producer = mp.Process(target=_produce, args=(handover, ctx, sizes), daemon=True)
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


def _produce(handover: Any, ctx: Context, sizes: list[int]) -> None:
    try:
        for index, size in enumerate(sizes):
            handover.put(generate_chunk(ctx, np.random.default_rng([ctx.seed, 1, index]), size))
        handover.put(ctx.counters)
    except BaseException:  # report to the loader instead of dying silently
        handover.put(("error", traceback.format_exc()))
