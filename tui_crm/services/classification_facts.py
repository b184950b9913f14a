"""Per-customer facts for the classification rules, as SQL aggregates pulled into pandas.

Each query is one GROUP BY over a slice of customers (an id range for the whole-book run,
an id list for one customer or a candidate list), so a run over a million customers is
a few set-based queries per slice and never a loop over ORM objects. Money comes back in
integer fen and dates as day numbers (days since 1970-01-01), so nothing is converted per
row on the way in.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
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
    exists,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from tui_crm.domain import ClaimStatus
from tui_crm.services.classification_rules import ClassThresholds, Window
from tui_crm.services.clock import BRANCH_TZ
from tui_crm.services.earned import (
    CANCELLED,
    cancelled_by_sql,
    day_number,
    earned_premium_sql,
    in_force_sql,
    least,
    money_fen,
)
from tui_crm.storage.models import (
    BlacklistEntry,
    Claim,
    Customer,
    Policy,
    Receivable,
)

Selector = Callable[[Any], ColumnElement[bool]]

customer_t: Table = Customer.__table__  # type: ignore[attr-defined]
policy_t: Table = Policy.__table__  # type: ignore[attr-defined]
claim_t: Table = Claim.__table__  # type: ignore[attr-defined]
receivable_t: Table = Receivable.__table__  # type: ignore[attr-defined]
entry_t: Table = BlacklistEntry.__table__  # type: ignore[attr-defined]

NOT_COUNTED = (ClaimStatus.WITHDRAWN.value, ClaimStatus.DECLINED.value)


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


def end_of_day_utc(day: date) -> datetime:
    """The first moment after `day` in the branch's time zone (compare timestamps `<`)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=BRANCH_TZ)


def local_day_number(moment: datetime) -> int:
    return (moment.astimezone(BRANCH_TZ).date() - date(1970, 1, 1)).days


def id_range(low: int, high: int) -> Selector:
    return lambda column: column.between(low, high)


def id_list(ids: Sequence[int]) -> Selector:
    values = [int(i) for i in ids]
    return lambda column: column.in_(values)


def _frame(
    connection: Connection, statement: Any, index: str = "customer_id", *, raw: bool = False
) -> pd.DataFrame:
    """Run a query into a DataFrame. `raw` (big slices, only ints/dates/strings bound):
    render the parameters into the SQL and read plain tuples from the driver cursor,
    skipping per-row result processing."""
    if raw:
        sql = str(statement.compile(dialect=connection.dialect, compile_kwargs=LITERAL))
        cursor: Any = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql)
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        finally:
            cursor.close()
    else:
        result = connection.execute(statement)
        columns = list(result.keys())
        rows = [tuple(row) for row in result]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.set_index(index) if index else frame


LITERAL = {"literal_binds": True}


def _sum(expression: Any) -> ColumnElement[int]:
    return cast(func.coalesce(func.sum(expression), 0), BigInteger)


def _count_if(condition: Any) -> ColumnElement[int]:
    return _sum(case((condition, 1), else_=0))


def customers(connection: Connection, where: Selector) -> pd.DataFrame:
    c = customer_t.c
    statement = select(
        c.id.label("customer_id"),
        c.unit_id,
        c.group_id,
        c.as_intermediary_id,
        c.customer_class.label("old_class"),
        c.class_reasons.label("old_reasons"),
        c.class_rule_version.label("old_version"),
        c.flag_key.label("old_flag_key"),
        c.flag_blacklist.label("old_flag_blacklist"),
        c.flag_renewal_due.label("old_flag_renewal_due"),
        c.intention_declared,
        c.lapsed_to_competitor,
    ).where(where(c.id))
    return _frame(connection, statement, raw=True)


YEAR_SPAN = 30  # claim-free years are looked for among the 31 years up to the as-of year


def year_bits(window: Window, date_column: Any, unexpired: Any = None) -> ColumnElement[int]:
    """The policy year of a start date as one bit of a BIGINT (years before the span: 0).

    Policy masks use two bits a year: bit 2·o for an expired policy, 2·o + 1 for one not
    yet expired (o = year − first year of the span); claim masks one bit, o.
    """
    base = window.as_of.year - YEAR_SPAN
    offset = year_of(date_column) - base
    bit = offset if unexpired is None else 2 * offset + case((unexpired, 1), else_=0)
    return case(
        (offset >= 0, cast(cast(literal(1), BigInteger).op("<<")(bit), BigInteger)),
        else_=0,
    )


def _year_mask(condition: Any, bits: Any) -> ColumnElement[int]:
    """OR of one-bit values = SUM(DISTINCT), on both dialects, without grouping by year."""
    return cast(func.coalesce(func.sum(case((condition, bits)).distinct()), 0), BigInteger)


def policy_facts(connection: Connection, where: Selector, window: Window) -> pd.DataFrame:
    """Policy aggregates per customer, one scan of the slice's policies (see the rules)."""
    p = policy_t.c
    as_of, y0 = window.as_of, window.year_start
    active = not_(cancelled_by_sql(p, as_of))
    started = p.start_date <= as_of
    in_year = and_(p.start_date >= y0, started, active)
    in_force = in_force_sql(p, as_of)
    premium = money_fen(p.premium)
    end = day_number(p.end_date)
    cover_end = case(
        (
            p.status == CANCELLED,
            least(end, func.coalesce(day_number(p.cancelled_on), day_number(p.start_date)) - 1),
        ),
        else_=end,
    )
    fully_earned = and_(p.status != CANCELLED, p.end_date <= as_of)
    earned_total = case(
        (fully_earned, premium),
        (p.start_date > as_of, 0),
        else_=earned_premium_sql(p, as_of),
    )
    earned_year = case(
        (or_(p.end_date < y0, p.start_date > as_of), 0),
        (and_(fully_earned, p.start_date >= y0), premium),  # wholly inside the year
        else_=earned_premium_sql(p, as_of, since=y0),
    )
    statement = (
        select(
            p.customer_id,
            _year_mask(
                and_(started, active), year_bits(window, p.start_date, p.end_date >= as_of)
            ).label("years_mask"),
            _sum(case((in_year, premium), else_=0)).label("written_year"),
            func.max(case((and_(in_year, p.is_tender), premium))).label("tender_max"),
            _count_if(in_force).label("in_force_n"),
            func.max(case((in_force, end))).label("in_force_end"),
            func.max(case((started, cover_end))).label("last_cover_end"),
            func.min(
                case((and_(p.start_date > as_of, p.status != CANCELLED), day_number(p.start_date)))
            ).label("next_start"),
            _sum(earned_total).label("earned_total"),
            _sum(earned_year).label("earned_year"),
            _count_if(fully_earned).label("fully_earned_n"),
        )
        .where(where(p.customer_id))
        .group_by(p.customer_id)
    )
    return _frame(connection, statement, raw=True)


def claim_facts(connection: Connection, where: Selector, window: Window) -> pd.DataFrame:
    """Claim aggregates per customer (reported by D), with the policy years claimed in."""
    c = claim_t.c
    p = policy_t.c
    counted = c.status.not_in(NOT_COUNTED)
    in_year = and_(c.report_date >= window.year_start, counted)
    incurred = money_fen(c.paid) + money_fen(c.outstanding)
    statement = (
        select(
            c.customer_id,
            _year_mask(counted, year_bits(window, p.start_date)).label("years_claimed"),
            _count_if(in_year).label("claims_year"),
            _sum(case((in_year, incurred), else_=0)).label("incurred_year"),
            _sum(case((counted, incurred), else_=0)).label("incurred_total"),
            _count_if(c.fraud_suspected).label("fraud_n"),
            func.min(case((c.fraud_suspected, c.claim_no))).label("fraud_claim_no"),
        )
        .select_from(claim_t.join(policy_t, p.id == c.policy_id))
        .where(where(c.customer_id), c.report_date <= window.as_of)
        .group_by(c.customer_id)
    )
    return _frame(connection, statement, raw=True)


def renewal_facts(
    connection: Connection, where: Selector, window: Window, days: int
) -> pd.DataFrame:
    p = policy_t.alias("p")
    r = policy_t.alias("r")
    as_of = window.as_of
    renewed_by_link = exists().where(r.c.renewal_of_id == p.c.id, r.c.status != CANCELLED)
    renewed_by_later = exists().where(
        r.c.customer_id == p.c.customer_id,
        r.c.start_date > p.c.start_date,
        r.c.line_code == p.c.line_code,
        func.coalesce(r.c.vehicle_id, 0) == func.coalesce(p.c.vehicle_id, 0),
        r.c.status != CANCELLED,
    )
    statement = (
        select(
            p.c.customer_id,
            func.count().label("renewal_n"),
            func.min(day_number(p.c.end_date)).label("renewal_end"),
        )
        .where(
            where(p.c.customer_id),
            in_force_sql(p.c, as_of),
            p.c.end_date <= as_of + timedelta(days=days),
            not_(renewed_by_link),
            not_(renewed_by_later),
        )
        .group_by(p.c.customer_id)
    )
    return _frame(connection, statement, raw=True)


def streaks(mask: np.ndarray, claimed: np.ndarray, first_year: int) -> pd.DataFrame:
    """Claim-free run from year bitmasks (int64 arrays, see `year_bits`):
    cf_streak, cf_from, cf_to.

    A year is expired when it has policies and none unexpired; counting starts at the
    latest expired year and goes back while each year is expired and claim-free.
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


def overdue_facts(
    connection: Connection, where: Selector, window: Window, max_days: int
) -> pd.DataFrame:
    r = receivable_t.c
    as_of = window.as_of
    unpaid_at = (r.settled_on.is_(None) & (money_fen(r.paid_amount) < money_fen(r.amount))) | (
        r.settled_on > as_of
    )
    statement = (
        select(r.customer_id, func.min(day_number(r.due_date)).label("overdue_due"))
        .where(where(r.customer_id), r.due_date < as_of - timedelta(days=max_days), unpaid_at)
        .group_by(r.customer_id)
    )
    return _frame(connection, statement, raw=True)


def blacklist_facts(connection: Connection, where: Selector, window: Window) -> pd.DataFrame:
    e = entry_t.c
    cutoff = end_of_day_utc(window.as_of)
    statement = (
        select(e.customer_id, e.approved_at, e.reasons.label("bl_reasons"))
        .where(
            where(e.customer_id),
            e.approved_at < cutoff,
            e.lifted_at.is_(None) | (e.lifted_at >= cutoff),
        )
        .order_by(e.customer_id, e.approved_at)
    )
    frame = _frame(connection, statement, index="")
    if frame.empty:
        return pd.DataFrame(
            columns=["bl_approved", "bl_reasons"], index=pd.Index([], name="customer_id")
        )
    frame["bl_approved"] = [local_day_number(moment) for moment in frame["approved_at"]]
    frame = frame.drop_duplicates("customer_id", keep="last").set_index("customer_id")
    return frame[["bl_approved", "bl_reasons"]]


@dataclass
class Totals:
    """Year totals that belong to more than one customer: business written through each
    intermediary, premium of each corporate group. A cache: a run keeps one for all its
    slices, so each intermediary and group is summed once."""

    intermediaries: dict[int, int] = field(default_factory=dict)  # intermediary id → fen
    groups: dict[int, int] = field(default_factory=dict)  # group id → fen

    def ensure(
        self,
        connection: Connection,
        window: Window,
        intermediary_ids: Sequence[int],
        group_ids: Sequence[int],
    ) -> None:
        new_agents = [i for i in intermediary_ids if i not in self.intermediaries]
        new_groups = [g for g in group_ids if g not in self.groups]
        if new_agents or new_groups:
            found = totals(connection, window, intermediary_ids=new_agents, group_ids=new_groups)
            self.intermediaries.update({i: found.intermediaries.get(i, 0) for i in new_agents})
            self.groups.update({g: found.groups.get(g, 0) for g in new_groups})


def _in_year(window: Window) -> ColumnElement[bool]:
    p = policy_t.c
    return and_(
        p.start_date >= window.year_start,
        p.start_date <= window.as_of,
        not_(cancelled_by_sql(p, window.as_of)),
    )


def totals(
    connection: Connection,
    window: Window,
    *,
    intermediary_ids: Sequence[int] | None = None,
    group_ids: Sequence[int] | None = None,
) -> Totals:
    """The year totals, for the whole book (ids None) or only the ids given.

    Both start from the few customers concerned (group members, customers that are
    intermediaries) and seek their policies by index, instead of scanning a year of the
    book's policies.
    """
    p = policy_t.c
    cu = customer_t.c
    found = Totals()
    if intermediary_ids is None or intermediary_ids:
        agents = select(cu.as_intermediary_id).where(cu.as_intermediary_id.is_not(None))
        if intermediary_ids is not None:
            agents = agents.where(cu.as_intermediary_id.in_(list(intermediary_ids)))
        by_intermediary = (
            select(p.intermediary_id, _sum(money_fen(p.premium)))
            .where(p.intermediary_id.in_(agents.scalar_subquery()), _in_year(window))
            .group_by(p.intermediary_id)
        )
        found.intermediaries = {int(i): int(n) for i, n in connection.execute(by_intermediary)}
    if group_ids is None or group_ids:
        members = select(cu.id, cu.group_id).where(cu.group_id.is_not(None))
        if group_ids is not None:
            members = members.where(cu.group_id.in_(list(group_ids)))
        group_of = {int(i): int(g) for i, g in connection.execute(members)}
        if group_of:
            member_ids = select(cu.id).where(cu.group_id.is_not(None))
            if group_ids is not None:
                member_ids = member_ids.where(cu.group_id.in_(list(group_ids)))
            per_member = (
                select(p.customer_id, _sum(money_fen(p.premium)))
                .where(p.customer_id.in_(member_ids.scalar_subquery()), _in_year(window))
                .group_by(p.customer_id)
            )
            for customer_id, fen in connection.execute(per_member):
                group = group_of[int(customer_id)]
                found.groups[group] = found.groups.get(group, 0) + int(fen)
    return found


def _ids(frame: pd.DataFrame, column: str) -> list[int]:
    return sorted({int(v) for v in frame[column].dropna()})


def collect(
    connection: Connection,
    where: Selector,
    window: Window,
    thresholds: ClassThresholds,
    *,
    check: Callable[[], None] = lambda: None,
    book: Totals | None = None,
) -> pd.DataFrame:
    """All facts for the selected customers, one row each (customers without any
    policy, claim or receivable get zeros / missing values). `check` runs between
    queries (it raises to cancel); `book`: whole-book totals read once by a run."""
    frame = customers(connection, where)
    if frame.empty:
        return frame
    book = book if book is not None else Totals()
    book.ensure(connection, window, _ids(frame, "as_intermediary_id"), _ids(frame, "group_id"))
    frame["interm_written"] = frame["as_intermediary_id"].map(book.intermediaries)
    frame["group_written"] = frame["group_id"].map(book.groups)
    parts: list[pd.DataFrame | pd.Series] = []
    for query in (
        lambda: policy_facts(connection, where, window),
        lambda: claim_facts(connection, where, window),
        lambda: renewal_facts(connection, where, window, thresholds.renewal_window_days),
        lambda: overdue_facts(connection, where, window, thresholds.max_overdue_days),
        lambda: blacklist_facts(connection, where, window),
    ):
        check()
        parts.append(query())
    frame = frame.join(parts, how="left")
    masks = [
        frame[name].fillna(0).to_numpy().astype(np.int64)
        for name in ("years_mask", "years_claimed")
    ]
    runs = streaks(masks[0], masks[1], first_year=window.as_of.year - YEAR_SPAN)
    runs.index = frame.index
    return frame.join(runs)
