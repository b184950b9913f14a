"""Earned premium and loss ratios: the one definition every screen, report and rule uses.

Definitions (docs/definitions.md; label which ratio a screen shows with `LossRatioKind.label`):

- **Earned premium, 1/365 method.** A policy covers the days `start_date` … `end_date`
  (both inclusive); `days of policy` = end − start + 1. Its premium is earned evenly per
  day: earned = premium × min(1, days covered up to the as-of date / days of policy),
  rounded half-up to the fen. The as-of date counts as a whole day (earned at its end),
  so a one-year policy is fully earned on its last day and earns nothing before its start.
  Over a window (`since` … `as_of`) only the covered days inside the window count.
  **Cancellation ends earning:** a policy cancelled on day C (its `cancelled_on`) is
  covered up to C − 1; a cancelled policy without a date earned nothing. A cancellation
  dated after the as-of date does not matter yet.
- **满期赔付率 (earned loss ratio, the default)** = (paid + outstanding) / earned premium.
- **简单赔付率 (simple loss ratio)** = paid / written premium.
  Both are `None` (shown as "—") when the denominator is zero.

Python functions take and return `Decimal` (money exact to the fen). The SQL builders
return SQLAlchemy expressions that compile on SQLite and PostgreSQL alike and work in
**integer fen** (the storage unit of money), so `SUM(earned_premium_sql(...))` is exact;
the per-policy rounding is the same as the Python function's, so both agree to the fen.

Stable API (imported by reports):
    earned_days(start, end, as_of, *, since=None, cancelled_on=None) -> int
    earned_premium(premium, start, end, as_of, *, since=None, cancelled_on=None) -> Decimal
    earned_loss_ratio(paid, outstanding, earned) -> Decimal | None
    simple_loss_ratio(paid, written) -> Decimal | None
    loss_ratio(...)  — alias of earned_loss_ratio (the default ratio)
    day_number(date_expr) / days_since_epoch(date)  — integer day numbers in SQL / Python
    earned_premium_sql(policy, as_of, *, since=None) -> integer fen expression
    cancelled_by_sql(policy, as_of), in_force_sql(policy, as_of) -> boolean expressions
    earned_loss_ratio_sql(incurred_fen, earned_fen), simple_loss_ratio_sql(paid_fen, written_fen)
    money_fen(column) — a Money column as its raw integer fen (no Decimal conversion)
"""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Float, and_, case, cast, func, literal, or_, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Integer

from tui_crm.i18n import tr
from tui_crm.storage.types import from_fen, to_fen

EPOCH = date(1970, 1, 1)
CANCELLED = "cancelled"


class LossRatioKind(StrEnum):
    EARNED = "earned"  # 满期赔付率 (default)
    SIMPLE = "simple"  # 简单赔付率

    @property
    def label(self) -> str:
        if self is LossRatioKind.EARNED:
            return tr("满期赔付率", "Earned loss ratio")
        return tr("简单赔付率", "Simple loss ratio")


# --- Python (Decimal) ----------------------------------------------------------------


def days_since_epoch(day: date) -> int:
    return (day - EPOCH).days


def policy_days(start: date, end: date) -> int:
    """Days of cover of a policy, both ends inclusive (never less than 1)."""
    return max(1, (end - start).days + 1)


def earned_days(
    start: date,
    end: date,
    as_of: date,
    *,
    since: date | None = None,
    cancelled_on: date | None = None,
) -> int:
    """Covered days from `max(start, since)` through `min(end, as_of, cancelled_on − 1)`."""
    last = min(end, as_of)
    if cancelled_on is not None:
        last = min(last, date.fromordinal(cancelled_on.toordinal() - 1))
    first = max(start, since) if since else start
    return max(0, (last - first).days + 1)


def _earned_fen(premium_fen: int, days: int, total: int) -> int:
    """premium × days / total in fen, rounded half-up (premium ≥ 0)."""
    return (2 * premium_fen * days + total) // (2 * total)


def earned_premium(
    premium: Decimal,
    start: date,
    end: date,
    as_of: date,
    *,
    since: date | None = None,
    cancelled_on: date | None = None,
) -> Decimal:
    """Premium earned by the end of `as_of` (within `since` … `as_of` when `since` is given)."""
    days = earned_days(start, end, as_of, since=since, cancelled_on=cancelled_on)
    return from_fen(_earned_fen(to_fen(Decimal(premium)), days, policy_days(start, end)))


def earned_loss_ratio(paid: Decimal, outstanding: Decimal, earned: Decimal) -> Decimal | None:
    """满期赔付率 = (paid + outstanding) / earned premium; None when nothing is earned."""
    if not earned:
        return None
    return (Decimal(paid) + Decimal(outstanding)) / Decimal(earned)


def simple_loss_ratio(paid: Decimal, written: Decimal) -> Decimal | None:
    """简单赔付率 = paid / written premium; None when nothing is written."""
    if not written:
        return None
    return Decimal(paid) / Decimal(written)


loss_ratio = earned_loss_ratio


def format_ratio(ratio: Decimal | None, *, against: Decimal | None = None) -> str:
    """A ratio as a percentage ("182%", "30.4%"); "—" for None.

    With `against` (a threshold), more decimals are shown until the figure no longer
    looks equal to the threshold it differs from (150.04% is not shown as "150%").
    """
    if ratio is None:
        return "—"
    percent = ratio * 100
    for places in range(0, 5):
        shown = round(percent, places)
        if against is None or ratio == against or shown != against * 100:
            text = f"{shown:.{places}f}"
            return text + "%"
    return f"{percent:.4f}%"


# --- SQL builders ----------------------------------------------------------------------


class day_number(FunctionElement[int]):  # noqa: N801 - reads like a SQL function
    """Days since 1970-01-01 of a DATE expression, as an integer, on either dialect."""

    type = Integer()
    inherit_cache = True
    name = "day_number"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) - 2440587.5 AS INTEGER)"


@compiles(day_number, "postgresql")
def _day_number_pg(element: Any, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} - DATE '1970-01-01')"


class least(FunctionElement[int]):  # noqa: N801
    """Smallest of its (non-null) arguments: min() on SQLite, LEAST() on PostgreSQL."""

    type = Integer()
    inherit_cache = True
    name = "least"


class greatest(FunctionElement[int]):  # noqa: N801
    type = Integer()
    inherit_cache = True
    name = "greatest"


@compiles(least, "sqlite")
def _least_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(least)
def _least_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(greatest)
def _greatest_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


def money_fen(column: Any) -> ColumnElement[int]:
    """A Money column as its stored integer fen (skips the Decimal conversion)."""
    return type_coerce(column, BigInteger)


def int_literal(value: int) -> ColumnElement[int]:
    """An integer bound as BIGINT (day numbers and fen compare and add without casts)."""
    return literal(value, BigInteger)


def cancelled_by_sql(policy: Any, as_of: date) -> ColumnElement[bool]:
    """The policy was cancelled on or before `as_of` (no date: cancelled from the start)."""
    return and_(
        policy.status == CANCELLED,
        or_(policy.cancelled_on.is_(None), policy.cancelled_on <= as_of),
    )


def in_force_sql(policy: Any, as_of: date) -> ColumnElement[bool]:
    """Cover on `as_of`: started, not ended, not cancelled by then."""
    return and_(
        policy.start_date <= as_of,
        policy.end_date >= as_of,
        ~cancelled_by_sql(policy, as_of),
    )


def earned_days_sql(policy: Any, as_of: date, *, since: date | None = None) -> ColumnElement[int]:
    start = day_number(policy.start_date)
    end = day_number(policy.end_date)
    cover_last = case(
        (
            policy.status == CANCELLED,
            least(end, func.coalesce(day_number(policy.cancelled_on), start) - 1),
        ),
        else_=end,
    )
    last = least(cover_last, int_literal(days_since_epoch(as_of)))
    first = greatest(start, int_literal(days_since_epoch(since))) if since else start
    return greatest(last - first + 1, int_literal(0))


def earned_premium_sql(
    policy: Any, as_of: date, *, since: date | None = None
) -> ColumnElement[int]:
    """Earned premium of one policy row in integer fen (sum it for a book).

    `policy` is anything with the policy's columns as attributes: the `Policy` model, an
    alias of it, `Policy.__table__.c`, or a subquery's `.c` with the same column names
    (`premium`, `start_date`, `end_date`, `status`, `cancelled_on`).
    """
    total = greatest(
        day_number(policy.end_date) - day_number(policy.start_date) + 1, int_literal(1)
    )
    days = earned_days_sql(policy, as_of, since=since)
    premium = money_fen(policy.premium)
    return cast((2 * premium * days + total) // (2 * total), BigInteger)


def earned_loss_ratio_sql(incurred_fen: Any, earned_fen: Any) -> ColumnElement[Any]:
    """(paid + outstanding) / earned as a float; NULL when nothing is earned."""
    return cast(incurred_fen, Float) / func.nullif(cast(earned_fen, Float), 0)


def simple_loss_ratio_sql(paid_fen: Any, written_fen: Any) -> ColumnElement[Any]:
    return cast(paid_fen, Float) / func.nullif(cast(written_fen, Float), 0)
