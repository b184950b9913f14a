"""Applying changed customers to the customer facts (`reports.customer_facts`).

Every row of the customers a change concerns — their policies, counted claims,
receivables and their own row — is marked dead where it is held (the chunk's `_dead`
positions, read from the one column naming the customer) and read again from the base
tables into new chunks. Nothing else is rewritten, so the cost follows the customers
changed, not the book.
"""

from collections.abc import Iterator
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, func, insert, select

from tui_crm.services.reports.customer_facts.load import (
    Store,
    chunks,
    claims,
    customers,
    policies,
    receivables,
)
from tui_crm.services.reports.customer_facts.read import Part
from tui_crm.services.reports.customer_facts.store import DEAD, PART
from tui_crm.services.reports.engine.arrays import members
from tui_crm.services.reports.engine.tables import CL, C, P, R

BATCH = 10_000  # customers per IN list (SQLite's limit on bound values is 32,766)
# part → the column naming the customer
CUSTOMER_COLUMN = {"policy": "customer", "claim": "customer", "receivable": "customer"}
CUSTOMER_COLUMN["customer"] = "id"


def _batches(ids: np.ndarray) -> Iterator[list[int]]:
    values = [int(i) for i in np.unique(ids)]
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def apply(
    connection: Connection, changed: np.ndarray, upto: dict[str, int], customer_max: int
) -> int:
    """Replace every row of the customers `changed` (up to the ids in `upto` and
    `customer_max`); returns the rows marked dead."""
    changed = np.unique(changed.astype(np.int64))
    dead = sum(_mark_dead(connection, part, changed) for part in CUSTOMER_COLUMN)
    store = Store(connection)
    for ids in _batches(changed):
        reads: list[tuple[str, Any]] = [
            ("customer", customers(C.c.id.in_(ids), C.c.id <= customer_max)),
            ("policy", policies(P.c.customer_id.in_(ids), P.c.id <= upto["policy"])),
            ("claim", claims(P.c.customer_id.in_(ids), CL.c.id <= upto["claim"])),
            (
                "receivable",
                receivables(P.c.customer_id.in_(ids), R.c.id <= upto["receivable"]),
            ),
        ]
        for part, statement in reads:
            for frame in chunks(connection, statement):
                store.add(part, frame)
    store.save_vocabularies()
    return dead


def dead_rows(connection: Connection) -> tuple[int, int]:
    """(rows dead — replaced by later chunks —, rows held), over every part; read from
    the lengths of the stored columns only."""
    held = dead = 0
    for part, column in CUSTOMER_COLUMN.items():
        sizes = (
            select(PART.c.name, PART.c.dtype, func.sum(func.length(PART.c.data)))
            .where(PART.c.part == part, PART.c.name.in_([column, DEAD]))
            .group_by(PART.c.name, PART.c.dtype)
        )
        for name, kind, size in connection.execute(sizes):
            rows = int(size or 0) // np.dtype(kind).itemsize
            if name == DEAD:
                dead += rows
            else:
                held += rows
    return dead, held


def _mark_dead(connection: Connection, part: str, changed: np.ndarray) -> int:
    held = Part(connection, part)
    known = held.dead()
    marked = 0
    for seq, kind, data in held.chunks(CUSTOMER_COLUMN[part]):
        hit = np.flatnonzero(members(np.frombuffer(data, dtype=kind), changed))
        if not len(hit):
            continue
        before = known.get(seq, np.zeros(0, dtype=np.int64))
        positions = np.union1d(before, hit).astype("<i4")
        marked += len(positions) - len(before)
        where = and_(PART.c.part == part, PART.c.seq == seq, PART.c.name == DEAD)
        connection.execute(PART.delete().where(where))
        row = {"part": part, "seq": seq, "name": DEAD, "dtype": "<i4"}
        connection.execute(insert(PART).values(**row, data=positions.tobytes()))
    return marked
