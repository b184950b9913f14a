"""客户价值分析: premium against claims per customer — the top and bottom customers by
contribution, and year by year for the whole book with the growth of insured assets."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from tui_crm.i18n import tr
from tui_crm.services.core import earned as earned_rules
from tui_crm.services.reports.common import premium_chart
from tui_crm.services.reports.customers import customer_rows
from tui_crm.services.reports.engine import columns as col
from tui_crm.services.reports.engine.base import (
    Choice,
    Column,
    Kind,
    fraction,
    money,
    per,
)
from tui_crm.services.reports.engine.params import COMMON, top, view
from tui_crm.services.reports.facts import Context, P, fen
from tui_crm.services.reports.registry import DrillSpec, Output, Report
from tui_crm.storage.types import from_fen

VIEWS = (
    Choice("top", "贡献最高的客户", "Top customers"),
    Choice("bottom", "贡献最低的客户", "Bottom customers"),
    Choice("years", "逐年汇总", "Year by year"),
)
VALUE_NOTE = (
    "贡献 = 满期保费 − 已决未决赔款 − 手续费；保险金额为期初、期末有效保单的保额合计",
    "Contribution = earned premium − paid and outstanding claims − commission; sum insured "
    "is that of the policies in force at the start and at the end of the period",
)


def run(context: Context) -> Output:
    chosen = context.params.option("view", "top")
    output = _years(context) if chosen == "years" else _customers(context, chosen == "top")
    output.subtitle = next(c.label for c in VIEWS if c.code == chosen)
    output.notes.append(tr(*VALUE_NOTE))
    return output


def insured_at(
    context: Context, day: date, ids: list[int] | None = None
) -> dict[int | None, Decimal]:
    """Sum insured of the policies in force on `day`, per customer (or in all when no ids)."""
    if ids is None:
        from tui_crm.services.reports.customer_facts import query as customer_facts_query

        facts = customer_facts_query.facts_for(context)
        if facts is not None:
            return {None: from_fen(customer_facts_query.insured_on(context, facts, day))}
    in_force = earned_rules.in_force_sql(P.c, day)
    group = [P.c.customer_id] if ids is not None else []
    statement = select(*group, func.sum(fen(P.c.sum_insured))).where(
        *context.policy_filters(), in_force
    )
    if ids is not None:
        statement = statement.where(P.c.customer_id.in_(ids)).group_by(*group)
        return {r[0]: from_fen(r[1]) for r in context.rows(statement, tr("保额", "sum insured"))}
    row = context.rows(statement, tr("保额", "sum insured"))[0]
    return {None: from_fen(row[0])}


def _customers(context: Context, best: bool) -> Output:
    limit = int(context.params.option("top", "20"))
    rows = customer_rows(context, limit=limit, order="value", descending=best)
    ids = [r["customer_id"] for r in rows]
    before = insured_at(context, context.start, ids)
    after = insured_at(context, context.end, ids)
    for row in rows:
        row["value"] = row["earned"] - row["incurred"] - row["commission"]
        row["insured_start"] = before.get(row["customer_id"], Decimal("0.00"))
        row["insured_end"] = after.get(row["customer_id"], Decimal("0.00"))
        row["insured_growth"] = _growth(row["insured_start"], row["insured_end"])
    columns = [
        col.rank(),
        *col.customer_identity(),
        col.class_label(),
        col.lines(),
        *_value_measures(),
        money("insured_start", "期初保额", "Sum insured at start"),
        money("insured_end", "期末保额", "Sum insured at end"),
        col.insured_growth(),
        col.customer_kind(),
    ]
    return Output(columns, rows, premium_chart("name", "value"))


def _value_measures() -> list[Column]:
    """What a customer or a year brought in and cost, down to its contribution."""
    return [
        col.written(),
        col.earned(),
        col.commission(),
        col.claims(),
        col.incurred(),
        col.earned_lr(),
        col.value(),
    ]


def _growth(before: Decimal, after: Decimal) -> Decimal | None:
    return fraction(after - before, before) if before else None


def _years(context: Context) -> Output:
    rows = []
    year = context.start.year
    previous: Decimal | None = None
    while year <= context.end.year:
        start = max(context.start, date(year, 1, 1))
        end = min(context.end, date(year, 12, 31))
        with context.period(start, end):
            found = context.measures([], customers=False)  # counted in force below
            totals = found[0] if found else None
            insured = insured_at(context, end)[None]
            customers = _customers_in_force(context)
        if previous is None:
            previous = insured_at(context, start - timedelta(days=1))[None]
        row: dict[str, Any] = {
            "segment": str(year)
            if (start, end) == (date(year, 1, 1), date(year, 12, 31))
            else f"{start.isoformat()} – {end.isoformat()}",
            "start": start,
            "end": end,
            "customers": int(customers),
            "written": totals["written"] if totals else Decimal("0.00"),
            "earned": totals["earned"] if totals else Decimal("0.00"),
            "commission": totals["commission"] if totals else Decimal("0.00"),
            "claims": totals["claims"] if totals else 0,
            "incurred": totals["incurred"] if totals else Decimal("0.00"),
            "earned_lr": totals["earned_lr"] if totals else None,
            "insured_end": insured,
            "insured_growth": _growth(previous, insured),
        }
        row["value"] = row["earned"] - row["incurred"] - row["commission"]
        row["per_customer"] = per(row["value"], row["customers"])
        previous = insured
        rows.append(row)
        year += 1
    columns = [
        col.segment("年度", "Year"),
        col.customers("有效客户数", "Customers in force"),
        *_value_measures(),
        Column("per_customer", "户均贡献", "Contribution per customer", Kind.MONEY),
        money("insured_end", "年末保额", "Sum insured at year end", total=False),
        col.insured_growth(),
    ]
    return Output(columns, rows, premium_chart("segment", "earned", "incurred", kind="line"))


def _customers_in_force(context: Context) -> int:
    from tui_crm.services.reports.customer_facts import query as customer_facts_query

    facts = customer_facts_query.facts_for(context)
    if facts is not None:
        return customer_facts_query.customers_in_force(context, facts)
    statement = select(func.count(func.distinct(P.c.customer_id))).where(
        *context.policy_filters(), context.in_force()
    )
    return int(context.rows(statement, tr("客户", "customers"))[0][0])


def drill(context: Context, row: dict[str, Any]) -> DrillSpec:
    if "customer_id" in row and row.get("customer_id") is not None:
        return DrillSpec(label=str(row["name"]), where=[P.c.customer_id == row["customer_id"]])
    start, end = row["start"], row["end"]
    return DrillSpec(
        label=str(row["segment"]),
        where=[P.c.start_date <= end, P.c.end_date >= start],
    )


REPORT = Report(
    name="customer_value",
    zh="客户价值分析",
    en="Customer value",
    description_zh="每个客户的保费与赔款对比：贡献最高与最低的客户，逐年汇总及保额增长",
    description_en="Premium against claims per customer: top and bottom customers, year by "
    "year with the growth of insured assets",
    params=(*COMMON, view(*VIEWS), top(20)),
    run=run,
    drill=drill,
    steps=lambda params: 6,
)
