"""Corporate, individual and motor views from the customer facts — numpy twins of their
base-table statements (named in each docstring): lines bought per customer, new customers
by the month of their first policy, new versus renewal business by month, the payment
status of receivables, and the motor measures by vehicle age or seats band.

Written business here is `Context.written` (cover starting in the period, not cancelled by
its end) of the policies passing the unit, line and channel filters whose customer is in
the actor's scope and of the kinds asked for.
"""

from collections.abc import Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

import numpy as np

from tui_crm.services.reports.customer_facts.query import (
    Columns,
    day,
    earned,
    in_scope,
    of_kinds,
    overlaps,
    policy_filter,
    select_rows,
    sums,
    written,
)
from tui_crm.services.reports.customer_facts.read import Facts
from tui_crm.services.reports.customer_facts.store import NO_SEATS
from tui_crm.services.reports.customer_facts.views import Bands, banded, distinct
from tui_crm.services.reports.engine.context import QueryContext


def _written(context: QueryContext, facts: Facts, part: Columns, kinds: Sequence[str]) -> Columns:
    """The rows of `part` (policies, or receivables by their policy) written in the period."""
    keep = policy_filter(context, facts, part) & written(part, day(context.start), day(context.end))
    keep &= in_scope(context, facts, part["customer"])
    if kinds:
        keep &= of_kinds(facts, part["customer"], kinds)
    return select_rows(part, keep)


def month_keys(days: np.ndarray) -> np.ndarray:
    """yyyymm of day numbers (`month_key`)."""
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    result: np.ndarray = (months // 12 + 1970) * 100 + months % 12 + 1
    return result


def _per_key(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys in order, each row's index among them)."""
    found, inverse = np.unique(keys, return_inverse=True)
    return found, inverse.reshape(-1)


# --- corporate: cross-insurance, new customers ------------------------------------------


def lines_bought(
    context: QueryContext, facts: Facts, kinds: Sequence[str]
) -> list[tuple[int, int, int]]:
    """(lines, customers, written fen) per number of distinct lines written in the period
    per customer, fewest first (`customers.lines_per_customer` grouped by lines)."""
    p = _written(context, facts, facts.policy, kinds)
    size = facts.customer_count
    width = max(1, len(facts.vocab["line"]))
    pairs = distinct(p["customer"].astype(np.int64) * width + p["line"])
    lines = np.bincount(pairs // width, minlength=size)
    premium = sums(p["customer"], p["premium"].astype(np.float64), size)
    ids = np.flatnonzero(lines)
    counts, inverse = _per_key(lines[ids])
    customers = np.bincount(inverse, minlength=len(counts))
    totals = sums(inverse, premium[ids].astype(np.float64), len(counts))
    return [
        (int(n), int(customers[i]), int(totals[i]))
        for i, n in enumerate(counts)  # np.unique: ascending
    ]


def first_policy_months(
    context: QueryContext, facts: Facts, kinds: Sequence[str]
) -> list[tuple[date, int, int]]:
    """(month, new customers, their written fen in the period) per month of the period in
    which customers with business written in it had their first policy with us (any
    line, unit or state) — `customers.first_policy_months`."""
    p = _written(context, facts, facts.policy, kinds)
    size = facts.customer_count
    first = day(context.start)
    active = sums(p["customer"], None, size) > 0
    premium = sums(p["customer"], p["premium"].astype(np.float64), size)
    every: Columns = facts.policy
    earlier = np.bincount(every["customer"][every["s"] < first], minlength=size) > 0
    new = active & ~earlier
    mine = new[every["customer"]]  # all their policies start in the period or later
    first_start = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_start, every["customer"][mine], every["s"][mine].astype(np.int64))
    ids = np.flatnonzero(new)
    months, inverse = _per_key(month_keys(first_start[ids]))
    customers = np.bincount(inverse, minlength=len(months))
    totals = sums(inverse, premium[ids].astype(np.float64), len(months))
    return [
        (date(int(m) // 100, int(m) % 100, 1), int(customers[i]), int(totals[i]))
        for i, m in enumerate(months)
    ]


# --- individual: new versus renewal, payment status -------------------------------------


def new_renewal(context: QueryContext, facts: Facts, kinds: Sequence[str]) -> dict[int, Any]:
    """Per yyyymm of the start: renewals and new policies written, and their premium."""
    p = _written(context, facts, facts.policy, kinds)
    months, inverse = _per_key(month_keys(p["s"]))
    size = len(months)
    renewal = p["renewal_of"] != 0
    premium = p["premium"].astype(np.float64)
    totals = {
        "renewals": sums(inverse, renewal, size),
        "renewal_premium": sums(inverse, np.where(renewal, premium, 0), size),
        "new_policies": sums(inverse, ~renewal, size),
        "new_premium": sums(inverse, np.where(renewal, 0, premium), size),
    }
    return {
        int(m): SimpleNamespace(**{k: int(v[i]) for k, v in totals.items()})
        for i, m in enumerate(months)
    }


def payment_status(
    context: QueryContext, facts: Facts, kinds: Sequence[str], today: date
) -> dict[str, Any]:
    """Per payment status today (paid, partial, due, overdue): receivables of the
    policies written in the period, their customers, amount and paid (fen)."""
    r = _written(context, facts, facts.receivable, kinds)
    paid = r["paid_amount"] >= r["amount"]
    not_due = r["due"] >= day(today)
    statuses = {
        "paid": paid,
        "partial": ~paid & not_due & (r["paid_amount"] > 0),
        "due": ~paid & not_due & (r["paid_amount"] <= 0),
        "overdue": ~paid & ~not_due,
    }
    found = {}
    for status, rows in statuses.items():
        if rows.any():
            found[status] = SimpleNamespace(
                receivables=int(rows.sum()),
                customers=int(np.count_nonzero(np.bincount(r["customer"][rows]))),
                amount=int(r["amount"][rows].sum()),
                paid=int(r["paid_amount"][rows].sum()),
            )
    return found


# --- motor by vehicle age or seats (`product`) ------------------------------------------


def _band_index(context: QueryContext, part: Columns, key: str, bands: Bands) -> np.ndarray:
    """Index + 1 of each row's band (`common.vehicle_age` / `common.seats`), 0 = NULL;
    for make/model, the code of the value."""
    if key == "make_model":
        return part["make"].astype(np.int64)
    if key == "vehicle_age":
        year = part["reg_year"].astype(np.int64)
        return banded(context.end.year - year, bands, known=year != 0) + 1
    seats = part["seats"].astype(np.int64)
    return banded(seats, bands, known=seats != NO_SEATS) + 1


def vehicle_bands(
    context: QueryContext, facts: Facts, key: str, bands: Bands, lines: Sequence[str]
) -> list[dict[str, Any]]:
    """One entry per band (`measures.measures` of the band's Dim over the given lines) —
    or per make/model (`key` "make_model", no bands): the band code or value under `key`
    and every measure in fen; groups with policies in force in the period first, then
    those with claims only."""
    first, last = day(context.start), day(context.end)
    codes = np.asarray([facts.code("line", line) for line in lines], dtype=np.int64)
    p: Columns = facts.policy
    keep = policy_filter(context, facts, p) & np.isin(p["line"], codes) & overlaps(p, first, last)
    p = select_rows(p, keep)
    cl: Columns = facts.claim
    keep_c = policy_filter(context, facts, cl) & np.isin(cl["line"], codes)
    cl = select_rows(cl, keep_c & (cl["loss"] >= first) & (cl["loss"] <= last))
    values = [None, *(code for _low, _high, code in bands)]
    if key == "make_model":
        values = facts.vocab["make"]
    size = len(values)
    band_p, band_c = _band_index(context, p, key, bands), _band_index(context, cl, key, bands)
    done = written(p, first, last)
    people = facts.customer_count
    pairs = distinct(band_p[done] * people + p["customer"][done].astype(np.int64))

    def when_done(name: str) -> np.ndarray:
        return np.where(done, p[name], 0).astype(np.float64)

    measures = {
        "policies": sums(band_p, done, size),
        "customers": np.bincount(pairs // people, minlength=size),
        "written": sums(band_p, when_done("premium"), size),
        "earned": sums(band_p, earned(p, first, last).astype(np.float64), size),
        "sum_insured": sums(band_p, when_done("sum_insured"), size),
        "commission": sums(band_p, when_done("commission"), size),
        "claims": sums(band_c, None, size),
        "paid": sums(band_c, cl["paid"].astype(np.float64), size),
        "outstanding": sums(band_c, cl["outstanding"].astype(np.float64), size),
    }
    held = sums(band_p, None, size) > 0
    order = [*np.flatnonzero(held), *np.flatnonzero(~held & (measures["claims"] > 0))]
    return [{key: values[i], **{name: int(v[i]) for name, v in measures.items()}} for i in order]
