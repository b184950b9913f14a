"""Keeping the derived data fresh by the changed rows only: the report cube and the
customer facts, from the change log (`derived_change`, written by triggers,
`storage.change_log`).

`refresh_derived(connection)` reads the log once and turns it into what each store needs:

- the cube: the policies changed (a policy row; a claim's policy; every policy of a
  customer whose kind, industry, ownership, gender or group changed; of a vehicle whose
  use changed; of an intermediary whose kind changed) and the claims changed;
- the customer facts: the customers concerned (of every logged row; a vehicle's
  policies' customers).

Each store takes out and puts back only those, then adds the rows with new ids, and the
log rows read are deleted in the same transaction. A log too large for that to pay (more
than `LOG_LIMIT` rows, or changes touching more than `SHARE` of the policies), a store
missing or of an older layout, or `full=True`, rebuilds instead.

The classification reads its inputs from the base tables on every run
(`services.classification.facts`), so it needs no refresh of its own.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, func, select

from tui_crm.services.reports.cube import store as cube
from tui_crm.services.reports.customer_facts import store as customer_facts
from tui_crm.services.reports.customer_facts.refresh import refresh as refresh_facts
from tui_crm.services.reports.engine.tables import P
from tui_crm.storage.models import DerivedChange

LOG_LIMIT = 500_000  # log rows; beyond, a rebuild is about as quick and far simpler
SHARE = 0.25  # of the book's policies; beyond, a rebuild
BATCH = 10_000
CACHE_KIB = 262_144  # SQLite page cache during a refresh: 256 MiB
LOG = DerivedChange.__table__  # type: ignore[attr-defined]
OUTCOMES = ("fresh", "incremental", "rebuilt")


def _empty() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


@dataclass
class Changes:
    """The log read once: its row ids and what they concern."""

    ids: np.ndarray = field(default_factory=_empty)
    policies: np.ndarray = field(default_factory=_empty)  # for the cube
    claims: np.ndarray = field(default_factory=_empty)  # for the cube
    customers: np.ndarray = field(default_factory=_empty)  # for the customer facts

    @property
    def empty(self) -> bool:
        return not len(self.ids)


@dataclass(frozen=True)
class DerivedRefresh:
    cube: str  # "fresh" | "incremental" | "rebuilt"
    facts: str
    changes: int  # log rows applied
    policies: int  # policies taken out and put back in the cube
    claims: int
    customers: int  # customers whose facts were read again
    seconds: float

    @property
    def outcome(self) -> str:
        """The most a store had to do."""
        return max(self.cube, self.facts, key=OUTCOMES.index)

    def as_json(self) -> dict[str, Any]:
        return {
            "cube": self.cube,
            "facts": self.facts,
            "changes": self.changes,
            "policies": self.policies,
            "claims": self.claims,
            "customers": self.customers,
            "seconds": round(self.seconds, 2),
        }


def refresh_derived(
    connection: Connection,
    *,
    full: bool = False,
    check: Callable[[], None] = lambda: None,
    progress: Any = None,
) -> DerivedRefresh:
    """Bring the cube and the customer facts up to date from the change log, in the
    caller's transaction; `check` raises to stop between steps."""
    with _page_cache(connection):
        return _refresh(connection, full=full, check=check, progress=progress)


@contextmanager
def _page_cache(connection: Connection) -> Iterator[None]:
    """SQLite: a page cache of `CACHE_KIB` while the refresh holds its write transaction,
    so the pages it changes stay in memory until the commit instead of spilling to the
    write-ahead log and being read back from it (the connection's usual cache is small:
    `storage.db`)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")


def _refresh(
    connection: Connection, *, full: bool, check: Callable[[], None], progress: Any
) -> DerivedRefresh:
    started = time.perf_counter()
    cube.ensure_schema(connection)
    customer_facts.ensure_schema(connection)
    logged = int(connection.execute(select(func.count()).select_from(LOG)).scalar_one())
    policy_top = int(connection.execute(select(func.max(P.c.id))).scalar_one() or 0)
    changes = Changes()
    if logged > LOG_LIMIT:
        full = True
    elif logged and not full:
        changes = read_changes(connection)
        full = len(changes.policies) > SHARE * max(policy_top, 1)
    check()
    outcome_cube = cube.refresh(connection, full=full, changes=changes, check=check)
    check()
    outcome_facts = refresh_facts(
        connection, full=full, customers=changes.customers, progress=progress
    )
    if full or changes.empty:
        connection.execute(delete(LOG))
    else:
        for ids in _batches(changes.ids):
            connection.execute(delete(LOG).where(LOG.c.id.in_(ids)))
    incremental = not full and not changes.empty
    return DerivedRefresh(
        outcome_cube,
        outcome_facts,
        logged,
        len(changes.policies) if incremental else 0,
        len(changes.claims) if incremental else 0,
        len(changes.customers) if incremental else 0,
        time.perf_counter() - started,
    )


def _batches(ids: np.ndarray) -> Iterator[list[int]]:
    values = [int(i) for i in np.unique(ids)]
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def read_changes(connection: Connection) -> Changes:
    """The log as the policies and claims (cube) and customers (facts) it concerns."""
    columns = (LOG.c.id, LOG.c.table_name, LOG.c.row_id, LOG.c.policy_id, LOG.c.customer_id)
    rows = connection.execute(select(*columns, LOG.c.cube)).all()
    by_table: dict[str, list[Any]] = {}
    for row in rows:
        by_table.setdefault(row.table_name, []).append(row)

    def ids(tables: tuple[str, ...], attribute: str, cube_only: bool = False) -> list[int]:
        return [
            int(getattr(r, attribute))
            for t in tables
            for r in by_table.get(t, [])
            if getattr(r, attribute) is not None and (r.cube or not cube_only)
        ]

    policies = ids(("policy", "claim"), "policy_id")
    customers = ids(("policy", "claim", "customer", "receivable", "payment"), "customer_id")
    changed = ids(("customer",), "customer_id", cube_only=True)
    policies += _policies_of(connection, P.c.customer_id, changed)
    policies += _policies_of(connection, P.c.vehicle_id, ids(("vehicle",), "row_id", True))
    policies += _policies_of(connection, P.c.intermediary_id, ids(("intermediary",), "row_id"))
    customers += _policies_of(
        connection, P.c.vehicle_id, ids(("vehicle",), "row_id"), P.c.customer_id
    )
    return Changes(
        np.asarray([r.id for r in rows], dtype=np.int64),
        np.unique(np.asarray(policies, dtype=np.int64)),
        np.unique(np.asarray(ids(("claim",), "row_id"), dtype=np.int64)),
        np.unique(np.asarray(customers, dtype=np.int64)),
    )


def _policies_of(
    connection: Connection, column: Any, values: list[int], what: Any = None
) -> list[int]:
    """Ids (or `what`) of the policies whose `column` is one of `values`."""
    found: list[int] = []
    for chunk in _batches(np.asarray(values, dtype=np.int64)):
        statement = select(what if what is not None else P.c.id).where(column.in_(chunk))
        found += [int(v) for v in connection.execute(statement).scalars()]
    return found
