"""对公客户分析: corporate and government customers — overall by line, large customers,
cross-insurance (several lines), new business, parent/subsidiary groups rolled up."""

from typing import Any

from sqlalchemy import func, select

from tui_crm.i18n import tr
from tui_crm.services.reports.common import (
    add_shares,
    line_label,
    month_label,
    premium_chart,
    segment_columns,
    segment_drill,
    segments,
)
from tui_crm.services.reports.customer_facts import query as customer_facts_query
from tui_crm.services.reports.customer_facts import segments as customer_facts_segments
from tui_crm.services.reports.customers import (
    customer_rows,
    first_policy_months,
    first_policy_select,
    lines_per_customer,
)
from tui_crm.services.reports.engine import columns as col
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
from tui_crm.services.reports.engine.params import COMMON, top, view
from tui_crm.services.reports.facts import C, Context, Dim, P, month_key
from tui_crm.services.reports.registry import DrillSpec, Output, Report
from tui_crm.storage.models import CorporateGroup
from tui_crm.storage.types import from_fen

VIEWS = (
    Choice("overview", "总体（按险种）", "Overall by line"),
    Choice("large", "大客户", "Large customers"),
    Choice("cross", "交叉投保", "Cross-insurance"),
    Choice("new", "新增业务", "New business"),
    Choice("groups", "集团客户汇总", "Groups rolled up"),
)
KINDS = ("corporate", "government")
CORPORATE = C.c.kind.in_(KINDS)
G = CorporateGroup.__table__  # type: ignore[attr-defined]


def run(context: Context) -> Output:
    chosen = context.params.option("view", "overview")
    output = {
        "overview": _overview,
        "large": _large,
        "cross": _cross,
        "new": _new,
        "groups": _groups,
    }[chosen](context)
    output.subtitle = next(c.label for c in VIEWS if c.code == chosen)
    return output


def _overview(context: Context) -> Output:
    group = Dim("line", P.c.line_code)
    rows = segments(context, group, line_label(context), where=[CORPORATE], needs={"customer"})
    return Output(
        segment_columns("险种", "Line"), rows, premium_chart("segment", "written", "earned")
    )


def _large(context: Context) -> Output:
    limit = int(context.params.option("top", "20"))
    rows = customer_rows(context, kinds=KINDS, limit=limit, order="written")
    total = context.measures([], [CORPORATE], {"customer"}, customers=False)
    book = total[0]["written"] if total else 0
    for row in rows:
        row["share"] = fraction(row["written"], book)
    columns = [
        col.rank(),
        col.customer_id(),
        col.customer_name(masked=False),
        text("id_number", "统一社会信用代码", "Credit code"),
        text("industry", "行业", "Industry"),
        col.unit(),
        text("key_label", "重要客户", "Key"),
        col.lines(),
        col.policies(),
        col.written(),
        col.share("占对公保费", "Share of corporate premium", of=None),
        col.earned(),
        col.claims(),
        col.incurred(),
        col.earned_lr(),
    ]
    return Output(columns, rows, premium_chart("name", "written"))


def _lines_bought(context: Context) -> list[tuple[int, int, Any]]:
    """(lines, customers, written fen) per number of lines bought, fewest first: from the
    customer facts for whole months, else from the base tables."""
    facts = customer_facts_query.facts_for(context)
    if facts is not None:
        return customer_facts_segments.lines_bought(context, facts, KINDS)
    per_customer = lines_per_customer(context, [CORPORATE]).subquery("per_customer")
    statement = (
        select(
            per_customer.c.lines,
            func.count().label("customers"),
            func.sum(per_customer.c.written).label("written"),
        )
        .group_by(per_customer.c.lines)
        .order_by(per_customer.c.lines)
    )
    found = context.rows(statement, tr("交叉投保", "cross-insurance"))
    return [(int(r.lines), int(r.customers), r.written) for r in found]


def _cross(context: Context) -> Output:
    rows = []
    for lines, customers, written_fen in _lines_bought(context):
        written = from_fen(written_fen)
        rows.append(
            {
                "code": lines,
                "segment": tr("{n} 个险种", "{n} lines", n=lines),
                "customers": customers,
                "written": written,
                "average": per(written, customers),
            }
        )
    add_shares(rows)
    add_shares(rows, "customers", "customer_share")
    columns = [
        col.segment("购买险种数", "Lines bought"),
        col.code(),
        col.customers(total=True),
        percent("customer_share", "客户占比", "Share of customers", of=("customers", "customers")),
        col.written(),
        col.share(),
        Column("average", "户均保费", "Premium per customer", Kind.MONEY),
    ]
    return Output(columns, rows, premium_chart("segment", "customers"))


def _new(context: Context) -> Output:
    rows = []
    for month, customers, written in first_policy_months(context, [CORPORATE], KINDS):
        rows.append(
            {
                "code": month,
                "segment": month_label(month),
                "customers": customers,
                "written": written,
            }
        )
    add_shares(rows)
    columns = [
        col.segment("首次投保月份", "First policy month"),
        col.code(),
        col.customers("新客户数", "New customers", total=True),
        col.written("新客户签单保费", "Their written premium"),
        col.share("保费占比", "Share"),
    ]
    return Output(columns, rows, premium_chart("segment", "customers", kind="line"))


def _groups(context: Context) -> Output:
    group = Dim("group_id", C.c.group_id, frozenset({"customer"}))
    names = {r.id: r.name for r in context.rows(select(G.c.id, G.c.name), tr("集团", "groups"))}
    members = dict(
        context.rows(
            select(C.c.group_id, func.count())
            .where(C.c.group_id.is_not(None), C.c.unit_id.in_(context.params.unit_ids))
            .group_by(C.c.group_id)
        )
    )
    rows = segments(
        context,
        group,
        lambda gid: names.get(gid, str(gid)),
        where=[C.c.group_id.is_not(None)],
        needs={"customer"},
    )
    for row in rows:
        row["members"] = int(members.get(row["code"], 0))
    columns = segment_columns("集团", "Group")
    columns.insert(2, count("members", "成员数", "Members"))
    return Output(columns, rows, premium_chart("segment", "written", "earned"))


def drill(context: Context, row: dict[str, Any]) -> DrillSpec | None:
    chosen = context.params.option("view", "overview")
    if chosen == "overview":
        return segment_drill(Dim("line", P.c.line_code), [CORPORATE], {"customer"})(context, row)
    if chosen == "groups":
        group = Dim("group_id", C.c.group_id, frozenset({"customer"}))
        return segment_drill(group)(context, row)
    if chosen == "large":
        return DrillSpec(label=str(row["name"]), where=[P.c.customer_id == row["customer_id"]])
    if chosen == "cross":
        per_customer = lines_per_customer(context, [CORPORATE]).subquery()
        ids = select(per_customer.c.customer_id).where(per_customer.c.lines == row["code"])
        return DrillSpec(label=str(row["segment"]), ids=ids)
    if chosen == "new":
        first = first_policy_select(context, [CORPORATE]).subquery()
        month = row["code"]
        ids = select(first.c.customer_id).where(
            month_key(first.c.first_start) == month.year * 100 + month.month
        )
        return DrillSpec(label=str(row["segment"]), ids=ids)
    return None


REPORT = Report(
    name="corporate",
    zh="对公客户分析",
    en="Corporate customers",
    description_zh="企业与机关客户：总体、大客户、交叉投保、新增业务、集团客户汇总",
    description_en="Companies and authorities: overall, large customers, cross-insurance, "
    "new business, groups rolled up",
    params=(*COMMON, view(*VIEWS), top(20)),
    run=run,
    drill=drill,
    steps=lambda params: 3,
)
