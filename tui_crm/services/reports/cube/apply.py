"""Applying changed policies and claims to the report cube (`reports.cube`).

What a changed policy or claim added to the cube is kept (`report_cube_policy`,
`report_cube_claim`). Applying a change takes that old contribution out and puts the new
one in: the old written, earned and claim figures with the sign turned and the new ones,
summed per cell, are added to the cube's cells in place (`cube.cells.merge_cells`), so the
cube then holds exactly the cells a rebuild would. The distinct customers of the start
months touched are recomputed for the customers concerned and written back as one packed
array per (start month, cancellation month).

Ids above those the cube was built from are left to the load that follows (`cube.load`)."""

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, select

from tui_crm.services.reports.cube.cells import NO_CANCEL, cells, merge_cells, negated
from tui_crm.services.reports.cube.load import (
    NAMES,
    DimensionKeys,
    claim_frame,
    claim_sums,
    derive,
    earned_rows,
    policy_frame,
    policy_rows,
    save_claims,
    save_policies,
    written_rows,
)
from tui_crm.services.reports.engine.arrays import members, sorted_unique
from tui_crm.services.reports.engine.tables import CL, P

BATCH = 10_000  # ids per IN list (SQLite's limit on bound values is 32,766)


def batches(ids: np.ndarray) -> Iterator[list[int]]:
    values = [int(i) for i in np.unique(ids)]
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def apply(
    connection: Connection,
    tables: Any,
    policies: np.ndarray,
    claims: np.ndarray,
    *,
    policy_max: int,
    claim_max: int,
) -> DimensionKeys:
    """Take out and put back the policies `policies` and the claims `claims` (and every
    claim of those policies), up to the ids the cube was built from; returns the
    dimension keys (for the load of new rows that follows)."""
    policies = np.unique(policies[policies <= policy_max]).astype(np.int64)
    keys = DimensionKeys(connection, tables)
    old = derive(_kept_policies(connection, tables, tables.policy.c.policy_id, policies))
    rows = [r for ids in batches(policies) for r in policy_rows(connection, P.c.id.in_(ids))]
    new = derive(policy_frame(rows, keys))
    claim_ids = _claims_concerned(connection, tables, policies, claims, claim_max)
    old_claims = _kept_claims(connection, tables, claim_ids)
    new_claims = pd.concat(
        [claim_frame(connection, keys, CL.c.id.in_(ids)) for ids in batches(claim_ids)]
        or [claim_frame(connection, keys, CL.c.id.in_([]))]
    )
    keys.save()
    delta = cells(
        [
            written_rows(new),
            earned_rows(new),
            claim_sums(new_claims),
            negated(written_rows(old)),
            negated(earned_rows(old)),
            negated(claim_sums(old_claims)),
        ]
    )
    merge_cells(connection, tables, keys, delta)
    for ids in batches(policies):
        connection.execute(tables.policy.delete().where(tables.policy.c.policy_id.in_(ids)))
    save_policies(connection, tables, new)
    for ids in batches(claim_ids):
        connection.execute(tables.claim.delete().where(tables.claim.c.claim_id.in_(ids)))
    save_claims(connection, tables, new_claims)
    _repair_customers(connection, tables, old, new)
    return keys


def _kept_policies(connection: Connection, tables: Any, column: Any, ids: np.ndarray) -> Any:
    """What the policies (`column` in `ids`) added, as `derive` takes it."""
    table = tables.policy
    rows = [
        tuple(r)
        for chunk in batches(ids)
        for r in connection.execute(
            select(*(table.c[n] for n in NAMES)).where(column.in_(chunk))
        ).all()  # fetched at once, not row by row
    ]
    frame = pd.DataFrame(rows, columns=list(NAMES))
    frame["c"] = frame["c"].astype("float64").fillna(NO_CANCEL)
    return frame.astype(np.int64)


def _claims_concerned(
    connection: Connection, tables: Any, policies: np.ndarray, claims: np.ndarray, claim_max: int
) -> np.ndarray:
    """The claims logged and every claim of the policies, kept or now (up to `claim_max`)."""
    found = [claims[claims <= claim_max].astype(np.int64)]
    for ids in batches(policies):
        kept = select(tables.claim.c.claim_id).where(tables.claim.c.policy_id.in_(ids))
        now = select(CL.c.id).where(CL.c.policy_id.in_(ids), CL.c.id <= claim_max)
        found.append(np.asarray(connection.execute(kept).scalars().all(), dtype=np.int64))
        found.append(np.asarray(connection.execute(now).scalars().all(), dtype=np.int64))
    return np.unique(np.concatenate(found))


def _kept_claims(connection: Connection, tables: Any, ids: np.ndarray) -> pd.DataFrame:
    table = tables.claim
    names = ["claim_id", "policy_id", "month", "dim_key", "paid", "outstanding"]
    rows = [
        tuple(r)
        for chunk in batches(ids)
        for r in connection.execute(
            select(*(table.c[n] for n in names)).where(table.c.claim_id.in_(chunk))
        )
    ]
    return pd.DataFrame(rows, columns=names).astype(np.int64)


def _repair_customers(
    connection: Connection, tables: Any, old: pd.DataFrame, new: pd.DataFrame
) -> None:
    """Recompute the distinct (key, customer) pairs of the customers concerned in every
    (start month, cancellation month) their changed policies were or are in."""
    both = pd.concat([old[["start_month", "cancel_month"]], new[["start_month", "cancel_month"]]])
    groups = {(int(m), int(c)) for m, c in both.drop_duplicates().itertuples(index=False)}
    if not groups:
        return
    customers = np.unique(np.r_[old["customer_id"].to_numpy(), new["customer_id"].to_numpy()])
    held = derive(_kept_policies(connection, tables, tables.policy.c.customer_id, customers))
    packed = (held["dim_key"].to_numpy(np.int64) << 32) | held["customer_id"].to_numpy(np.int64)
    months = held["start_month"].to_numpy(np.int64)
    cancels = held["cancel_month"].to_numpy(np.int64)
    table = tables.customer
    for month, cancel in sorted(groups):
        where = and_(
            table.c.month == month,
            table.c.cancel_month.is_(None)
            if cancel == NO_CANCEL
            else table.c.cancel_month == cancel,
        )
        blobs = [bytes(r[0]) for r in connection.execute(select(table.c.pairs).where(where))]
        pairs = np.frombuffer(b"".join(blobs), dtype="<i8").astype(np.int64)
        pairs = pairs[~members(pairs & 0xFFFFFFFF, customers)]
        pairs = sorted_unique(np.r_[pairs, packed[(months == month) & (cancels == cancel)]])
        connection.execute(table.delete().where(where))
        if len(pairs):
            values = {
                "month": month,
                "cancel_month": None if cancel == NO_CANCEL else cancel,
                "pairs": pairs.astype("<i8").tobytes(),
            }
            connection.execute(table.insert().values(**values))
