"""Loyalty and traits from the customer facts — numpy twins of `loyalty.per_customer`
(grouped by segment) and of the traits' measures (`risk_credit`), row for row."""

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from tui_crm.services.reports.customer_facts import Facts
from tui_crm.services.reports.customer_facts_query import (
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
from tui_crm.services.reports.facts import Context

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


def loyalty(context: Context, facts: Facts, chosen: str, tenure_bands: Bands) -> list[Any]:
    """Rows per segment (kind, tenure band or line) of `loyalty.run`'s statement."""
    first, last = day(context.start), day(context.end)
    p = facts.policy
    renewed_all = renewed(p)
    keep = policy_filter(context, facts, p) & (p["s"] <= last)
    keep &= in_scope(context, facts, p["customer"])
    p = select_rows(p, keep)
    is_renewed = renewed_all[keep]
    lines = max(1, len(facts.vocab["line"]))
    customer = p["customer"].astype(np.int64)
    key = customer * lines + p["line"] if chosen == "line" else customer
    groups, inverse = np.unique(key, return_inverse=True)
    n = len(groups)
    first_start = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_start, inverse, p["s"].astype(np.int64))

    def any_of(condition: np.ndarray) -> np.ndarray:
        result: np.ndarray = sums(inverse, condition.astype(np.float64), n) > 0
        return result

    active_p = overlaps(p, first, last) & ~cancelled_by(p, first)
    active = any_of(active_p)
    pairs = np.unique(inverse[active_p].astype(np.int64) * lines + p["line"][active_p])
    held = np.bincount(pairs // lines, minlength=n)
    ending = expiring(p, first, last)
    tenure = last - first_start
    group_customer = groups // lines if chosen == "line" else groups
    if chosen == "line":
        codes = [facts.vocab["line"][c] for c in (groups % lines)]
    elif chosen == "tenure":
        index = banded(tenure // 365, tenure_bands)
        codes = [tenure_bands[i][2] if i >= 0 else None for i in index]
    else:
        kinds = facts.customer["kind"][group_customer]
        codes = [facts.vocab["kind"][c] for c in kinds]
    at_start = any_of(in_force_on(p, first))
    at_end = any_of(in_force_on(p, last))
    frame = pd.DataFrame(
        {
            "code": pd.Series(codes, dtype=object).fillna("\0none"),
            "customers": active.astype(np.int64),
            "tenure_days": np.where(active, tenure, 0),
            "lines": np.where(active, held, 0),
            "written": sums(inverse, np.where(written(p, first, last), p["premium"], 0), n),
            "at_start": at_start.astype(np.int64),
            "lost": (at_start & ~at_end).astype(np.int64),
            "new": ((first_start >= first) & (first_start <= last)).astype(np.int64),
            "expiring": sums(inverse, ending.astype(np.float64), n),
            "renewed": sums(inverse, (ending & is_renewed).astype(np.float64), n),
        }
    )
    rows: list[dict[str, Any]] = []
    grouped = frame.groupby("code", sort=False).sum()
    for code, found in zip(grouped.index, grouped.to_dict("records"), strict=True):
        row: dict[str, Any] = {str(k): int(v) for k, v in found.items()}
        row["code"] = None if code == "\0none" else code
        rows.append(row)
    rows.sort(key=lambda r: (r["code"] is not None, r["code"] or ""))
    return [SimpleNamespace(**r) for r in rows]


# --- traits (`risk_credit`) -------------------------------------------------------------

ADDITIVE = ("policies", "written", "earned", "claims", "paid", "outstanding")


def _trait_values(
    context: Context, facts: Facts, part: dict[str, np.ndarray], age_bands: Bands
) -> dict[str, tuple[np.ndarray, list[Any]]]:
    """Per trait: each row's value index and the values (index 0 = NULL)."""
    customer = facts.customer
    who = part["customer"]
    born = customer["birth_year"][who].astype(np.int64)
    age = banded(context.end.year - born, age_bands, known=born != 0) + 1
    ages = [None, *(code for _low, _high, code in age_bands)]
    return {
        "kind": (customer["kind"][who], facts.vocab["kind"]),
        "gender": (customer["gender"][who], facts.vocab["gender"]),
        "age": (age, ages),
        "industry": (customer["industry"][who], facts.vocab["industry"]),
        "ownership": (customer["ownership"][who], facts.vocab["ownership"]),
        "class": (customer["klass"][who], facts.vocab["klass"]),
        "use": (part["use"], facts.vocab["use"]),
        "channel": (part["channel"], facts.vocab["channel"]),
    }


def traits(
    context: Context, facts: Facts, keys: Sequence[str], age_bands: Bands
) -> tuple[dict[str, int], dict[str, dict[Any, dict[str, int]]]] | None:
    """(overall fen sums, per trait: value → fen sums), values in the order the base
    path meets them (its groups come sorted by every trait, NULL first); None when a
    trait has too many values to order this way."""
    if any(len(facts.vocab[n]) > 255 for n in ("kind", "gender", "industry", "ownership")):
        return None
    if any(len(facts.vocab[n]) > 255 for n in ("klass", "use", "channel")):
        return None
    first, last = day(context.start), day(context.end)
    p = facts.policy
    p = select_rows(p, policy_filter(context, facts, p) & overlaps(p, first, last))
    cl = facts.claim
    keep_c = policy_filter(context, facts, cl) & (cl["loss"] >= first) & (cl["loss"] <= last)
    cl = select_rows(cl, keep_c)
    done = written(p, first, last)
    policy_measures = {
        "policies": done.astype(np.float64),
        "written": np.where(done, p["premium"], 0),
        "earned": earned(p, first, last),
    }
    claim_measures = {"claims": None, "paid": cl["paid"], "outstanding": cl["outstanding"]}
    policy_values = _trait_values(context, facts, p, age_bands)
    claim_values = _trait_values(context, facts, cl, age_bands)
    order_p = np.zeros(len(p["s"]), dtype=np.int64)
    order_c = np.zeros(len(cl["loss"]), dtype=np.int64)
    ranks: dict[str, np.ndarray] = {}
    for key in keys:
        values = policy_values[key][1]
        by_sql = sorted(range(len(values)), key=lambda i: (values[i] is not None, values[i] or ""))
        rank = np.empty(max(1, len(values)), dtype=np.int64)
        rank[by_sql] = np.arange(len(values))
        ranks[key] = np.asarray(by_sql, dtype=np.int64)
        order_p = order_p * 256 + rank[policy_values[key][0]]
        order_c = order_c * 256 + rank[claim_values[key][0]]
    seen_p = np.unique(order_p)
    sequence = np.concatenate([seen_p, np.setdiff1d(np.unique(order_c), seen_p)])
    result: dict[str, dict[Any, dict[str, int]]] = {}
    for position, key in enumerate(keys):
        index_p, values = policy_values[key]
        index_c = claim_values[key][0]
        size = max(1, len(values))
        totals = {m: sums(index_p, w, size) for m, w in policy_measures.items()}
        totals.update({m: sums(index_c, w, size) for m, w in claim_measures.items()})
        shift = 8 * (len(keys) - 1 - position)
        met = pd.unique((sequence >> shift) & 255)
        result[key] = {
            values[ranks[key][r]]: {m: int(totals[m][ranks[key][r]]) for m in ADDITIVE} for r in met
        }
    overall = {m: int(sum(slot[m] for slot in result[keys[0]].values())) for m in ADDITIVE}
    return overall, result
