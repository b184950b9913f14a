"""客户结构分析: customer segments (industry, ownership, kind) — which lines they buy and
the premium they bring — and the key and blacklist customer counts month by month."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from tui_crm.i18n import tr
from tui_crm.services.reports.common import (
    add_shares,
    line_label,
    month_label,
    months,
    premium_chart,
    segment_columns,
    segment_drill,
    sort_rows,
)
from tui_crm.services.reports.engine import columns as col
from tui_crm.services.reports.engine import labels
from tui_crm.services.reports.engine.base import ChartSpec, Choice, Column, Kind, money
from tui_crm.services.reports.engine.params import COMMON, view
from tui_crm.services.reports.facts import C, Context, Dim, P
from tui_crm.services.reports.registry import DrillSpec, Output, Report
from tui_crm.storage.models import ClassMonthlyCount

VIEWS = (
    Choice("industry", "按行业", "By industry"),
    Choice("ownership", "按所有制", "By ownership"),
    Choice("kind", "按客户类型", "By customer kind"),
    Choice("monthly", "重要/黑名单客户逐月数量", "Key and blacklist counts by month"),
)
MONTHLY = ClassMonthlyCount.__table__  # type: ignore[attr-defined]


def _group() -> dict[str, tuple[Dim, Any, tuple[str, str]]]:
    return {
        "industry": (
            Dim("industry", C.c.industry, frozenset({"customer"})),
            lambda c: c or labels.unknown(),
            ("行业", "Industry"),
        ),
        "ownership": (
            Dim("ownership", C.c.ownership, frozenset({"customer"})),
            lambda c: labels.label(labels.OWNERSHIP, c),
            ("所有制", "Ownership"),
        ),
        "kind": (
            Dim("kind", C.c.kind, frozenset({"customer"})),
            lambda c: labels.label(labels.KIND, c),
            ("客户类型", "Customer kind"),
        ),
    }


def run(context: Context) -> Output:
    chosen = context.params.option("view", "industry")
    output = _monthly(context) if chosen == "monthly" else _segments(context, chosen)
    output.subtitle = next(c.label for c in VIEWS if c.code == chosen)
    return output


def _segments(context: Context, chosen: str) -> Output:
    group, name, heading = _group()[chosen]
    line = Dim("line", P.c.line_code)
    rows = context.measures([group])
    by_line = context.measures([group, line])
    lines_seen = sorted({r["line"] for r in by_line if r["written"]})
    per_line: dict[Any, dict[str, Any]] = {}
    for entry in by_line:
        slot = per_line.setdefault(entry[group.key], {"pairs": 0})
        slot["pairs"] += entry["customers"]
        slot[f"line_{entry['line']}"] = entry["written"]
    for row in rows:
        row["code"] = row.pop(group.key)
        row["segment"] = name(row["code"])
        slot = per_line.get(row["code"], {"pairs": 0})
        row["lines_per_customer"] = (
            (Decimal(slot["pairs"]) / row["customers"]).quantize(Decimal("0.01"))
            if row["customers"]
            else None
        )
        for code in lines_seen:
            row[f"line_{code}"] = slot.get(f"line_{code}", Decimal("0.00"))
    add_shares(rows)
    rows = sort_rows(rows)
    columns = segment_columns(*heading)
    at = next(i for i, c in enumerate(columns) if c.key == "share") + 1
    columns.insert(at, col.lines_per_customer())
    line_name = line_label(context)
    columns += [
        money(f"line_{code}", f"保费：{line_name(code)}", f"Premium: {line_name(code)}")
        for code in lines_seen
    ]
    return Output(columns, rows, premium_chart("segment", "written", "earned"))


def _monthly(context: Context) -> Output:
    first = context.start.replace(day=1)
    statement = (
        select(MONTHLY.c.month, MONTHLY.c.customer_class, func.sum(MONTHLY.c.count))
        .where(
            MONTHLY.c.unit_id.in_(context.params.unit_ids),
            MONTHLY.c.month.between(first, context.end),
            MONTHLY.c.customer_class.in_(["key", "blacklist"]),
        )
        .group_by(MONTHLY.c.month, MONTHLY.c.customer_class)
    )
    found: dict[tuple[date, str], int] = {}
    for month, klass, number in context.rows(statement, tr("逐月分类数", "monthly counts")):
        found[(month, klass)] = int(number or 0)
    rows = []
    for month, _start, _end in months(context.start, context.end):
        rows.append(
            {
                "segment": month_label(month),
                "month": month,
                "key": found.get((month, "key"), 0),
                "blacklist": found.get((month, "blacklist"), 0),
            }
        )
    columns = [
        col.month(),
        Column("key", "重要客户数", "Key customers", Kind.INT),
        Column("blacklist", "黑名单客户数", "Blacklist customers", Kind.INT),
    ]
    notes = []
    if not found:
        notes.append(
            tr(
                "期间内没有分类月度统计（需先运行客户分类）",
                "No monthly class counts in the period (run the classification first)",
            )
        )
    chart = ChartSpec(
        "line", "segment", ("key", "blacklist"), "重要与黑名单客户", "Key and blacklist"
    )
    return Output(columns, rows, chart, totals=False, notes=notes)


def drill(context: Context, row: dict[str, Any]) -> DrillSpec | None:
    chosen = context.params.option("view", "industry")
    if chosen == "monthly":
        return None
    group, _name, _heading = _group()[chosen]
    return segment_drill(group)(context, row)


REPORT = Report(
    name="structure",
    zh="客户结构分析",
    en="Customer structure",
    description_zh="按行业、所有制、客户类型细分：购买的险种与保费；重要与黑名单客户逐月数量",
    description_en="Segments by industry, ownership and kind: lines bought and premium; key "
    "and blacklist counts month by month",
    params=(*COMMON, view(*VIEWS)),
    run=run,
    drill=drill,
    steps=lambda params: 4,
)
