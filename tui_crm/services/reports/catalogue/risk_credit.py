"""客户风险与信用分析: which customer traits drive the loss ratio (`risk_traits`), and
premium receivables (应收保费) — their rate and ageing per customer, flagging customers in
financial trouble."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, distinct, func, literal, select

from tui_crm.i18n import tr
from tui_crm.services.core import earned as earned_rules
from tui_crm.services.reports.catalogue.risk_traits import trait_rows, traits
from tui_crm.services.reports.common import (
    add_shares,
    premium_chart,
)
from tui_crm.services.reports.customer_facts import credit as customer_facts_credit
from tui_crm.services.reports.customer_facts import query as customer_facts_query
from tui_crm.services.reports.customers import customer_info
from tui_crm.services.reports.engine import columns as col
from tui_crm.services.reports.engine import labels
from tui_crm.services.reports.engine.base import (
    Choice,
    Column,
    Kind,
    count,
    fraction,
    money,
    percent,
    text,
)
from tui_crm.services.reports.engine.params import COMMON, top, view
from tui_crm.services.reports.facts import C, Context, P, fen
from tui_crm.services.reports.registry import DrillSpec, Output, Report
from tui_crm.storage.models import Receivable
from tui_crm.storage.types import from_fen

VIEWS = (
    Choice("traits", "客户特征与赔付率", "Traits and loss ratio"),
    Choice("receivables", "应收保费（按客户）", "Receivables by customer"),
    Choice("ageing", "应收保费账龄", "Receivables ageing"),
)
R = Receivable.__table__  # type: ignore[attr-defined]
AGEING = (
    ("current", None, 0, "未逾期", "Not overdue"),
    ("d30", 1, 30, "逾期 1–30 天", "1–30 days overdue"),
    ("d90", 31, 90, "逾期 31–90 天", "31–90 days overdue"),
    ("d180", 91, 180, "逾期 91–180 天", "91–180 days overdue"),
    ("d365", 181, 365, "逾期 181–365 天", "181–365 days overdue"),
    ("over", 366, None, "逾期一年以上", "Over a year overdue"),
)


def run(context: Context) -> Output:
    chosen = context.params.option("view", "traits")
    output = {"traits": trait_rows, "receivables": _receivables, "ageing": _ageing}[chosen](context)
    output.subtitle = next(c.label for c in VIEWS if c.code == chosen)
    return output


def _as_of(context: Context) -> date:
    return min(context.end, context.today)


def _overdue_days(context: Context) -> ColumnElement[int]:
    return earned_rules.day_number(literal(_as_of(context))) - earned_rules.day_number(R.c.due_date)


def _bucket(context: Context) -> Any:
    days = _overdue_days(context)
    whens = []
    for code, low, high, _zh, _en in AGEING:
        condition = (
            days <= high
            if low is None
            else (days >= low)
            if high is None
            else ((days >= low) & (days <= high))
        )
        whens.append((condition, code))
    return case(*whens)


def _receivable_source(context: Context) -> tuple[Any, list[ColumnElement[bool]]]:
    source = R.join(P, P.c.id == R.c.policy_id).join(C, C.c.id == P.c.customer_id)
    where = [
        *context.policy_filters(),
        R.c.due_date.between(context.start, context.end),
        context.customer_scope(),
    ]
    return source, where


def _receivable_rows(context: Context, limit: int) -> Sequence[Any]:
    """Per customer with an unpaid balance, largest first: from the customer facts for
    whole months, else from the base tables."""
    facts = customer_facts_query.facts_for(context)
    if facts is not None:
        return customer_facts_credit.receivables(context, facts, AGEING, limit, _as_of(context))
    balance = fen(R.c.amount) - fen(R.c.paid_amount)
    unpaid = balance > 0
    days = _overdue_days(context)
    source, where = _receivable_source(context)
    bucket_sums = [
        func.sum(case((unpaid & (_bucket(context) == code), balance), else_=0)).label(code)
        for code, *_rest in AGEING
    ]
    statement = (
        select(
            P.c.customer_id,
            func.count(R.c.id).label("receivables"),
            func.sum(fen(R.c.amount)).label("due"),
            func.sum(fen(R.c.paid_amount)).label("received"),
            func.sum(balance).label("balance"),
            func.max(case((unpaid, days), else_=None)).label("max_days"),
            *bucket_sums,
        )
        .select_from(source)
        .where(*where)
        .group_by(P.c.customer_id)
        .having(func.sum(balance) > 0)
        .order_by(func.sum(balance).desc(), P.c.customer_id)
        .limit(limit)
    )
    return context.rows(statement, tr("应收保费", "receivables"))


def _receivables(context: Context) -> Output:
    limit = int(context.params.option("top", "20"))
    days_limit = int(context.threshold("report.credit.overdue_days"))
    rate_limit = context.threshold("report.credit.balance_rate")
    found = _receivable_rows(context, limit)
    info = customer_info(context, [r.customer_id for r in found])
    rows = []
    for rank, row in enumerate(found, start=1):
        about = info.get(row.customer_id)
        if about is None:
            continue
        entry: dict[str, Any] = {
            "rank": rank,
            "customer_id": row.customer_id,
            "name": about["name"],
            "customer_kind": about["kind"],
            "kind_label": labels.label(labels.KIND, about["kind"]),
            "unit_code": about["unit_code"],
            "receivables": int(row.receivables),
            "due": from_fen(row.due),
            "received": from_fen(row.received),
            "balance": from_fen(row.balance),
            "max_days": max(0, int(row.max_days or 0)),
        }
        for code, *_rest in AGEING:
            entry[code] = from_fen(getattr(row, code))
        entry["rate"] = fraction(entry["balance"], entry["due"])
        trouble = entry["max_days"] > days_limit or (entry["rate"] or 0) >= rate_limit
        entry["trouble"] = tr("是", "yes") if trouble else ""
        rows.append(entry)
    columns = [
        col.rank(),
        *col.customer_identity(),
        col.receivables(),
        money("due", "应收保费", "Premium due"),
        money("received", "已收保费", "Received"),
        col.balance(),
        percent("rate", "未收比例", "Unpaid share", of=("balance", "due")),
        *[money(code, zh, en) for code, _l, _h, zh, en in AGEING],
        Column("max_days", "最长逾期天数", "Longest overdue (days)", Kind.INT),
        text("trouble", "财务困难预警", "Financial trouble"),
        col.customer_kind(),
    ]
    note = tr(
        "应收保费到期日在期间内；账龄截至 {d}；逾期超过 {n} 天或未收比例 ≥ {r} 提示财务困难",
        "Receivables falling due in the period; ageing as of {d}; overdue over {n} days or an "
        "unpaid share of {r} or more flags financial trouble",
        d=_as_of(context).isoformat(),
        n=days_limit,
        r=earned_rules.format_ratio(rate_limit),
    )
    return Output(columns, rows, premium_chart("name", "balance"), notes=[note])


def _ageing_rows(context: Context) -> dict[Any, Any]:
    facts = customer_facts_query.facts_for(context)
    if facts is not None:
        return customer_facts_credit.ageing_rows(context, facts, AGEING, _as_of(context))
    balance = fen(R.c.amount) - fen(R.c.paid_amount)
    bucket = _bucket(context)
    source, where = _receivable_source(context)
    statement = (
        select(
            bucket.label("bucket"),
            func.count(R.c.id).label("receivables"),
            func.count(distinct(P.c.customer_id)).label("customers"),
            func.sum(balance).label("balance"),
        )
        .select_from(source)
        .where(*where, balance > 0)
        .group_by(bucket)
    )
    return {r.bucket: r for r in context.rows(statement, tr("账龄", "ageing"))}


def _ageing(context: Context) -> Output:
    found = _ageing_rows(context)
    rows = []
    for code, _low, _high, zh, en in AGEING:
        row = found.get(code)
        rows.append(
            {
                "code": code,
                "segment": tr(zh, en),
                "receivables": int(row.receivables) if row else 0,
                "customers": int(row.customers) if row else 0,
                "balance": from_fen(row.balance if row else 0),
            }
        )
    add_shares(rows, "balance", "share")
    columns = [
        col.segment("账龄", "Age"),
        col.code(),
        count("receivables", "未收笔数", "Unpaid receivables"),
        col.customers(),
        col.balance(),
        percent("share", "余额占比", "Share of balance", of=("balance", "balance")),
    ]
    return Output(columns, rows, premium_chart("segment", "balance"))


def drill(context: Context, row: dict[str, Any]) -> DrillSpec | None:
    chosen = context.params.option("view", "traits")
    if chosen == "receivables":
        return DrillSpec(label=str(row["name"]), where=[P.c.customer_id == row["customer_id"]])
    if chosen == "ageing":
        source, where = _receivable_source(context)
        balance = fen(R.c.amount) - fen(R.c.paid_amount)
        ids = (
            select(P.c.customer_id)
            .select_from(source)
            .where(*where, balance > 0, _bucket(context) == row["code"])
            .distinct()
        )
        return DrillSpec(label=str(row["segment"]), ids=ids)
    trait = next(t for t in traits(context) if t[0] == row["trait_code"])
    dim = trait[3]
    value = row.get("code")
    condition = dim.expr.is_(None) if value is None else dim.expr == value
    return DrillSpec(
        label=f"{row['trait']}：{row['segment']}",
        where=[condition],
        needs=frozenset({"customer", *dim.needs}),
    )


REPORT = Report(
    name="risk_credit",
    zh="客户风险与信用分析",
    en="Customer risk and credit",
    description_zh="哪些客户特征推高赔付率；应收保费的未收比例与账龄，提示财务困难客户",
    description_en="Which customer traits drive the loss ratio; receivables: unpaid share and "
    "ageing per customer, flagging customers in financial trouble",
    params=(*COMMON, view(*VIEWS), top(50)),
    run=run,
    drill=drill,
    steps=lambda params: 2,
)
