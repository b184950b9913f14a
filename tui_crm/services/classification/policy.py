"""Policy facts per customer for the classification rules, and the claim-free run.

One GROUP BY over the selected customers' policies. The dates of each policy are turned
into day numbers once, in an inner query, and the aggregates work on those integers (on
SQLite the inner query is kept from being merged into the outer one, so the day numbers
are not recomputed in every aggregate). Earned premium follows `services.earned` to the
fen: premium × covered days / days of policy, rounded half-up per policy.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Connection,
    Integer,
    Table,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from tui_crm.services.classification.rules import Window
from tui_crm.services.core.earned import (
    CANCELLED,
    cancelled_by_sql,
    day_number,
    days_since_epoch,
    greatest,
    int_literal,
    least,
    money_fen,
)
from tui_crm.storage.models import Policy

policy_t: Table = Policy.__table__  # type: ignore[attr-defined]
YEAR_SPAN = 30  # claim-free years are looked for among the 31 years up to the as-of year


class year_of(FunctionElement[int]):  # noqa: N801
    type = Integer()
    inherit_cache = True
    name = "year_of"


@compiles(year_of, "sqlite")
def _year_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(substr({compiler.process(element.clauses, **kw)}, 1, 4) AS INTEGER)"


@compiles(year_of)
def _year_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(YEAR FROM {compiler.process(element.clauses, **kw)}) AS INTEGER)"


def _sum(expression: Any) -> ColumnElement[int]:
    return cast(func.coalesce(func.sum(expression), 0), BigInteger)


def _count_if(condition: Any) -> ColumnElement[int]:
    return _sum(case((condition, 1), else_=0))


def bit(offset: Any) -> ColumnElement[int]:
    """1 << offset as a BIGINT, or 0 for a negative offset (a year before the span)."""
    return case(
        (offset >= 0, cast(cast(literal(1), BigInteger).op("<<")(offset), BigInteger)),
        else_=0,
    )


def year_mask(condition: Any, bits: Any) -> ColumnElement[int]:
    """OR of one-bit values = SUM(DISTINCT), on both dialects, without grouping by year."""
    return cast(func.coalesce(func.sum(case((condition, bits)).distinct()), 0), BigInteger)


def policy_days(connection: Connection, where: Callable[[Any], Any], window: Window) -> Any:
    """The selected policies with their dates as day numbers (an inner query)."""
    p = policy_t.c
    as_of = window.as_of
    inner = select(
        p.customer_id,
        day_number(p.start_date).label("s"),
        day_number(p.end_date).label("e"),
        day_number(p.cancelled_on).label("cn"),
        (year_of(p.start_date) - (as_of.year - YEAR_SPAN)).label("yo"),
        money_fen(p.premium).label("premium"),
        case((p.status == CANCELLED, 1), else_=0).label("c"),
        case((cancelled_by_sql(p, as_of), 1), else_=0).label("cx"),
        case((p.is_tender, 1), else_=0).label("tender"),
    ).where(where(p.customer_id))
    if connection.dialect.name == "sqlite":
        inner = inner.limit(-1)  # keeps SQLite from flattening it into the aggregate
    return inner.subquery("pd")


def _earned(q: Any, cover_end: Any, as_of_n: int, since_n: int | None) -> ColumnElement[int]:
    """services.earned.earned_premium_sql on day numbers (integer fen, half-up)."""
    total = greatest(q.e - q.s + 1, int_literal(1))
    first = greatest(q.s, int_literal(since_n)) if since_n is not None else q.s
    days = greatest(least(cover_end, int_literal(as_of_n)) - first + 1, int_literal(0))
    return cast((2 * q.premium * days + total) // (2 * total), BigInteger)


def policy_statement(connection: Connection, where: Callable[[Any], Any], window: Window) -> Any:
    q = policy_days(connection, where, window).c
    d, y0 = days_since_epoch(window.as_of), days_since_epoch(window.year_start)
    active = q.cx == 0
    started = q.s <= d
    in_year = and_(q.s >= y0, started, active)
    in_force = and_(started, q.e >= d, active)
    cover_end = case((q.c == 1, least(q.e, func.coalesce(q.cn, q.s) - 1)), else_=q.e)
    fully_earned = and_(q.c == 0, q.e <= d)
    earned_total = case(
        (fully_earned, q.premium),
        (q.s > d, 0),
        else_=_earned(q, cover_end, d, None),
    )
    earned_year = case(
        (or_(q.e < y0, q.s > d), 0),
        (and_(fully_earned, q.s >= y0), q.premium),  # wholly inside the year
        else_=_earned(q, cover_end, d, y0),
    )
    unexpired = case((q.e >= d, 1), else_=0)
    return select(
        q.customer_id,
        year_mask(and_(started, active), bit(2 * q.yo + unexpired)).label("years_mask"),
        _sum(case((in_year, q.premium), else_=0)).label("written_year"),
        func.max(case((and_(in_year, q.tender == 1), q.premium))).label("tender_max"),
        _count_if(in_force).label("in_force_n"),
        func.max(case((in_force, q.e))).label("in_force_end"),
        func.max(case((started, cover_end))).label("last_cover_end"),
        func.min(case((and_(q.s > d, q.c == 0), q.s))).label("next_start"),
        _sum(earned_total).label("earned_total"),
        _sum(earned_year).label("earned_year"),
        _count_if(fully_earned).label("fully_earned_n"),
    ).group_by(q.customer_id)


def claim_year_bits(window: Window, start_date: Any) -> ColumnElement[int]:
    """The policy year of a claimed policy's start date as one bit (see `streaks`)."""
    return bit(year_of(start_date) - (window.as_of.year - YEAR_SPAN))


def streaks(mask: np.ndarray, claimed: np.ndarray, first_year: int) -> pd.DataFrame:
    """Claim-free run from year bitmasks (int64 arrays): cf_streak, cf_from, cf_to.

    Policy masks use two bits a year: bit 2·o for an expired policy, 2·o + 1 for one not
    yet expired (o = year − first year of the span); claim masks one bit, o. A year is
    expired when it has policies and none unexpired; counting starts at the latest
    expired year and goes back while each year is expired and claim-free.
    """
    size = len(mask)
    streak = np.zeros(size, dtype=np.int64)
    top = np.full(size, -1, dtype=np.int64)
    running = np.zeros(size, dtype=bool)
    for offset in range(YEAR_SPAN, -1, -1):
        expired = ((mask >> (2 * offset)) & 3) == 1
        first = expired & (top < 0)
        top[first] = offset
        running |= first
        clean = expired & (((claimed >> offset) & 1) == 0)
        running &= clean | (top < 0)
        streak += running & (top >= 0)
    cf_to = np.where(streak > 0, top + first_year, 0)
    cf_from = np.where(streak > 0, cf_to - streak + 1, 0)
    return pd.DataFrame({"cf_streak": streak, "cf_from": cf_from, "cf_to": cf_to})
