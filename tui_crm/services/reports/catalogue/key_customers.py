"""重要客户分析: the premium contribution and claims of key customers at any time, and the
lines each does not yet buy from us (the cross-sell list)."""

from typing import Any

from sqlalchemy import Select, and_, func, or_, select

from tui_crm.i18n import tr
from tui_crm.services.reports.common import line_label, premium_chart
from tui_crm.services.reports.customers import customer_rows, lines_held
from tui_crm.services.reports.engine import columns as col
from tui_crm.services.reports.engine.base import (
    Choice,
    count,
    fraction,
    text,
)
from tui_crm.services.reports.engine.params import COMMON, top, view
from tui_crm.services.reports.facts import C, Context, P
from tui_crm.services.reports.registry import DrillSpec, Output, Report
from tui_crm.storage.models import CustomerClassHistory

VIEWS = (
    Choice("contribution", "保费贡献与赔款", "Contribution and claims"),
    Choice("cross_sell", "交叉销售清单", "Cross-sell list"),
)
H = CustomerClassHistory.__table__  # type: ignore[attr-defined]
# Lines offered to each kind of customer (home and health are personal lines).
OFFERED = {
    "individual": ("ctpl", "motor_commercial", "home", "accident", "health"),
    "corporate": (
        "ctpl",
        "motor_commercial",
        "property",
        "cargo",
        "liability",
        "accident",
        "engineering",
    ),
    "government": ("ctpl", "motor_commercial", "property", "liability", "accident", "engineering"),
}


def key_ids(context: Context) -> Select[Any]:
    """Customers who were key on the period's last day: the class history says so, or, for a
    period reaching today, the customer is key now (class or flag)."""
    latest = (
        select(H.c.customer_id, func.max(H.c.changed_on).label("changed_on"))
        .where(H.c.changed_on <= context.end)
        .group_by(H.c.customer_id)
        .subquery("latest")
    )
    historic = (
        select(H.c.customer_id)
        .join(
            latest,
            and_(latest.c.customer_id == H.c.customer_id, latest.c.changed_on == H.c.changed_on),
        )
        .where(H.c.to_class == "key")
    )
    scope = [C.c.unit_id.in_(context.params.unit_ids), context.customer_scope()]
    if context.end >= context.today:
        current = or_(C.c.customer_class == "key", C.c.flag_key.is_(True))
        return select(C.c.id).where(*scope, or_(current, C.c.id.in_(historic)))
    return select(C.c.id).where(*scope, C.c.id.in_(historic))


def run(context: Context) -> Output:
    chosen = context.params.option("view", "contribution")
    output = _cross_sell(context) if chosen == "cross_sell" else _contribution(context)
    output.subtitle = next(c.label for c in VIEWS if c.code == chosen)
    output.notes.append(
        tr(
            "重要客户 = 期末当日为重要客户（分类历史；期间含今天时也按当前分类与标记）",
            "Key customers = key on the period's last day (class history; for a period "
            "reaching today also by the current class and flag)",
        )
    )
    return output


def _contribution(context: Context) -> Output:
    limit = int(context.params.option("top", "100"))
    keys = key_ids(context)
    rows = customer_rows(context, where=[P.c.customer_id.in_(keys)], limit=limit)
    book = context.measures([])
    total = book[0]["written"] if book else 0
    for row in rows:
        row["share"] = fraction(row["written"], total)
    key_count = context.rows(select(func.count()).select_from(keys.subquery()))[0][0]
    columns = [
        col.rank(),
        *col.customer_identity(),
        col.manager(),
        col.lines(),
        col.policies(),
        col.written(),
        col.share("占全部保费", "Share of all premium", of=None),
        col.earned(),
        col.claims(),
        col.paid(),
        col.incurred(),
        col.earned_lr(),
        col.customer_kind(),
    ]
    key_total = sum((r["written"] for r in rows), 0)
    notes = [
        tr(
            "重要客户 {n} 位，签单保费合计占全部保费 {s}（全部保费 {t} 元）",
            "{n} key customers; their written premium is {s} of all premium ({t} yuan)",
            n=key_count,
            s=_percent(fraction(key_total, total)),
            t=f"{total:,.2f}",
        )
    ]
    return Output(columns, rows, premium_chart("name", "written", "incurred"), notes=notes)


def _percent(value: Any) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _cross_sell(context: Context) -> Output:
    limit = int(context.params.option("top", "100"))
    rows = customer_rows(context, where=[P.c.customer_id.in_(key_ids(context))], limit=limit)
    held = lines_held(context, [r["customer_id"] for r in rows])
    name = line_label(context)
    for row in rows:
        have = held.get(row["customer_id"], set())
        offered = OFFERED.get(row["customer_kind"], ())
        missing = [code for code in offered if code not in have]
        row["held"] = "、".join(name(c) for c in sorted(have))
        row["missing"] = "、".join(name(c) for c in missing)
        row["missing_count"] = len(missing)
    rows.sort(key=lambda r: (-r["missing_count"], -r["written"]))
    columns = [
        *col.customer_identity(),
        col.manager(),
        col.written(),
        text("held", "已购险种", "Lines held"),
        count("missing_count", "未购险种数", "Lines not held", total=False),
        text("missing", "可推荐险种", "Lines to offer"),
        col.customer_kind(),
    ]
    return Output(columns, rows, premium_chart("name", "missing_count"))


def drill(context: Context, row: dict[str, Any]) -> DrillSpec:
    return DrillSpec(label=str(row["name"]), ids=select(C.c.id).where(C.c.id == row["customer_id"]))


REPORT = Report(
    name="key_customers",
    zh="重要客户分析",
    en="Key customers",
    description_zh="任意时点重要客户的保费贡献与赔款；尚未在本公司购买的险种（交叉销售清单）",
    description_en="Premium contribution and claims of key customers at any time; the lines "
    "they do not yet buy from us (cross-sell list)",
    params=(*COMMON, view(*VIEWS), top(100)),
    run=run,
    drill=drill,
    steps=lambda params: 4,
)
