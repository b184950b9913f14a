"""Per-customer pieces several reports share: ranked customer rows with their details,
lines bought per customer, and first-policy dates (new customers)."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, distinct, func, select

from tui_crm.i18n import tr
from tui_crm.services.reports.engine import labels
from tui_crm.services.reports.facts import CT, C, Context, P, S, U, chunks, fen, month_key
from tui_crm.storage.types import from_fen


def customer_rows(
    context: Context,
    *,
    where: Sequence[ColumnElement[bool]] = (),
    needs: Sequence[str] = (),
    limit: int,
    order: str = "written",
    descending: bool = True,
    kinds: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """The first `limit` customers (of `kinds` when given) by `order`, with name, kind,
    unit, class, lines bought."""
    ranked = context.customer_ranking(
        order=order, descending=descending, limit=limit, where=where, needs=needs, kinds=kinds
    )
    ids = [r["customer_id"] for r in ranked]
    info = customer_info(context, ids)
    lines = lines_held(context, ids)
    rows = []
    for rank, entry in enumerate(ranked, start=1):
        about = info.get(entry["customer_id"])
        if about is None:
            continue
        rows.append(
            {
                **entry,
                "rank": rank,
                "name": about["name"],
                "customer_kind": about["kind"],
                "kind_label": labels.label(labels.KIND, about["kind"]),
                "id_number": about["id_number"] if about["kind"] != "individual" else None,
                "industry": about["industry"],
                "unit_code": about["unit_code"],
                "class_label": labels.label(labels.CLASS, about["customer_class"]),
                "key_label": tr("是", "yes") if about["flag_key"] else "",
                "manager": about.get("manager"),
                "lines": len(lines.get(entry["customer_id"], ())),
                "line_codes": sorted(lines.get(entry["customer_id"], ())),
            }
        )
    return rows


def lines_held(context: Context, ids: Sequence[int]) -> dict[int, set[str]]:
    """Lines of each customer's policies in force during the period (any unit in scope)."""
    held: dict[int, set[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        statement = (
            select(P.c.customer_id, P.c.line_code)
            .where(
                P.c.customer_id.in_(chunk),
                P.c.unit_id.in_(context.params.unit_ids),
                context.in_force(),
            )
            .group_by(P.c.customer_id, P.c.line_code)
        )
        for row in context.connection.execute(statement):
            held.setdefault(row.customer_id, set()).add(row.line_code)
    return held


def lines_per_customer(context: Context, where: Sequence[ColumnElement[bool]] = ()) -> Select[Any]:
    """customer_id, lines (distinct lines written in the period), written (fen)."""
    return (
        select(
            P.c.customer_id,
            func.count(distinct(P.c.line_code)).label("lines"),
            func.sum(fen(P.c.premium)).label("written"),
        )
        .select_from(context.joined(P, {"customer"}))
        .where(*context.policy_filters(), context.written(), context.customer_scope(), *where)
        .group_by(P.c.customer_id)
    )


def first_policy_select(context: Context, where: Sequence[ColumnElement[bool]] = ()) -> Select[Any]:
    """customer_id, first_start (the start of their first policy with us, any line or unit)
    of the customers holding a policy written in the period."""
    active = (
        select(P.c.customer_id)
        .select_from(context.joined(P, {"customer"}))
        .where(*context.policy_filters(), context.written(), context.customer_scope(), *where)
    )
    history = P.alias("history")
    return (
        select(history.c.customer_id, func.min(history.c.start_date).label("first_start"))
        .where(history.c.customer_id.in_(active))
        .group_by(history.c.customer_id)
    )


def first_policy_months(
    context: Context, where: Sequence[ColumnElement[bool]], kinds: Sequence[str]
) -> list[tuple[date, int, Any]]:
    """(month, new customers, their written premium in the period) for each month of the
    period in which customers bought their first policy with us. `where` says the same as
    `kinds` (customer kinds): the customer facts answer whole months by the kinds."""
    from tui_crm.services.reports.customer_facts import query as customer_facts_query
    from tui_crm.services.reports.customer_facts import segments as customer_facts_segments

    facts = customer_facts_query.facts_for(context)
    if facts is not None:
        found = customer_facts_segments.first_policy_months(context, facts, kinds)
        return [(month, n, from_fen(written)) for month, n, written in found]
    first = first_policy_select(context, where).subquery("first")
    written = lines_per_customer(context, where).subquery("written")
    month = month_key(first.c.first_start)
    statement = (
        select(month.label("month"), func.count().label("customers"), func.sum(written.c.written))
        .select_from(first.join(written, written.c.customer_id == first.c.customer_id))
        .where(first.c.first_start.between(context.start, context.end))
        .group_by(month)
        .order_by(month)
    )
    result = []
    for row in context.rows(statement, tr("新客户", "new customers")):
        code = int(row[0])
        result.append((date(code // 100, code % 100, 1), int(row[1]), from_fen(row[2])))
    return result


def customer_info(context: Context, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Name, kind, unit, class, flags, account manager and primary mobile of customers."""
    info: dict[int, dict[str, Any]] = {}
    for chunk in chunks(list(ids), 500):
        statement = (
            select(
                C.c.id,
                C.c.name,
                C.c.kind,
                C.c.customer_class,
                C.c.flag_key,
                C.c.flag_blacklist,
                C.c.industry,
                C.c.id_number,
                U.c.code.label("unit_code"),
                S.c.display_name.label("manager"),
            )
            .select_from(
                C.join(U, U.c.id == C.c.unit_id).outerjoin(S, S.c.id == C.c.account_manager_id)
            )
            .where(C.c.id.in_(chunk), context.customer_scope())
        )
        for row in context.connection.execute(statement):
            info[row.id] = dict(row._mapping)
        phones = select(CT.c.customer_id, func.min(CT.c.value).label("phone")).where(
            CT.c.customer_id.in_(chunk), CT.c.kind == "mobile"
        )
        for row in context.connection.execute(phones.group_by(CT.c.customer_id)):
            if row.customer_id in info:
                info[row.customer_id]["phone"] = row.phone
    return info
