"""Policy and claim measures grouped by any dimension, and customers ranked by them —
the SQL behind `facts.Context.measures` and `.customer_ranking` (functions of a context:
they use its filters and joins).

`measures` answers from the report cube (`reports.cube_query`) when the period is whole
months and every grouping and condition maps onto the cube; otherwise from the base tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    case,
    distinct,
    func,
    literal,
    select,
    union_all,
)

from tui_crm.i18n import tr
from tui_crm.services.core import earned as earned_rules
from tui_crm.services.reports.engine.context import Dim, QueryContext, dim
from tui_crm.services.reports.engine.tables import CL, C, P, fen
from tui_crm.storage.types import from_fen

MEASURES = ("policies", "customers", "written", "earned", "sum_insured", "commission")
CLAIM_MEASURES = ("claims", "paid", "outstanding")


def policy_select(
    context: QueryContext,
    dims: Sequence[Dim],
    where: Sequence[ColumnElement[bool]] = (),
    needs: Iterable[str] = (),
) -> Select[Any]:
    written = context.written()
    all_needs = set(needs).union(*(d.needs for d in dims))

    def when_written(column: Any) -> Any:
        return func.coalesce(func.sum(case((written, fen(column)), else_=0)), 0)

    return (
        select(
            *(d.expr.label(d.key) for d in dims),
            func.count(case((written, P.c.id))).label("policies"),
            func.count(distinct(case((written, P.c.customer_id)))).label("customers"),
            when_written(P.c.premium).label("written"),
            func.coalesce(func.sum(context.earned_fen()), 0).label("earned"),
            when_written(P.c.sum_insured).label("sum_insured"),
            when_written(P.c.commission).label("commission"),
        )
        .select_from(context.joined(P, all_needs))
        .where(*context.policy_filters(), context.in_force(), *where)
        .group_by(*(d.expr for d in dims))
    )


def claim_select(
    context: QueryContext,
    dims: Sequence[Dim],
    where: Sequence[ColumnElement[bool]] = (),
    needs: Iterable[str] = (),
) -> Select[Any]:
    all_needs = set(needs).union(*(d.needs for d in dims))
    base = context.joined(CL.join(P, P.c.id == CL.c.policy_id), all_needs)
    return (
        select(
            *(d.expr.label(d.key) for d in dims),
            func.count(CL.c.id).label("claims"),
            func.coalesce(func.sum(fen(CL.c.paid)), 0).label("paid"),
            func.coalesce(func.sum(fen(CL.c.outstanding)), 0).label("outstanding"),
        )
        .select_from(base)
        .where(
            *context.policy_filters(),
            CL.c.loss_date.between(context.start, context.end),
            context.claim_counted(),
            *where,
        )
        .group_by(*(d.expr for d in dims))
    )


def measures(
    context: QueryContext,
    dims: Sequence[Dim],
    where: Sequence[ColumnElement[bool]] = (),
    needs: Iterable[str] = (),
    claim_where: Sequence[ColumnElement[bool]] | None = None,
) -> list[dict[str, Any]]:
    """One dict per group from the base tables: the dimension values and every measure
    (money as Decimal); `Context.measures` tries the report cube first."""
    keys = [d.key for d in dims]
    policy_rows = context.rows(policy_select(context, dims, where, needs), tr("保单", "policies"))
    claim_rows = context.rows(
        claim_select(context, dims, where if claim_where is None else claim_where, needs),
        tr("赔案", "claims"),
    )
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in policy_rows:
        mapping = row._mapping
        group = tuple(mapping[k] for k in keys)
        groups[group] = {**{k: mapping[k] for k in keys}, **{m: mapping[m] for m in MEASURES}}
    for row in claim_rows:
        mapping = row._mapping
        group = tuple(mapping[k] for k in keys)
        entry = groups.setdefault(
            group, {**{k: mapping[k] for k in keys}, **dict.fromkeys(MEASURES, 0)}
        )
        entry.update({m: mapping[m] for m in CLAIM_MEASURES})
    return [finish(entry) for entry in groups.values()]


def customer_ranking(
    context: QueryContext,
    *,
    order: str,
    descending: bool,
    limit: int,
    where: Sequence[ColumnElement[bool]] = (),
    needs: Iterable[str] = (),
    kinds: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Per customer (of the actor's scope; of `kinds` when given) measures, ranked in
    SQL, the first `limit`.

    `order`: written | earned | incurred | value (earned − incurred − commission).
    The base-table path of `Context.customer_ranking` (which tries the customer facts).
    """
    needs = {"customer", *needs}
    kind = [C.c.kind.in_(list(kinds))] if kinds else []
    where = [*where, *kind, context.customer_scope()]
    customer = dim("customer_id", P.c.customer_id)
    policies = policy_select(context, [customer], where, needs).subquery("policies")
    claims = claim_select(context, [customer], where, needs).subquery("claims")
    zero = literal(0, BigInteger)
    union = union_all(
        select(
            policies.c.customer_id,
            policies.c.policies,
            policies.c.written,
            policies.c.earned,
            policies.c.sum_insured,
            policies.c.commission,
            zero.label("claims"),
            zero.label("paid"),
            zero.label("outstanding"),
        ),
        select(
            claims.c.customer_id,
            zero,
            zero,
            zero,
            zero,
            zero,
            claims.c.claims,
            claims.c.paid,
            claims.c.outstanding,
        ),
    ).subquery("facts")
    names = ("policies", "written", "earned", "sum_insured", "commission", "claims")
    sums = {name: func.sum(union.c[name]) for name in (*names, "paid", "outstanding")}
    key = ranking_key(order, sums)
    statement = (
        select(union.c.customer_id, *(value.label(name) for name, value in sums.items()))
        .group_by(union.c.customer_id)
        .order_by(key.desc() if descending else key.asc(), union.c.customer_id)
        .limit(limit)
    )
    rows = context.rows(statement, tr("客户排名", "ranking customers"))
    result = []
    for row in rows:
        entry = dict(row._mapping)
        entry["customers"] = 1
        result.append(finish(entry))
    return result


def ranking_key(order: str, sums: Mapping[str, Any]) -> Any:
    """What customers are ranked by, from their summed measures (SQL expressions or numpy
    arrays alike): written or earned premium, incurred claims, or value = earned −
    incurred − commission."""
    incurred = sums["paid"] + sums["outstanding"]
    keys = {
        "written": sums["written"],
        "earned": sums["earned"],
        "incurred": incurred,
        "value": sums["earned"] - incurred - sums["commission"],
    }
    return keys[order]


def finish(entry: dict[str, Any]) -> dict[str, Any]:
    """Fen → Decimal yuan, incurred and the two loss ratios."""
    for name in ("claims", "paid", "outstanding"):
        entry.setdefault(name, 0)
    for name in ("written", "earned", "sum_insured", "commission", "paid", "outstanding"):
        entry[name] = from_fen(entry.get(name))
    for name in ("policies", "customers", "claims"):
        entry[name] = int(entry.get(name) or 0)
    entry["incurred"] = entry["paid"] + entry["outstanding"]
    entry["earned_lr"] = rounded(
        earned_rules.earned_loss_ratio(entry["paid"], entry["outstanding"], entry["earned"])
    )
    entry["simple_lr"] = rounded(earned_rules.simple_loss_ratio(entry["paid"], entry["written"]))
    return entry


def rounded(value: Decimal | None) -> Decimal | None:
    """A ratio to 4 decimals (0.6523 = 65.23%), half-up."""
    if value is None:
        return None
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
