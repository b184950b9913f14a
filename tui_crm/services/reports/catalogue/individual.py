"""个人客户分析: individual customers — sum insured and premium by line, payment status of
their premium receivables, new versus renewing business month by month."""

from typing import Any

from sqlalchemy import and_, case, distinct, func, select

from tui_crm.i18n import tr
from tui_crm.services.reports.common import (
    add_shares,
    line_label,
    month_label,
    months,
    premium_chart,
    segment_columns,
    segment_drill,
    segments,
)
from tui_crm.services.reports.customer_facts import query as customer_facts_query
from tui_crm.services.reports.customer_facts import segments as customer_facts_segments
from tui_crm.services.reports.customers import first_policy_months
from tui_crm.services.reports.engine import columns as col
from tui_crm.services.reports.engine.base import Choice, count, fraction, money, percent
from tui_crm.services.reports.engine.params import COMMON, view
from tui_crm.services.reports.facts import C, Context, Dim, P, fen, month_key
from tui_crm.services.reports.registry import DrillSpec, Output, Report
from tui_crm.storage.models import Receivable
from tui_crm.storage.types import from_fen

VIEWS = (
    Choice("overview", "总体（按险种）", "Overall by line"),
    Choice("payment", "缴费状况", "Payment status"),
    Choice("new_renewal", "新保与续保", "New versus renewal"),
)
KINDS = ("individual",)
INDIVIDUAL = C.c.kind == "individual"
R = Receivable.__table__  # type: ignore[attr-defined]

STATUS = {
    "paid": ("已缴清", "Paid in full"),
    "partial": ("部分缴费", "Partly paid"),
    "due": ("未到期未缴", "Not yet due"),
    "overdue": ("逾期未缴", "Overdue"),
}


def run(context: Context) -> Output:
    chosen = context.params.option("view", "overview")
    output = {"overview": _overview, "payment": _payment, "new_renewal": _new_renewal}[chosen](
        context
    )
    output.subtitle = next(c.label for c in VIEWS if c.code == chosen)
    return output


def _overview(context: Context) -> Output:
    group = Dim("line", P.c.line_code)
    rows = segments(context, group, line_label(context), where=[INDIVIDUAL], needs={"customer"})
    columns = segment_columns("险种", "Line", sum_insured=True)
    return Output(columns, rows, premium_chart("segment", "written", "earned"))


def _status(context: Context) -> Any:
    """Each receivable's payment status today."""
    return case(
        (fen(R.c.paid_amount) >= fen(R.c.amount), "paid"),
        (R.c.due_date >= context.today, case((fen(R.c.paid_amount) > 0, "partial"), else_="due")),
        else_="overdue",
    )


def _receivables(context: Context) -> Any:
    return (
        R.join(P, P.c.id == R.c.policy_id).join(C, C.c.id == P.c.customer_id),
        [*context.policy_filters(), context.written(), INDIVIDUAL, context.customer_scope()],
    )


def _payment_rows(context: Context) -> dict[Any, Any]:
    """Per payment status: receivables, customers, amount and paid (fen) — from the
    customer facts for whole months, else from the base tables."""
    facts = customer_facts_query.facts_for(context)
    if facts is not None:
        return customer_facts_segments.payment_status(context, facts, KINDS, context.today)
    status = _status(context)
    source, where = _receivables(context)
    statement = (
        select(
            status.label("status"),
            func.count().label("receivables"),
            func.count(distinct(P.c.customer_id)).label("customers"),
            func.sum(fen(R.c.amount)).label("amount"),
            func.sum(fen(R.c.paid_amount)).label("paid"),
        )
        .select_from(source)
        .where(*where)
        .group_by(status)
    )
    return {r.status: r for r in context.rows(statement, tr("应收保费", "receivables"))}


def _payment(context: Context) -> Output:
    found = _payment_rows(context)
    rows = []
    for code, (zh, en) in STATUS.items():
        row = found.get(code)
        amount = from_fen(row.amount if row else 0)
        paid = from_fen(row.paid if row else 0)
        rows.append(
            {
                "code": code,
                "segment": tr(zh, en),
                "receivables": int(row.receivables) if row else 0,
                "customers": int(row.customers) if row else 0,
                "amount": amount,
                "paid": paid,
                "balance": amount - paid,
            }
        )
    add_shares(rows, "amount", "share")
    columns = [
        col.segment("缴费状况", "Payment status"),
        col.code(),
        col.receivables(),
        col.customers(),
        money("amount", "应收保费", "Premium due"),
        money("paid", "已收保费", "Received"),
        col.balance(),
        percent("share", "金额占比", "Share of amount", of=("amount", "amount")),
    ]
    return Output(
        columns,
        rows,
        premium_chart("segment", "amount"),
        notes=[
            tr(
                "保单起期在期间内的个人客户应收保费，缴费状况截至今天",
                "Receivables of individuals' policies starting in the period; status as of today",
            )
        ],
    )


def _by_month(context: Context) -> dict[int, Any]:
    """Per yyyymm: renewals and new policies written and their premium (fen) — from the
    customer facts for whole months, else from the base tables."""
    facts = customer_facts_query.facts_for(context)
    if facts is not None:
        return customer_facts_segments.new_renewal(context, facts, KINDS)
    month = month_key(P.c.start_date)
    renewal = P.c.renewal_of_id.is_not(None)
    statement = (
        select(
            month.label("month"),
            func.count(case((renewal, P.c.id))).label("renewals"),
            func.sum(case((renewal, fen(P.c.premium)), else_=0)).label("renewal_premium"),
            func.count(case((~renewal, P.c.id))).label("new_policies"),
            func.sum(case((~renewal, fen(P.c.premium)), else_=0)).label("new_premium"),
        )
        .select_from(context.joined(P, {"customer"}))
        .where(*context.policy_filters(), context.written(), INDIVIDUAL, context.customer_scope())
        .group_by(month)
    )
    return {int(r.month): r for r in context.rows(statement, tr("新保续保", "new and renewal"))}


def _new_renewal(context: Context) -> Output:
    found = _by_month(context)
    newcomers = {
        m.year * 100 + m.month: (n, w)
        for m, n, w in first_policy_months(context, [INDIVIDUAL], KINDS)
    }
    rows: list[dict[str, Any]] = []
    for first, start, end in months(context.start, context.end):
        code = first.year * 100 + first.month
        row = found.get(code)
        new_premium = from_fen(row.new_premium if row else 0)
        renewal_premium = from_fen(row.renewal_premium if row else 0)
        rows.append(
            {
                "code": code,
                "start": start,
                "end": end,
                "segment": month_label(first),
                "new_customers": newcomers.get(code, (0, 0))[0],
                "new_policies": int(row.new_policies) if row else 0,
                "new_premium": new_premium,
                "renewals": int(row.renewals) if row else 0,
                "renewal_premium": renewal_premium,
                "written": new_premium + renewal_premium,
            }
        )
    columns = [
        col.month(),
        count("new_customers", "新客户数", "New customers"),
        count("new_policies", "新保件数", "New policies"),
        col.new_premium(),
        col.renewals(),
        col.renewal_premium(),
        col.written(),
        percent(
            "renewal_share", "续保保费占比", "Renewal share", of=("renewal_premium", "written")
        ),
    ]
    for row in rows:
        row["renewal_share"] = fraction(row["renewal_premium"], row["written"])
    return Output(
        columns,
        rows,
        premium_chart("segment", "new_premium", "renewal_premium", kind="stacked"),
        notes=[
            tr(
                "续保 = 保单登记为某张到期保单的续保；新客户 = 首张保单起期在该月",
                "Renewal = the policy is recorded as renewing an expiring one; new customer = "
                "first policy with us starting that month",
            )
        ],
    )


def drill(context: Context, row: dict[str, Any]) -> DrillSpec | None:
    chosen = context.params.option("view", "overview")
    if chosen == "overview":
        return segment_drill(Dim("line", P.c.line_code), [INDIVIDUAL], {"customer"})(context, row)
    if chosen == "payment":
        source, where = _receivables(context)
        ids = (
            select(P.c.customer_id)
            .select_from(source)
            .where(*where, _status(context) == row["code"])
            .distinct()
        )
        return DrillSpec(label=str(row["segment"]), ids=ids)
    start, end = row["start"], row["end"]
    return DrillSpec(
        label=str(row["segment"]),
        where=[INDIVIDUAL, and_(P.c.start_date >= start, P.c.start_date <= end)],
        needs=frozenset({"customer"}),
    )


REPORT = Report(
    name="individual",
    zh="个人客户分析",
    en="Individual customers",
    description_zh="个人客户：保额与保费、缴费状况、新保与续保",
    description_en="Individuals: sum insured and premium, payment status, new versus renewal",
    params=(*COMMON, view(*VIEWS)),
    run=run,
    drill=drill,
    steps=lambda params: 3,
)
