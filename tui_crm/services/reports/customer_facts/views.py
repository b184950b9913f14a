"""Loyalty and traits from the customer facts — numpy twins of `loyalty.per_customer`
(grouped by segment) and of the traits' measures (`risk_credit`), row for row."""

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from tui_crm.services.reports.customer_facts.query import (
    Columns,
    cancelled_by,
    day,
    earned,
    expiring,
    in_force_on,
    in_scope,
    overlaps,
    policy_filter,
    renewed,
    select_rows,
    sums,
    written,
)
from tui_crm.services.reports.customer_facts.read import Facts
from tui_crm.services.reports.engine.context import QueryContext

Bands = Sequence[tuple[int | None, int | None, str]]


def banded(values: np.ndarray, bands: Bands, known: np.ndarray | None = None) -> np.ndarray:
    """Index into `bands` of each value's band (`common.band`), -1 for none/unknown."""
    result = np.full(len(values), -1, dtype=np.int64)
    unset = np.ones(len(values), dtype=bool) if known is None else known.copy()
    for index, (low, high, _code) in enumerate(bands):
        match = unset.copy()
        if low is not None:
            match &= values >= low
        if high is not None:
            match &= values <= high
        result[match] = index
        unset &= ~match
    return result


def loyalty(context: QueryContext, facts: Facts, chosen: str, tenure_bands: Bands) -> list[Any]:
    """Rows per segment (kind, tenure band or line) of `loyalty.run`'s statement."""
    first, last = day(context.start), day(context.end)
    p: Columns = facts.policy
    renewed_all = renewed(p)
    keep = policy_filter(context, facts, p) & (p["s"] <= last)
    keep &= in_scope(context, facts, p["customer"])
    p = select_rows(p, keep)
    is_renewed = renewed_all[keep]
    lines = max(1, len(facts.vocab["line"]))
    customer = p["customer"].astype(np.int64)
    if chosen == "line":  # a group per customer and line
        groups, inverse = dense(customer * lines + p["line"])
    else:  # a group per customer: its id
        groups, inverse = np.arange(facts.customer_count, dtype=np.int64), customer
    n = len(groups)
    first_start = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_start, inverse, p["s"].astype(np.int64))

    def per_group(weights: np.ndarray | None) -> np.ndarray:
        return sums(inverse, weights, n)

    active_p = overlaps(p, first, last) & ~cancelled_by(p, first)
    active = per_group(active_p) > 0
    pairs = distinct(inverse[active_p] * lines + p["line"][active_p])
    held = np.bincount(pairs // lines, minlength=n)
    ending = expiring(p, first, last)
    at_start = per_group(in_force_on(p, first)) > 0
    at_end = per_group(in_force_on(p, last)) > 0
    group_measures = {
        "written": per_group(np.where(written(p, first, last), p["premium"], 0)),
        "expiring": per_group(ending),
        "renewed": per_group(ending & is_renewed),
    }
    present = np.flatnonzero(per_group(None) > 0)
    tenure = last - first_start[present]
    if chosen == "line":
        segment, values = groups[present] % lines, facts.vocab["line"]
    elif chosen == "tenure":
        segment = banded(tenure // 365, tenure_bands) + 1
        values = [None, *(code for _low, _high, code in tenure_bands)]
    else:
        segment, values = facts.customer["kind"][present], facts.vocab["kind"]
    on = active[present]
    start_flag, end_flag = at_start[present], at_end[present]
    new = (first_start[present] >= first) & (first_start[present] <= last)
    columns = {
        "customers": on,
        "tenure_days": np.where(on, tenure, 0),
        "lines": np.where(on, held[present], 0),
        **{name: values_[present] for name, values_ in group_measures.items()},
        "at_start": start_flag,
        "lost": start_flag & ~end_flag,
        "new": new,
    }
    size = len(values)
    counted = sums(segment, None, size)
    totals = {
        name: sums(segment, w if w.dtype == np.bool_ else w.astype(np.float64), size)
        for name, w in columns.items()
    }
    rows = [
        SimpleNamespace(code=values[i], **{name: int(t[i]) for name, t in totals.items()})
        for i in np.flatnonzero(counted)
    ]
    rows.sort(key=lambda r: (r.code is not None, r.code or ""))
    return rows


def dense(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys sorted, each key's index among them) — by sorting, as numpy's hashed
    unique is many times slower on millions of keys."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]] if len(ordered) else np.zeros(0, bool)
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = np.cumsum(starts) - 1
    return ordered[starts], inverse


def distinct(keys: np.ndarray) -> np.ndarray:
    ordered = np.sort(keys)
    if not len(ordered):
        return ordered
    result: np.ndarray = ordered[np.r_[True, ordered[1:] != ordered[:-1]]]
    return result


# --- traits (`risk_credit`) -------------------------------------------------------------

ADDITIVE = ("policies", "written", "earned", "claims", "paid", "outstanding")


CUSTOMER_TRAITS = ("kind", "gender", "age", "industry", "ownership", "class")
POLICY_TRAITS = ("use", "channel")


def _customer_values(
    context: QueryContext, facts: Facts, age_bands: Bands
) -> dict[str, tuple[np.ndarray, list[Any]]]:
    """Per customer trait: each customer's value index (by id) and the values (0 = NULL)."""
    customer = facts.customer
    born = customer["birth_year"].astype(np.int64)
    age = banded(context.end.year - born, age_bands, known=born != 0) + 1
    ages = [None, *(code for _low, _high, code in age_bands)]
    names = {"class": "klass"}
    return {  # in the traits' order: the key of a combination is built in it
        t: (age, ages) if t == "age" else (customer[names.get(t, t)], facts.vocab[names.get(t, t)])
        for t in CUSTOMER_TRAITS
    }


def _ranks(values: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """(rank of each value index in SQL order — NULL first —, value index of each rank)."""
    by_sql = sorted(range(len(values)), key=lambda i: (values[i] is not None, values[i] or ""))
    rank = np.empty(max(1, len(values)), dtype=np.int64)
    rank[by_sql] = np.arange(len(values))
    return rank, np.asarray(by_sql, dtype=np.int64)


def traits(
    context: QueryContext, facts: Facts, keys: Sequence[str], age_bands: Bands
) -> tuple[dict[str, int], dict[str, dict[Any, dict[str, int]]]] | None:
    """(overall fen sums, per trait: value → fen sums), values in the order the base
    path meets them (its groups come sorted by every trait, NULL first); None when the
    traits are others or have too many values to order this way.

    Customer traits are summed per customer first (a million customers, not three
    million policies), vehicle use and channel per policy and claim."""
    if tuple(keys) != CUSTOMER_TRAITS + POLICY_TRAITS:
        return None
    vocabularies = ("kind", "gender", "industry", "ownership", "klass", *POLICY_TRAITS)
    if any(len(facts.vocab[name]) > 255 for name in vocabularies):
        return None
    first, last = day(context.start), day(context.end)
    p: Columns = facts.policy
    p = select_rows(p, policy_filter(context, facts, p) & overlaps(p, first, last))
    cl: Columns = facts.claim
    keep_c = policy_filter(context, facts, cl) & (cl["loss"] >= first) & (cl["loss"] <= last)
    cl = select_rows(cl, keep_c)
    done = written(p, first, last)
    policy_measures: dict[str, np.ndarray | None] = {
        "policies": done,
        "written": np.where(done, p["premium"], 0).astype(np.float64),
        "earned": earned(p, first, last).astype(np.float64),
    }
    claim_measures: dict[str, np.ndarray | None] = {
        "claims": None,
        "paid": cl["paid"].astype(np.float64),
        "outstanding": cl["outstanding"].astype(np.float64),
    }
    size = facts.customer_count
    per_customer = {m: sums(p["customer"], w, size) for m, w in policy_measures.items()}
    per_customer.update({m: sums(cl["customer"], w, size) for m, w in claim_measures.items()})
    weights = {m: v.astype(np.float64) for m, v in per_customer.items()}
    values: dict[str, list[Any]] = {}
    ranks: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    totals: dict[str, dict[str, np.ndarray]] = {}
    customer_key = np.zeros(size, dtype=np.int64)
    for key, (index, found) in _customer_values(context, facts, age_bands).items():
        values[key], ranks[key] = found, _ranks(found)
        customer_key = customer_key * 256 + ranks[key][0][index]
        totals[key] = {m: sums(index, w, max(1, len(found))) for m, w in weights.items()}
    order_p = customer_key[p["customer"]]
    order_c = customer_key[cl["customer"]]
    for key in POLICY_TRAITS:
        values[key] = facts.vocab[key]
        ranks[key] = _ranks(values[key])
        order_p = order_p * 256 + ranks[key][0][p[key]]
        order_c = order_c * 256 + ranks[key][0][cl[key]]
        width = max(1, len(values[key]))
        totals[key] = {m: sums(p[key], w, width) for m, w in policy_measures.items()}
        totals[key].update({m: sums(cl[key], w, width) for m, w in claim_measures.items()})
    seen_p = distinct(order_p)
    sequence = np.concatenate([seen_p, np.setdiff1d(distinct(order_c), seen_p, True)])
    result: dict[str, dict[Any, dict[str, int]]] = {}
    for position, key in enumerate(keys):
        shift = 8 * (len(keys) - 1 - position)
        met = ranks[key][1][pd.unique((sequence >> shift) & 255)]
        result[key] = {values[key][i]: {m: int(totals[key][m][i]) for m in ADDITIVE} for i in met}
    overall = {m: int(sum(slot[m] for slot in result[keys[0]].values())) for m in ADDITIVE}
    return overall, result
