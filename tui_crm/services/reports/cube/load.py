"""Loading the report cube (`reports.cube`) from the policies and claims.

Policies are read once, in id order and in chunks, with their dimensions (one join to the
customer, vehicle and intermediary) and their dates as day numbers. Each distinct
combination of dimensions gets a key (`report_cube_dims`). Then, with numpy:

- written rows: per start month, cancellation month and key — policies, premium, sum
  insured, commission;
- earned rows: every policy is spread over its months of cover; a month's earned premium
  is the policy's earned-to-date at the month's end minus that at the end of the month
  before, each rounded half-up to the fen exactly as `services.earned` does
  ((2 × premium × days + days of policy) // (2 × days of policy), integers throughout);
- customer rows: the distinct (start month, cancellation month, key, customer);
- what each policy and each counted claim added (`report_cube_policy`, `report_cube_claim`),
  so that a changed row can later be taken out exactly (`reports.cube_apply`).

SQLite has no hash aggregation: spreading ~3 M policies over ~13 months each in SQL and
sorting the 40 M rows took minutes, and numpy does it in seconds. Claims are read one row
each and summed by loss month and key. Rows are bulk-inserted (COPY on PostgreSQL).
"""

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, case, func, insert, select

from tui_crm.domain import ClaimStatus
from tui_crm.services.core import earned as earned_rules
from tui_crm.services.reports.cube.cells import (
    NO_CANCEL,
    bulk,
    cells,
    insert_cells,
    merge_cells,
)
from tui_crm.services.reports.engine.tables import CL, IM, C, P, V, fen, month_key

CHUNK = 250_000
DIMENSION_EXPRS = (
    P.c.unit_id,
    P.c.line_code,
    P.c.channel,
    C.c.kind,
    C.c.industry,
    C.c.ownership,
    C.c.gender,
    V.c.use,
    P.c.intermediary_id,
    IM.c.kind,
    P.c.account_manager_id,
    C.c.group_id,
)


def joined(base: Any) -> Any:
    return (
        base.join(C, C.c.id == P.c.customer_id)
        .outerjoin(V, V.c.id == P.c.vehicle_id)
        .outerjoin(IM, IM.c.id == P.c.intermediary_id)
    )


def load(
    connection: Connection,
    tables: Any,
    *,
    policy_after: int,
    policy_max: int,
    claim_after: int,
    claim_max: int,
    check: Callable[[], None] = lambda: None,
    keys: "DimensionKeys | None" = None,
) -> None:
    """`check` runs between steps; it raises to stop the load (a cancelled report).
    `keys`: the dimension keys already read, if any."""
    if policy_after >= policy_max and claim_after >= claim_max:
        return  # nothing new
    keys = keys or DimensionKeys(connection, tables)
    parts: list[pd.DataFrame] = []
    for chunk in _policy_chunks(connection, P.c.id > policy_after, P.c.id <= policy_max):
        check()
        frame = derive(policy_frame(chunk, keys))
        parts += [written_rows(frame), earned_rows(frame)]
        bulk(connection, tables.customer, customer_pairs(frame), ["month", "cancel_month", "pairs"])
        save_policies(connection, tables, frame)
    check()
    claims = claim_frame(connection, keys, CL.c.id > claim_after, CL.c.id <= claim_max)
    keys.save()
    save_claims(connection, tables, claims)
    check()
    found = cells([*parts, claim_sums(claims)])
    if policy_after or claim_after:  # the cube holds cells already: add to them
        merge_cells(connection, tables, keys, found)
    else:
        insert_cells(connection, tables, keys, found)


SNAPSHOT = ("dim_key", "s", "e", "cancelled", "c", "premium", "sum_insured", "commission")


def save_policies(connection: Connection, tables: Any, frame: pd.DataFrame) -> None:
    """Record what each policy of `frame` added (`report_cube_policy`)."""
    columns = [frame["policy_id"], *(frame[n] for n in SNAPSHOT), frame["customer_id"]]
    rows = (
        tuple(
            None if n == "c" and v == NO_CANCEL else int(v) for n, v in zip(NAMES, r, strict=True)
        )
        for r in zip(*(c.to_numpy(np.int64) for c in columns), strict=True)
    )
    bulk(connection, tables.policy, rows, list(NAMES))


NAMES = ("policy_id", *SNAPSHOT, "customer_id")


def claim_frame(connection: Connection, keys: "DimensionKeys", *where: Any) -> pd.DataFrame:
    """Counted claims (id, policy, loss month, key, paid, outstanding in fen)."""
    counted = CL.c.status.not_in([ClaimStatus.WITHDRAWN.value, ClaimStatus.DECLINED.value])
    statement = (
        select(
            CL.c.id,
            CL.c.policy_id,
            month_key(CL.c.loss_date),
            fen(CL.c.paid),
            fen(CL.c.outstanding),
            *DIMENSION_EXPRS,
        )
        .select_from(joined(CL.join(P, P.c.id == CL.c.policy_id)))
        .where(counted, *where)
    )
    rows = connection.execute(statement).all()
    names = ["claim_id", "policy_id", "month", "paid", "outstanding"]
    frame = pd.DataFrame([tuple(r[:5]) for r in rows], columns=names)
    frame["dim_key"] = [keys.key(tuple(r[5:])) for r in rows]
    for name in names:
        frame[name] = frame[name].fillna(0).astype(np.int64)
    return frame


def claim_sums(claims: pd.DataFrame, sign: int = 1) -> pd.DataFrame:
    """Claim rows of the cube: claims, paid and outstanding by loss month and key."""
    parts = claims.assign(claims=sign, paid=sign * claims["paid"])
    parts["outstanding"] = sign * claims["outstanding"]
    return parts.groupby(["month", "dim_key"], as_index=False)[
        ["claims", "paid", "outstanding"]
    ].sum()


def save_claims(connection: Connection, tables: Any, claims: pd.DataFrame) -> None:
    names = ["claim_id", "policy_id", "month", "dim_key", "paid", "outstanding"]
    rows = (tuple(int(v) for v in r) for r in claims[names].itertuples(index=False))
    bulk(connection, tables.claim, rows, names)


class DimensionKeys:
    """Dimension combinations ↔ integer keys, kept in `report_cube_dims`."""

    def __init__(self, connection: Connection, tables: Any) -> None:
        self.connection, self.table = connection, tables.dims
        self.names = [c.name for c in tables.dims.c if c.name != "dim_key"]
        columns = [tables.dims.c[n] for n in self.names]
        rows = connection.execute(select(tables.dims.c.dim_key, *columns)).all()
        self.keys = {tuple(r[1:]): r[0] for r in rows}  # slices, not per-name look-ups
        self.values = {key: combo for combo, key in self.keys.items()}
        self.new: list[dict[str, Any]] = []

    def key(self, combo: tuple[Any, ...]) -> int:
        found = self.keys.get(combo)
        if found is None:
            found = len(self.keys) + 1
            self.keys[combo] = found
            self.values[found] = combo
            self.new.append({"dim_key": found, **dict(zip(self.names, combo, strict=True))})
        return found

    def save(self) -> None:
        if self.new:
            self.connection.execute(insert(self.table), self.new)
            self.new = []


def _policy_chunks(connection: Connection, *where: Any) -> Iterator[list[Any]]:
    cancelled = P.c.status == earned_rules.CANCELLED
    statement = (
        select(
            *DIMENSION_EXPRS,
            earned_rules.day_number(P.c.start_date),
            earned_rules.day_number(P.c.end_date),
            case((cancelled, 1), else_=0),
            earned_rules.day_number(P.c.cancelled_on),
            fen(P.c.premium),
            func.coalesce(fen(P.c.sum_insured), 0),
            func.coalesce(fen(P.c.commission), 0),
            P.c.customer_id,
            P.c.id,
        )
        .select_from(joined(P))
        .where(*where)
        .order_by(P.c.id)
    )
    result = connection.execute(statement.execution_options(stream_results=True, yield_per=CHUNK))
    for part in result.partitions(CHUNK):
        yield list(part)


def policy_rows(connection: Connection, *where: Any) -> list[Any]:
    """The policies passing `where`, as `policy_frame` takes them."""
    return [row for chunk in _policy_chunks(connection, *where) for row in chunk]


COLUMNS = (
    "s",
    "e",
    "cancelled",
    "c",
    "premium",
    "sum_insured",
    "commission",
    "customer_id",
    "policy_id",
)


def policy_frame(rows: list[Any], keys: "DimensionKeys") -> pd.DataFrame:
    width = len(DIMENSION_EXPRS)
    data = {name: [r[width + i] for r in rows] for i, name in enumerate(COLUMNS)}
    frame = pd.DataFrame(data, columns=list(COLUMNS))
    frame["dim_key"] = [keys.key(tuple(r[:width])) for r in rows]
    frame["c"] = frame["c"].astype("float64").fillna(NO_CANCEL).astype(np.int64)
    return frame


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the start and cancellation months, the last day of cover and the days of the
    policy to a frame of policies (`c` = NO_CANCEL when there is no cancellation day)."""
    s = frame["s"].to_numpy(np.int64)
    e = frame["e"].to_numpy(np.int64)
    flagged = frame["cancelled"].to_numpy(np.int64) == 1
    c = frame["c"].to_numpy(np.int64)
    dated = flagged & (c != NO_CANCEL)
    frame["start_month"] = _yyyymm(_month_index(s))
    cancel = np.full(len(frame), NO_CANCEL, dtype=np.int64)
    cancel[flagged] = 0
    cancel[dated] = _yyyymm(_month_index(c[dated]))
    frame["cancel_month"] = cancel
    # Last day of cover: the end date, or the day before the cancellation.
    last = e.copy()
    last[flagged] = np.minimum(e[flagged], np.where(dated[flagged], c[flagged], s[flagged]) - 1)
    frame["last"] = last
    frame["days"] = np.maximum(e - s + 1, 1)
    return frame


def _month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers."""
    index: np.ndarray = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return index


def _first_day(month_index: np.ndarray) -> np.ndarray:
    first: np.ndarray = month_index.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return first


def _yyyymm(month_index: np.ndarray) -> np.ndarray:
    result: np.ndarray = (month_index // 12 + 1970) * 100 + month_index % 12 + 1
    return result


def written_rows(frame: pd.DataFrame) -> pd.DataFrame:
    parts = frame.assign(policies=1, written=frame["premium"])
    return parts.groupby(["start_month", "cancel_month", "dim_key"], as_index=False)[
        ["policies", "written", "sum_insured", "commission"]
    ].sum()


def earned_rows(frame: pd.DataFrame) -> pd.DataFrame:
    covered = frame[frame["last"] >= frame["s"]]
    s = covered["s"].to_numpy(np.int64)
    last = covered["last"].to_numpy(np.int64)
    days = covered["days"].to_numpy(np.int64)
    premium = covered["premium"].to_numpy(np.int64)
    key = covered["dim_key"].to_numpy(np.int64)
    first_month, last_month = _month_index(s), _month_index(last)

    def to_date(day: np.ndarray, sel: np.ndarray) -> np.ndarray:
        cover = np.clip(np.minimum(day, last[sel]) - s[sel] + 1, 0, None)
        result: np.ndarray = (2 * premium[sel] * cover + days[sel]) // (2 * days[sel])
        return result

    parts = []
    span = int((last_month - first_month).max()) if len(s) else -1
    for step in range(span + 1):
        sel = first_month + step <= last_month
        month = first_month[sel] + step
        month_end = _first_day(month + 1) - 1
        increment = to_date(month_end, sel) - to_date(_first_day(month) - 1, sel)
        parts.append(
            pd.DataFrame({"month": _yyyymm(month), "dim_key": key[sel], "earned": increment})
        )
    if not parts:
        return pd.DataFrame(columns=["month", "dim_key", "earned"])
    return pd.concat(parts).groupby(["month", "dim_key"], as_index=False)[["earned"]].sum()


def customer_pairs(frame: pd.DataFrame) -> Iterator[tuple[int, int | None, bytes]]:
    """(start month, cancellation month, sorted distinct key << 32 | customer as bytes)."""
    packed = (frame["dim_key"].to_numpy(np.int64) << 32) | frame["customer_id"].to_numpy(np.int64)
    months = frame["start_month"].to_numpy(np.int64)
    cancels = frame["cancel_month"].to_numpy(np.int64)
    order = np.lexsort((packed, cancels, months))
    months, cancels, packed = months[order], cancels[order], packed[order]
    edges = np.flatnonzero((np.diff(months) != 0) | (np.diff(cancels) != 0)) + 1
    for start, stop in zip(np.r_[0, edges], np.r_[edges, len(packed)], strict=True):
        if stop > start:
            cancel = int(cancels[start])
            part = packed[start:stop]  # sorted by the lexsort above
            pairs = part[np.r_[True, part[1:] != part[:-1]]].astype("<i8").tobytes()
            yield int(months[start]), None if cancel == NO_CANCEL else cancel, pairs
