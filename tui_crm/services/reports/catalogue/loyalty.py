"""客户忠诚度分析: tenure, depth (lines, premium), renewal and churn rates — by customer
kind, by tenure band, or by line (how well each product keeps its customers)."""

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, case, distinct, func, literal, select

from tui_crm.i18n import tr
from tui_crm.services.core import earned as earned_rules
from tui_crm.services.reports.common import add_shares, band, line_label, premium_chart
from tui_crm.services.reports.engine import columns as col
from tui_crm.services.reports.engine import labels
from tui_crm.services.reports.engine.base import (
    Choice,
    Column,
    Kind,
    count,
    fraction,
    per,
    percent,
    text,
)
from tui_crm.services.reports.engine.params import COMMON, view
from tui_crm.services.reports.facts import C, Context, P, fen
from tui_crm.services.reports.registry import DrillSpec, Output, Report
from tui_crm.storage.types import from_fen

VIEWS = (
    Choice("kind", "按客户类型", "By customer kind"),
    Choice("tenure", "按客户年限", "By tenure"),
    Choice("line", "按险种", "By line"),
)
TENURE_BANDS = ((None, 0, "<1"), (1, 2, "1-2"), (3, 4, "3-4"), (5, 9, "5-9"), (10, None, "10+"))


def per_customer(context: Context, by_line: bool) -> Select[Any]:
    """One row per customer (and line): first policy, presence at the start and the end of
    the period, lines, written premium, expiring and renewed policies."""
    start, end = context.start, context.end

    def flag(condition: ColumnElement[bool]) -> Any:
        return func.max(case((condition, 1), else_=0))

    active = context.in_force() & ~earned_rules.cancelled_by_sql(P.c, start)
    columns = [P.c.customer_id, C.c.kind.label("kind")]
    if by_line:
        columns.append(P.c.line_code.label("line"))
    tenure_days = earned_rules.day_number(literal(end)) - earned_rules.day_number(
        func.min(P.c.start_date)
    )
    return (
        select(
            *columns,
            func.min(P.c.start_date).label("first_start"),
            tenure_days.label("tenure_days"),
            flag(earned_rules.in_force_sql(P.c, start)).label("at_start"),
            flag(earned_rules.in_force_sql(P.c, end)).label("at_end"),
            flag(active).label("active"),
            func.count(distinct(case((active, P.c.line_code)))).label("lines"),
            func.sum(case((context.written(), fen(P.c.premium)), else_=0)).label("written"),
            func.count(case((context.expiring(), P.c.id))).label("expiring"),
            func.count(case((context.expiring() & context.renewed(), P.c.id))).label("renewed"),
        )
        .select_from(context.joined(P, {"customer"}))
        .where(*context.policy_filters(), P.c.start_date <= end, context.customer_scope())
        .group_by(*columns)
    )


def _segment(chosen: str, facts: Any) -> Any:
    if chosen == "line":
        return facts.c.line
    if chosen == "tenure":
        return band(facts.c.tenure_days // 365, TENURE_BANDS)
    return facts.c.kind


def _segment_rows(context: Context, chosen: str) -> Sequence[Any]:
    """Per segment: customers, tenure, lines, written, at start, lost, new, renewals —
    from the customer facts for whole months, else from the base tables."""
    from tui_crm.services.reports.customer_facts import query as customer_facts_query
    from tui_crm.services.reports.customer_facts import views as customer_facts_views

    found = customer_facts_query.facts_for(context)
    if found is not None:
        return customer_facts_views.loyalty(context, found, chosen, TENURE_BANDS)
    facts = per_customer(context, chosen == "line").subquery("facts")
    segment = _segment(chosen, facts)
    active = facts.c.active == 1
    statement = select(
        segment.label("code"),
        func.sum(facts.c.active).label("customers"),
        func.sum(case((active, facts.c.tenure_days), else_=0)).label("tenure_days"),
        func.sum(case((active, facts.c.lines), else_=0)).label("lines"),
        func.sum(facts.c.written).label("written"),
        func.sum(facts.c.at_start).label("at_start"),
        func.sum(case(((facts.c.at_start == 1) & (facts.c.at_end == 0), 1), else_=0)).label("lost"),
        func.sum(case((facts.c.first_start.between(context.start, context.end), 1), else_=0)).label(
            "new"
        ),
        func.sum(facts.c.expiring).label("expiring"),
        func.sum(facts.c.renewed).label("renewed"),
    ).group_by(segment)
    return context.rows(statement, tr("忠诚度", "loyalty"))


def run(context: Context) -> Output:
    chosen = context.params.option("view", "kind")
    names = line_label(context)
    rows = []
    for found in _segment_rows(context, chosen):
        if not found.customers and not found.at_start:
            continue
        code = found.code
        if chosen == "line":
            name = names(code)
        elif chosen == "tenure":
            name = labels.unknown() if code is None else tr(f"{code}年", f"{code} years")
        else:
            name = labels.label(labels.KIND, code)
        customers = int(found.customers or 0)
        rows.append(
            {
                "code": code,
                "segment": name,
                "customers": customers,
                "new": int(found.new or 0),
                "tenure": per(Decimal(int(found.tenure_days or 0)) / 365, customers),
                "lines_per_customer": per(Decimal(int(found.lines or 0)), customers),
                "written": from_fen(found.written),
                "at_start": int(found.at_start or 0),
                "lost": int(found.lost or 0),
                "expiring": int(found.expiring or 0),
                "renewed": int(found.renewed or 0),
            }
        )
    for row in rows:
        row["per_customer"] = per(row["written"], row["customers"])
        row["churn"] = fraction(row["lost"], row["at_start"])
        row["renewal_rate"] = fraction(row["renewed"], row["expiring"])
    add_shares(rows)
    order = {"<1": 0, "1-2": 1, "3-4": 2, "5-9": 3, "10+": 4}
    if chosen == "tenure":
        rows.sort(key=lambda r: order.get(r["code"], 9))
    else:
        rows.sort(key=lambda r: -r["written"])
    columns = [
        text(
            "segment",
            {"kind": "客户类型", "tenure": "客户年限", "line": "险种"}[chosen],
            {"kind": "Customer kind", "tenure": "Tenure", "line": "Line"}[chosen],
        ),
        col.code(),
        col.customers("有效客户数", "Customers in force", total=True),
        count("new", "其中新客户", "of which new"),
        Column("tenure", "平均客户年限（年）", "Average tenure (years)", Kind.NUMBER),
        col.lines_per_customer(),
        col.written(),
        col.share(),
        col.premium_per_customer(),
        count("expiring", "到期保单", "Policies expiring"),
        count("renewed", "已续保", "Renewed"),
        percent("renewal_rate", "续保率", "Renewal rate", of=("renewed", "expiring")),
        count("at_start", "期初有效客户", "Customers at start"),
        count("lost", "流失客户", "Customers lost"),
        percent("churn", "流失率", "Churn rate", of=("lost", "at_start")),
    ]
    if chosen == "line":  # a customer counts once per line: customer sums would double count
        columns = [
            replace(c, total=None, ratio_of=None)
            if c.key in ("customers", "new", "at_start", "lost", "churn")
            else c
            for c in columns
        ]
    return Output(
        columns,
        rows,
        premium_chart("segment", "renewal_rate", "churn"),
        subtitle=next(c.label for c in VIEWS if c.code == chosen),
        notes=[
            tr(
                "续保率 = 期间内到期未退保保单中已登记续保的比例；流失率 = 期初有保单有效、"
                "期末已无有效保单的客户 / 期初有效客户；客户年限自首张保单起期算至期末",
                "Renewal rate = share of policies expiring in the period (not cancelled) with a "
                "recorded renewal; churn = customers in force at the start and no longer at the "
                "end / customers in force at the start; tenure from the first policy's start",
            )
        ],
    )


def drill(context: Context, row: dict[str, Any]) -> DrillSpec:
    chosen = context.params.option("view", "kind")
    facts = per_customer(context, chosen == "line").subquery("facts")
    segment = _segment(chosen, facts)
    code = row.get("code")
    ids = select(facts.c.customer_id).where(
        segment.is_(None) if code is None else segment == code,
        facts.c.at_start == 1,
        facts.c.at_end == 0,
    )
    if chosen == "line":
        ids = ids.distinct()
    return DrillSpec(label=tr("{s} 流失客户", "{s}: customers lost", s=row.get("segment")), ids=ids)


REPORT = Report(
    name="loyalty",
    zh="客户忠诚度分析",
    en="Customer loyalty",
    description_zh="客户年限、购买深度（险种、保费）、续保率与流失率，按客户类型、年限或险种；"
    "钻取列出流失客户",
    description_en="Tenure, depth (lines, premium), renewal and churn rates by customer kind, "
    "tenure or line; drill down lists the customers lost",
    params=(*COMMON, view(*VIEWS)),
    run=run,
    drill=drill,
    steps=lambda params: 1,
)
