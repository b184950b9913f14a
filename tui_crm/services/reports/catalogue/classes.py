"""客户分类变动: the monthly count of customers in each class and the flow matrix (class
the day before the period × class at its end), from the classification's own statistics
(`services.class_stats`)."""

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from tui_crm.i18n import tr
from tui_crm.services.reports.common import month_label
from tui_crm.services.reports.engine import columns as col
from tui_crm.services.reports.engine import labels
from tui_crm.services.reports.engine.base import ChartSpec, Choice, Column, Kind, count, text
from tui_crm.services.reports.engine.params import COMMON, view
from tui_crm.services.reports.facts import C, Context
from tui_crm.services.reports.registry import DrillSpec, Output, Report
from tui_crm.storage.db import Database
from tui_crm.storage.models import CustomerClassHistory

if TYPE_CHECKING:
    from tui_crm.services.classification.stats import ClassStatsService

VIEWS = (
    Choice("monthly", "各类客户逐月数量", "Monthly count per class"),
    Choice("flows", "分类流转矩阵", "Flow matrix"),
)
H = CustomerClassHistory.__table__  # type: ignore[attr-defined]
NEW = "new"  # no class recorded before the period


def run(context: Context) -> Output:
    chosen = context.params.option("view", "monthly")
    output = _flows(context) if chosen == "flows" else _monthly(context)
    output.subtitle = next(c.label for c in VIEWS if c.code == chosen)
    output.notes.append(
        tr(
            "险种、渠道参数不适用于分类统计；机构按客户所属机构",
            "Line and channel do not apply to class counts; the unit is the customer's unit",
        )
    )
    return output


def _stats(context: Context) -> "ClassStatsService":
    """The classification's own class statistics, read in the report's transaction."""
    from tui_crm.services.classification.stats import ClassStatsService

    return ClassStatsService(Database(context.connection))


def _monthly(context: Context) -> Output:
    counts = _stats(context).monthly_counts(
        context.actor, context.start, context.end, context.params.unit
    )
    context.done += 1
    recorded = {month for month, _klass in counts.counts}
    rows = []
    for month in counts.months:
        row: dict[str, Any] = {"segment": month_label(month), "month": month, **counts.row(month)}
        row["total"] = sum(row[k] for k in labels.CLASS_ORDER)
        row["recorded"] = tr("是", "yes") if month in recorded else ""
        rows.append(row)
    columns = [
        col.month(),
        *[Column(k, zh, en, Kind.INT) for k, (zh, en) in labels.CLASS.items()],
        Column("total", "合计", "All classes", Kind.INT),
        text("recorded", "已统计", "Counted"),
    ]
    notes = []
    if not recorded:
        notes.append(
            tr(
                "期间内没有分类月度统计（需先运行客户分类）",
                "No monthly class counts in the period (run the classification first)",
            )
        )
    chart = ChartSpec(
        "line",
        "segment",
        ("standard", "quality", "key", "blacklist"),
        "各类客户数",
        "Customers per class",
    )
    return Output(columns, rows, chart, totals=False, notes=notes)


def _matrix(context: Context) -> dict[tuple[str, str], int]:
    """(class the day before the period, class at its end) → customers, the definition of
    `services.class_stats.flows`, in SQL that also runs on PostgreSQL."""
    before, after = _windows(context)
    statement = (
        select(before.c.klass, after.c.klass, func.count())
        .select_from(_joined(before, after))
        .where(after.c.rn == 1)
        .group_by(before.c.klass, after.c.klass)
    )
    rows = context.rows(statement, tr("分类流转", "class flows"))
    return {(origin or NEW, target): int(number) for origin, target, number in rows}


def _windows(context: Context) -> tuple[Any, Any]:
    # Every unit chosen: no customer filter (a semi-join over every customer, twice).
    scoped = (
        None
        if context.whole_book()
        else select(C.c.id).where(C.c.unit_id.in_(context.params.unit_ids))
    )
    before = _latest(context.start - timedelta(days=1), "before", scoped)
    return before, _latest(context.end, "after", scoped)


def _joined(before: Any, after: Any) -> Any:
    return after.outerjoin(
        before, (before.c.customer_id == after.c.customer_id) & (before.c.rn == 1)
    )


def _flows(context: Context) -> Output:
    cells = _matrix(context)
    rows = []
    for origin in (NEW, *labels.CLASS_ORDER):
        row: dict[str, Any] = {
            "code": origin,
            "segment": tr("（期初未分类）", "(not classified before)")
            if origin == NEW
            else labels.label(labels.CLASS, origin),
        }
        for klass in labels.CLASS_ORDER:
            row[klass] = cells.get((origin, klass), 0)
        row["total"] = sum(row[k] for k in labels.CLASS_ORDER)
        row["moved"] = row["total"] - row.get(origin, 0)
        rows.append(row)
    columns = [
        col.segment("期初分类 → 期末分类", "Class before → class at end"),
        col.code(),
        *[Column(k, zh, en, Kind.INT, total="sum") for k, (zh, en) in labels.CLASS.items()],
        count("total", "客户数", "Customers"),
        count("moved", "其中变动", "of which moved"),
    ]
    chart = ChartSpec("bar", "segment", ("moved",), "各类变动客户数", "Customers moving out")
    note = tr(
        "按客户在期间开始前一天的分类与期末分类计数；“期初未分类”为此前没有分类记录的客户",
        "Customers counted by their class the day before the period and at its end; "
        "'not classified before' have no class recorded before the period",
    )
    return Output(columns, rows, chart, notes=[note])


def _latest(on_or_before: date, name: str, scoped: Any) -> Any:
    ranked = (
        select(
            H.c.customer_id,
            H.c.to_class.label("klass"),
            func.row_number()
            .over(partition_by=H.c.customer_id, order_by=(H.c.changed_on.desc(), H.c.id.desc()))
            .label("rn"),
        )
        .where(H.c.changed_on <= on_or_before)
        .where(*([] if scoped is None else [H.c.customer_id.in_(scoped)]))
        .subquery(name)
    )
    return ranked


def drill(context: Context, row: dict[str, Any]) -> DrillSpec | None:
    """Flows: the customers of the row (their class the day before the period)."""
    if context.params.option("view", "monthly") != "flows":
        return None
    before, after = _windows(context)
    joined = _joined(before, after)
    origin = row["code"]
    condition = before.c.klass.is_(None) if origin == NEW else before.c.klass == origin
    ids = select(after.c.customer_id).select_from(joined).where(after.c.rn == 1, condition)
    return DrillSpec(
        label=tr("期初 {c} 的客户", "customers who were {c}", c=row["segment"]), ids=ids
    )


REPORT = Report(
    name="classes",
    zh="客户分类变动",
    en="Customer classes",
    description_zh="各类客户逐月数量与分类流转矩阵（原分类 × 新分类）",
    description_en="Monthly count per class and the flow matrix (from class × to class)",
    params=(*COMMON, view(*VIEWS)),
    run=run,
    drill=drill,
    steps=lambda params: 1,
)
