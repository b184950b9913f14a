"""产品结构分析: the mix of lines; motor by vehicle use, age, seats and make/model —
written premium, earned premium and loss ratio, to steer underwriting policy."""

from typing import Any

from tui_crm.i18n import tr
from tui_crm.services.reports.common import (
    SEAT_BANDS,
    VEHICLE_AGE_BANDS,
    band_label,
    line_label,
    motor_lines,
    premium_chart,
    seats,
    segment_columns,
    segment_drill,
    segments,
    vehicle_age,
)
from tui_crm.services.reports.customer_facts import query as customer_facts_query
from tui_crm.services.reports.customer_facts import segments as customer_facts_segments
from tui_crm.services.reports.engine import labels
from tui_crm.services.reports.engine.base import Choice
from tui_crm.services.reports.engine.params import COMMON, top, view
from tui_crm.services.reports.facts import Context, Dim, P, V, finish
from tui_crm.services.reports.registry import DrillSpec, Output, Report

VIEWS = (
    Choice("lines", "险种结构", "Mix of lines"),
    Choice("use", "车险：按使用性质", "Motor by vehicle use"),
    Choice("age", "车险：按车龄", "Motor by vehicle age"),
    Choice("seats", "车险：按座位数", "Motor by seats"),
    Choice("make_model", "车险：按厂牌型号", "Motor by make/model"),
)


def _group(context: Context) -> tuple[Dim, Any, bool]:
    """The grouping of the chosen view, its label function, and whether it is motor only."""
    chosen = context.params.option("view", "lines")
    if chosen == "use":
        return (
            Dim("use", V.c.use, frozenset({"vehicle"})),
            lambda c: labels.label(labels.VEHICLE_USE, c),
            True,
        )
    if chosen == "age":
        return vehicle_age(context), lambda c: band_label(c, "年", "years"), True
    if chosen == "seats":
        return seats(), lambda c: band_label(c, "座", "seats"), True
    if chosen == "make_model":
        return (
            Dim("make_model", V.c.make_model, frozenset({"vehicle"})),
            lambda c: c or labels.unknown(),
            True,
        )
    return Dim("line", P.c.line_code), line_label(context), False


def _where(context: Context, motor: bool) -> list[Any]:
    return [P.c.line_code.in_(motor_lines(context))] if motor else []


def _from_facts(context: Context, group: Dim) -> list[dict[str, Any]] | None:
    """Motor by vehicle age, seats or make/model from the customer facts (whole months),
    else None."""
    bands = {"vehicle_age": VEHICLE_AGE_BANDS, "seats": SEAT_BANDS, "make_model": ()}
    if group.key not in bands:
        return None
    facts = customer_facts_query.facts_for(context)
    if facts is None:
        return None
    lines = motor_lines(context)
    found = customer_facts_segments.vehicle_bands(
        context, facts, group.key, bands[group.key], lines
    )
    return [finish(entry) for entry in found]


def run(context: Context) -> Output:
    group, name, motor = _group(context)
    limit = int(context.params.option("top", "20")) if group.key == "make_model" else None
    where = _where(context, motor)
    measured = _from_facts(context, group)
    rows = segments(context, group, name, where=where, limit=limit, measured=measured)
    heading = {
        "lines": ("险种", "Line"),
        "use": ("使用性质", "Vehicle use"),
        "age": ("车龄", "Vehicle age"),
        "seats": ("座位数", "Seats"),
        "make_model": ("厂牌型号", "Make / model"),
    }[context.params.option("view", "lines")]
    notes = []
    if motor:
        notes.append(tr("仅车险（交强险、商业车险）", "Motor lines only (CTPL, commercial motor)"))
    if limit:
        notes.append(
            tr("按签单保费前 {n} 个厂牌型号", "Top {n} makes/models by written premium", n=limit)
        )
    return Output(
        columns=segment_columns(*heading),
        rows=rows,
        chart=premium_chart("segment", "written", "earned"),
        notes=notes,
        subtitle=next(c.label for c in VIEWS if c.code == context.params.option("view", "lines")),
    )


def drill(context: Context, row: dict[str, Any]) -> DrillSpec:
    group, _name, motor = _group(context)
    return segment_drill(group, _where(context, motor))(context, row)


REPORT = Report(
    name="product",
    zh="产品结构分析",
    en="Product structure",
    description_zh="险种结构；车险按使用性质、车龄、座位数、厂牌型号的签单保费、满期保费与赔付率",
    description_en="Mix of lines; motor by vehicle use, age, seats and make/model: written and "
    "earned premium, loss ratios",
    params=(*COMMON, view(*VIEWS), top(20)),
    run=run,
    drill=drill,
)
