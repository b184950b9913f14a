"""The customer-level views answered from the customer facts (`reports.customer_facts`).

Each function is the numpy twin of a base-table query (named in its docstring): the same
conditions on day numbers (in force, written, cancelled by a day, expiring, renewed) and
the same integer earned premium per policy (`services.earned`: earned-to-date at the
period's end minus that at the day before it starts, each rounded half-up to the fen).
They answer for whole-month periods when the facts are fresh, like the report cube;
otherwise they return None and the report reads the base tables.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from tui_crm.i18n import tr
from tui_crm.services.core.earned import days_since_epoch
from tui_crm.services.reports.cube.query import whole_months
from tui_crm.services.reports.customer_facts import read as customer_facts_read
from tui_crm.services.reports.customer_facts import store as customer_facts
from tui_crm.services.reports.customer_facts.read import Facts, Selected
from tui_crm.services.reports.customer_facts.store import NO_DAY
from tui_crm.services.reports.engine.context import QueryContext
from tui_crm.services.reports.engine.measures import ranking_key

Columns = Mapping[str, np.ndarray]


def facts_for(context: QueryContext) -> Facts | None:
    """The facts when they may answer: fresh, and the period whole months (as the cube:
    a part-month period reads the base tables)."""
    if whole_months(context.start, context.end) is None:
        return None
    if "customer facts" not in context._cache:
        found = None
        if customer_facts.is_fresh(context.connection):
            if context.token is not None:
                context.token.check()
            if context.progress is not None:
                label = tr("客户数据", "customer data")
                context.progress(context.done, max(context.steps, context.done + 1), label)
            found = customer_facts_read.read(context.connection)
        context._cache["customer facts"] = found
    facts: Facts | None = context._cache["customer facts"]
    return facts


def day(value: date) -> int:
    return days_since_epoch(value)


# --- conditions -------------------------------------------------------------------------


def policy_filter(context: QueryContext, facts: Facts, part: Columns) -> np.ndarray:
    """`Context.policy_filters`: the unit subtree, line and channel."""
    keep = np.ones(len(part["unit"]), dtype=bool)
    if not context.whole_book():
        keep &= np.isin(part["unit"], np.asarray(context.params.unit_ids, dtype=np.int64))
    if context.params.line:
        keep &= part["line"] == facts.code("line", context.params.line)
    if context.params.channel:
        keep &= part["channel"] == facts.code("channel", context.params.channel)
    return keep


def in_scope(context: QueryContext, facts: Facts, customers: np.ndarray) -> np.ndarray:
    """`Context.customer_scope`: the customer's unit is in the actor's scope."""
    units = facts.customer["unit"][customers]
    scope = np.asarray(sorted(context.actor.scope_unit_ids), dtype=np.int64)
    result: np.ndarray = np.isin(units, scope)
    return result


def of_kinds(facts: Facts, customers: np.ndarray, kinds: Sequence[str]) -> np.ndarray:
    """The customer's kind is one of `kinds` (`customer.kind IN (...)`)."""
    codes = np.asarray([facts.code("kind", k) for k in kinds], dtype=np.int64)
    result: np.ndarray = np.isin(facts.customer["kind"][customers], codes)
    return result


def cancelled_by(p: Columns, on: int) -> np.ndarray:
    result: np.ndarray = (p["cancelled"] == 1) & ((p["c"] == NO_DAY) | (p["c"] <= on))
    return result


def in_force_on(p: Columns, on: int) -> np.ndarray:
    result: np.ndarray = (p["s"] <= on) & (p["e"] >= on) & ~cancelled_by(p, on)
    return result


def overlaps(p: Columns, first: int, last: int) -> np.ndarray:
    """`Context.in_force`: in force on some day of the period (cancellation aside)."""
    result: np.ndarray = (p["s"] <= last) & (p["e"] >= first)
    return result


def written(p: Columns, first: int, last: int) -> np.ndarray:
    result: np.ndarray = (p["s"] >= first) & (p["s"] <= last) & ~cancelled_by(p, last)
    return result


def expiring(p: Columns, first: int, last: int) -> np.ndarray:
    result: np.ndarray = (p["e"] >= first) & (p["e"] <= last) & (p["cancelled"] == 0)
    return result


def renewed(p: Columns) -> np.ndarray:
    """`Context.renewed`: another policy, not cancelled, renews this one."""
    targets = p["renewal_of"][(p["renewal_of"] != 0) & (p["cancelled"] == 0)]
    result: np.ndarray = np.isin(p["id"], targets)
    return result


def earned(p: Columns, first: int, last: int) -> np.ndarray:
    """Earned in days `first` … `last`: the earned-to-date at the end of `last` less that at
    the end of the day before `first`, each in fen rounded half-up per policy
    (`earned_premium_sql`). The days stay in the columns' narrow integers; only the fen
    products need 64 bits."""
    s, e = p["s"], p["e"]
    start_or_cancel = np.where(p["c"] == NO_DAY, s, p["c"])
    cover_last = np.where(p["cancelled"] == 1, np.minimum(e, start_or_cancel - 1), e)
    total = np.maximum(e - s + 1, 1).astype(np.int64)
    twice_total = 2 * total
    twice_premium = 2 * p["premium"].astype(np.int64)

    def to_date(on: int) -> np.ndarray:
        days = np.maximum(np.minimum(cover_last, on) - s + 1, 0)
        result: np.ndarray = (twice_premium * days + total) // twice_total
        return result

    return to_date(last) - to_date(first - 1)


def select_rows(part: Columns, keep: np.ndarray) -> Columns:
    return Selected(part, keep)


def sums(index: np.ndarray, weights: Any, size: int) -> np.ndarray:
    """Integer sums (or counts) per index; float sums are exact below 2**53 fen."""
    if weights is None:
        return np.bincount(index, minlength=size).astype(np.int64, copy=False)
    if weights.dtype == np.bool_:  # a count of the rows that pass
        return np.bincount(index[weights], minlength=size).astype(np.int64, copy=False)
    found = np.bincount(index, weights=weights, minlength=size)
    result: np.ndarray = np.rint(found).astype(np.int64)
    return result


# --- customer ranking (`measures.customer_ranking`) --------------------------------------

RANKED = ("policies", "written", "earned", "sum_insured", "commission")
CLAIMED = ("claims", "paid", "outstanding")


def customer_ranking(
    context: QueryContext,
    facts: Facts,
    *,
    order: str,
    descending: bool,
    limit: int,
    kinds: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Per customer of the scope (of `kinds` when given): written business, earned premium
    and claims of the period, ranked by `order` (ties by customer id), the first `limit`."""
    first, last = day(context.start), day(context.end)
    p: Columns = facts.policy
    keep = policy_filter(context, facts, p) & overlaps(p, first, last)
    keep &= in_scope(context, facts, p["customer"])
    if kinds:
        keep &= of_kinds(facts, p["customer"], kinds)
    p = select_rows(p, keep)
    cl: Columns = facts.claim
    keep_c = policy_filter(context, facts, cl) & (cl["loss"] >= first) & (cl["loss"] <= last)
    keep_c &= in_scope(context, facts, cl["customer"])
    if kinds:
        keep_c &= of_kinds(facts, cl["customer"], kinds)
    cl = select_rows(cl, keep_c)
    size = facts.customer_count
    done = written(p, first, last)
    who = p["customer"]
    measures = {
        "policies": sums(who, done, size),
        "written": sums(who, np.where(done, p["premium"], 0), size),
        "earned": sums(who, earned(p, first, last), size),
        "sum_insured": sums(who, np.where(done, p["sum_insured"], 0), size),
        "commission": sums(who, np.where(done, p["commission"], 0), size),
        "claims": sums(cl["customer"], None, size),
        "paid": sums(cl["customer"], cl["paid"], size),
        "outstanding": sums(cl["customer"], cl["outstanding"], size),
    }
    present = (sums(who, None, size) > 0) | (measures["claims"] > 0)
    ids = np.flatnonzero(present)
    picked = {name: values[ids] for name, values in measures.items()}
    key = ranking_key(order, picked)
    ranked = np.lexsort((ids, -key if descending else key))[:limit]
    return [
        {
            "customer_id": int(ids[i]),
            **{name: int(picked[name][i]) for name in (*RANKED, *CLAIMED)},
        }
        for i in ranked
    ]


# --- in force: sum insured and customers (customer_value, year by year) ----------------


def insured_on(context: QueryContext, facts: Facts, on: date) -> int:
    """Sum insured (fen) of the policies in force on `on` (`customer_value.insured_at`)."""
    p: Columns = facts.policy
    keep = policy_filter(context, facts, p) & in_force_on(p, day(on))
    return int(p["sum_insured"][keep].astype(np.int64).sum())


def customers_in_force(context: QueryContext, facts: Facts) -> int:
    """Distinct customers holding a policy in force during the period."""
    p: Columns = facts.policy
    keep = policy_filter(context, facts, p) & overlaps(p, day(context.start), day(context.end))
    held = np.bincount(p["customer"][keep], minlength=facts.customer_count)
    return int(np.count_nonzero(held))


# --- the account managers' renewal split (`account_manager.run`) ------------------------


def manager_split(context: QueryContext, facts: Facts) -> dict[Any, dict[str, int]]:
    first, last = day(context.start), day(context.end)
    p: Columns = facts.policy
    renewed_all = renewed(p)
    keep = policy_filter(context, facts, p) & overlaps(p, first, last)
    p = select_rows(p, keep)
    is_renewed = renewed_all[keep]
    done = written(p, first, last)
    renewal = p["renewal_of"] != 0
    ending = expiring(p, first, last)
    who = p["manager"]
    size = int(who.max()) + 1 if len(who) else 1
    premium = p["premium"].astype(np.float64)
    totals = {
        "new_premium": sums(who, np.where(done & ~renewal, premium, 0), size),
        "renewal_premium": sums(who, np.where(done & renewal, premium, 0), size),
        "renewals": sums(who, done & renewal, size),
        "expiring": sums(who, ending, size),
        "renewed": sums(who, ending & is_renewed, size),
    }
    return {
        (None if manager == 0 else int(manager)): {k: int(v[manager]) for k, v in totals.items()}
        for manager in np.flatnonzero(sums(who, None, size))
    }
