"""Pieces the report modules share: measure columns, segment tables, bands, months."""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, case, extract, literal, select

from tui_crm.i18n import tr
from tui_crm.services.reports.engine import columns as col
from tui_crm.services.reports.engine.base import (
    ChartSpec,
    Column,
    Kind,
    fraction,
    money,
    text,
)
from tui_crm.services.reports.facts import C, Context, Dim, P, V
from tui_crm.services.reports.registry import DrillSpec, Output


def measure_columns(
    *,
    customers: bool = True,
    sum_insured: bool = False,
    commission: bool = False,
    simple: bool = True,
    share: bool = True,
) -> list[Column]:
    columns = [col.policies()]
    if customers:
        columns.append(col.customers())
    if sum_insured:
        columns.append(money("sum_insured", "保险金额", "Sum insured"))
    columns.append(col.written())
    if share:
        columns.append(col.share())
    columns.append(col.earned())
    if commission:
        columns.append(col.commission())
    columns += [
        col.claims(),
        col.paid(),
        col.incurred(),
        col.earned_lr(),
    ]
    if simple:
        columns.append(col.simple_lr())
    return columns


def segment_columns(zh: str, en: str, **options: Any) -> list[Column]:
    return [text("segment", zh, en), col.code(), *measure_columns(**options)]


def add_shares(rows: list[dict[str, Any]], key: str = "written", share: str = "share") -> None:
    total = sum((r[key] for r in rows), Decimal(0))
    for row in rows:
        row[share] = fraction(row[key], total)


def sort_rows(rows: list[dict[str, Any]], key: str = "written") -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (-(r.get(key) or 0), str(r.get("segment", ""))))


def segments(
    context: Context,
    group: Dim,
    name: Callable[[Any], str],
    *,
    where: Sequence[ColumnElement[bool]] = (),
    needs: Iterable[str] = (),
    order: Callable[[dict[str, Any]], Any] | None = None,
    limit: int | None = None,
    measured: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """One row per value of `group`: its label, code and every measure, with shares
    (`measured`: the measures found another way, as `Context.measures` gives them)."""
    rows = context.measures([group], where, needs) if measured is None else measured
    for row in rows:
        row["code"] = row.pop(group.key)
        row["segment"] = name(row["code"])
    add_shares(rows)
    rows = sorted(rows, key=order) if order else sort_rows(rows)
    return rows[:limit] if limit else rows


def equals(expr: ColumnElement[Any], value: Any) -> ColumnElement[bool]:
    return expr.is_(None) if value is None else expr == value


def segment_drill(
    group: Dim, where: Sequence[ColumnElement[bool]] = (), needs: Iterable[str] = ()
) -> Callable[[Context, dict[str, Any]], DrillSpec]:
    def drill(_context: Context, row: dict[str, Any]) -> DrillSpec:
        return DrillSpec(
            label=str(row.get("segment")),
            where=[equals(group.expr, row.get("code")), *where],
            needs=frozenset(group.needs | set(needs)),
        )

    return drill


def premium_chart(x: str = "segment", *ys: str, kind: str = "bar") -> ChartSpec:
    return ChartSpec(
        kind=kind,
        x=x,
        ys=ys or ("written",),
    )


def segment_output(
    rows: list[dict[str, Any]], columns: list[Column], chart: ChartSpec | None = None
) -> Output:
    return Output(columns=columns, rows=rows, chart=chart or premium_chart())


# --- bands ----------------------------------------------------------------------------


def band(expr: ColumnElement[Any], edges: Sequence[tuple[int | None, int | None, str]]) -> Any:
    """CASE mapping a number to band codes: (low inclusive, high inclusive, code)."""
    whens = []
    for low, high, code in edges:
        conditions = []
        if low is not None:
            conditions.append(expr >= low)
        if high is not None:
            conditions.append(expr <= high)
        whens.append(
            (conditions[0] if len(conditions) == 1 else conditions[0] & conditions[1], code)
        )
    return case(*whens, else_=None)


def years_before(day: date, column: Any) -> ColumnElement[int]:
    """Whole calendar years from `column`'s year to `day`'s year."""
    return literal(day.year) - extract("year", column)


AGE_BANDS = (
    (None, 24, "0-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, 64, "55-64"),
    (65, None, "65+"),
)
VEHICLE_AGE_BANDS = (
    (None, 1, "0-1"),
    (2, 3, "2-3"),
    (4, 5, "4-5"),
    (6, 9, "6-9"),
    (10, None, "10+"),
)
SEAT_BANDS = (
    (None, 5, "<6"),
    (6, 9, "6-9"),
    (10, 19, "10-19"),
    (20, 35, "20-35"),
    (36, None, "36+"),
)


def band_label(code: Any, unit_zh: str, unit_en: str) -> str:
    if code is None:
        return tr("（未填）", "(not given)")
    return tr(f"{code}{unit_zh}", f"{code} {unit_en}")


def customer_age(context: Context) -> Dim:
    return Dim(
        "age", band(years_before(context.end, C.c.birth_date), AGE_BANDS), frozenset({"customer"})
    )


def vehicle_age(context: Context) -> Dim:
    first = V.c.first_registration
    return Dim(
        "vehicle_age",
        band(years_before(context.end, first), VEHICLE_AGE_BANDS),
        frozenset({"vehicle"}),
    )


def seats() -> Dim:
    return Dim("seats", band(V.c.seats, SEAT_BANDS), frozenset({"vehicle"}))


def motor_lines(context: Context) -> list[str]:
    from tui_crm.storage.models import ProductLine

    table = ProductLine.__table__  # type: ignore[attr-defined]
    return [r[0] for r in context.connection.execute(select(table.c.code).where(table.c.is_motor))]


def line_label(context: Context) -> Callable[[Any], str]:
    names = context.line_names()

    def label(code: Any) -> str:
        pair = names.get(str(code))
        return tr(*pair) if pair else str(code)

    return label


# --- months ---------------------------------------------------------------------------


def months(start: date, end: date) -> list[tuple[date, date, date]]:
    """(month's first day, first day inside the period, last day inside the period)."""
    result = []
    month = start.replace(day=1)
    while month <= end:
        last = month + relativedelta(day=31)
        result.append((month, max(month, start), min(last, end)))
        month = month + relativedelta(months=1)
    return result


def month_label(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def int_column(key: str, zh: str, en: str) -> Column:
    return Column(key, zh, en, Kind.INT, total="sum")


__all__ = ["P"]
