"""The SQL every report pushes down: policy and claim measures grouped by any dimension.

Nothing here loads policies into Python. A report names its dimensions (SQL expressions
such as the product line, the customer's industry or the vehicle's age band) and gets
back one row per group with:

- policies, customers — policies written in the period (start date inside it) and the
  distinct customers holding them;
- written — their premium (签单保费); sum_insured, commission — theirs too;
- earned — earned premium of every policy in force during the period (1/365 method,
  `services.earned`), whatever year it was written;
- claims, paid, outstanding, incurred — claims whose loss date falls in the period
  (accident-period basis), incurred = paid + outstanding;
- earned_lr (满期赔付率) = incurred / earned, simple_lr (简单赔付率) = paid / written.

Money leaves SQL as integer fen and becomes Decimal here, so totals are exact.
The policies counted are those of the unit subtree (policy.unit_id), line and channel of
the parameters; per-customer rows and drill-downs also keep to customers of the actor's
scope (customer.unit_id).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement

from tui_crm.services.reports.cube.query import cube_measures
from tui_crm.services.reports.customer_facts import query as facts_query
from tui_crm.services.reports.engine import measures as measure_sql
from tui_crm.services.reports.engine.context import Dim, Progress, QueryContext, chunks, dim
from tui_crm.services.reports.engine.measures import CLAIM_MEASURES, MEASURES, finish, rounded
from tui_crm.services.reports.engine.tables import CL, CT, IM, C, P, S, U, V, fen, month_key

__all__ = [
    "CL",
    "CLAIM_MEASURES",
    "CT",
    "IM",
    "MEASURES",
    "C",
    "Context",
    "Dim",
    "P",
    "Progress",
    "QueryContext",
    "S",
    "U",
    "V",
    "chunks",
    "dim",
    "fen",
    "finish",
    "month_key",
    "rounded",
]


@dataclass
class Context(QueryContext):
    """The query context with the measures: from the report cube or the customer facts
    when they can answer (whole months, fresh), otherwise from the base tables."""

    def policy_select(self, *args: Any, **kwargs: Any) -> Any:
        return measure_sql.policy_select(self, *args, **kwargs)

    def claim_select(self, *args: Any, **kwargs: Any) -> Any:
        return measure_sql.claim_select(self, *args, **kwargs)

    def measures(
        self,
        dims: Sequence[Dim],
        where: Sequence[ColumnElement[bool]] = (),
        needs: Iterable[str] = (),
        claim_where: Sequence[ColumnElement[bool]] | None = None,
        *,
        customers: bool = True,
    ) -> list[dict[str, Any]]:
        """One dict per group: the dimension values and every measure (money as Decimal).
        `customers=False` lets the report cube skip the distinct customers (then 0 there)."""
        if claim_where is None:
            cubed = cube_measures(self, dims, where, customers=customers)
            if cubed is not None:
                return [finish(entry) for entry in cubed]
        return measure_sql.measures(self, dims, where, needs, claim_where)

    def customer_ranking(
        self,
        *,
        order: str,
        descending: bool,
        limit: int,
        where: Sequence[ColumnElement[bool]] = (),
        needs: Iterable[str] = (),
        kinds: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """Per customer (of the actor's scope; of `kinds` when given) measures, ranked in
        SQL, the first `limit` (see `measures.customer_ranking`). Without other conditions,
        whole-month periods are ranked from the customer facts."""
        if not where and set(needs) <= {"customer"}:
            facts = facts_query.facts_for(self)
            if facts is not None:
                found = facts_query.customer_ranking(
                    self, facts, order=order, descending=descending, limit=limit, kinds=kinds
                )
                return [finish({**entry, "customers": 1}) for entry in found]
        return measure_sql.customer_ranking(
            self,
            order=order,
            descending=descending,
            limit=limit,
            where=where,
            needs=needs,
            kinds=kinds,
        )
