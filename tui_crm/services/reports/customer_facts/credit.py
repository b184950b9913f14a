"""Receivables (应收保费) from the customer facts — numpy twins of `risk_credit`'s
statements: per customer (ranked by unpaid balance) and per ageing bucket.

Receivables count when they fall due in the period, their policy passes the unit, line
and channel filters and their customer is in the actor's scope; a receivable's age is
days from its due date to the as-of day, its balance the amount less what was paid.
"""

from collections.abc import Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

import numpy as np

from tui_crm.services.reports.customer_facts.query import (
    Columns,
    day,
    in_scope,
    policy_filter,
    select_rows,
    sums,
)
from tui_crm.services.reports.customer_facts.read import Facts
from tui_crm.services.reports.engine.context import QueryContext

Ageing = Sequence[tuple[str, int | None, int | None, str, str]]


def _in_period(context: QueryContext, facts: Facts) -> Columns:
    r: Columns = facts.receivable
    keep = policy_filter(context, facts, r)
    keep &= (r["due"] >= day(context.start)) & (r["due"] <= day(context.end))
    keep &= in_scope(context, facts, r["customer"])
    return select_rows(r, keep)


def _buckets(days: np.ndarray, ageing: Ageing) -> dict[str, np.ndarray]:
    """Each bucket's rows (`risk_credit._bucket`: the first band that holds the days)."""
    result = {}
    for code, low, high, _zh, _en in ageing:
        if low is None:
            result[code] = days <= (high if high is not None else 0)
        elif high is None:
            result[code] = days >= low
        else:
            result[code] = (days >= low) & (days <= high)
    return result


def receivables(
    context: QueryContext, facts: Facts, ageing: Ageing, limit: int, as_of: date
) -> list[Any]:
    """Per customer with an unpaid balance, largest first (ties by id): receivables, due,
    received, balance, longest overdue days among the unpaid, balance per bucket."""
    r = _in_period(context, facts)
    size = facts.customer_count
    who = r["customer"]
    balance = r["amount"] - r["paid_amount"]
    days = day(as_of) - r["due"].astype(np.int64)
    unpaid = balance > 0
    totals = {
        "receivables": sums(who, None, size),
        "due": sums(who, r["amount"].astype(np.float64), size),
        "received": sums(who, r["paid_amount"].astype(np.float64), size),
        "balance": sums(who, balance.astype(np.float64), size),
    }
    for code, rows in _buckets(days, ageing).items():
        totals[code] = sums(who, np.where(unpaid & rows, balance, 0).astype(np.float64), size)
    longest = np.full(size, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(longest, who[unpaid], days[unpaid])
    ids = np.flatnonzero(totals["balance"] > 0)
    order = np.lexsort((ids, -totals["balance"][ids]))[:limit]
    result = []
    for customer in ids[order]:
        found: dict[str, int | None] = {n: int(v[customer]) for n, v in totals.items()}
        top = int(longest[customer])
        found["max_days"] = None if top == np.iinfo(np.int64).min else top
        result.append(SimpleNamespace(customer_id=int(customer), **found))
    return result


def ageing_rows(context: QueryContext, facts: Facts, ageing: Ageing, as_of: date) -> dict[str, Any]:
    """Per bucket, over the unpaid receivables: how many, their customers, the balance."""
    r = _in_period(context, facts)
    balance = r["amount"] - r["paid_amount"]
    unpaid = balance > 0
    who = r["customer"][unpaid]
    balance = balance[unpaid]
    days = day(as_of) - r["due"][unpaid].astype(np.int64)
    found = {}
    for code, rows in _buckets(days, ageing).items():
        if rows.any():
            customers = np.count_nonzero(np.bincount(who[rows]))
            found[code] = SimpleNamespace(
                receivables=int(rows.sum()),
                customers=int(customers),
                balance=int(balance[rows].sum()),
            )
    return found
