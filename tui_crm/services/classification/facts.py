"""Per-customer facts for the classification rules, as SQL aggregates pulled into pandas.

Each query is one GROUP BY over a slice of customers (an id range for the whole-book run,
an id list for one customer or a candidate list), so a run over a million customers is
a few set-based queries per slice and never a loop over ORM objects. Money comes back in
integer fen and dates as day numbers (days since 1970-01-01), so nothing is converted per
row on the way in.
"""

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Connection, Table, and_, case, cast, exists, func, not_, select
from sqlalchemy.sql.elements import ColumnElement

from tui_crm.domain import ClaimStatus
from tui_crm.services.classification.policy import (
    YEAR_SPAN,
    claim_year_bits,
    policy_statement,
    streaks,
    year_mask,
)
from tui_crm.services.classification.rules import ClassThresholds, Window
from tui_crm.services.classification.totals import Totals
from tui_crm.services.core.clock import BRANCH_TZ
from tui_crm.services.core.earned import CANCELLED, day_number, in_force_sql, money_fen
from tui_crm.storage.models import (
    BlacklistEntry,
    Claim,
    Customer,
    Policy,
    ProspectFact,
    Receivable,
)

Selector = Callable[[Any], ColumnElement[bool]]

customer_t: Table = Customer.__table__  # type: ignore[attr-defined]
policy_t: Table = Policy.__table__  # type: ignore[attr-defined]
claim_t: Table = Claim.__table__  # type: ignore[attr-defined]
receivable_t: Table = Receivable.__table__  # type: ignore[attr-defined]
entry_t: Table = BlacklistEntry.__table__  # type: ignore[attr-defined]
prospect_t: Table = ProspectFact.__table__  # type: ignore[attr-defined]

NOT_COUNTED = (ClaimStatus.WITHDRAWN.value, ClaimStatus.DECLINED.value)


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


def policy_facts(connection: Connection, where: Selector, window: Window) -> pd.DataFrame:
    """Policy aggregates per customer (`classification_policy`)."""
    return _frame(connection, policy_statement(connection, where, window), raw=True)


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
            year_mask(counted, claim_year_bits(window, p.start_date)).label("years_claimed"),
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


PROSPECT_COLUMNS = ["intent_day", "lost_day", "lost_competitor"]


def prospect_facts(connection: Connection, where: Selector, window: Window) -> pd.DataFrame:
    """The latest intention declared by D and the latest loss to a competitor in the year
    (with the competitor), per customer, from the prospect facts."""
    f = prospect_t.c
    statement = (
        select(f.customer_id, f.kind, day_number(f.fact_date).label("day"), f.competitor)
        .where(
            where(f.customer_id),
            f.fact_date <= window.as_of,
            (f.kind == "intent") | (f.fact_date >= window.year_start),
        )
        .order_by(f.customer_id, f.fact_date, f.id)
    )
    frame = _frame(connection, statement, index="")
    if frame.empty:
        return pd.DataFrame(columns=PROSPECT_COLUMNS, index=pd.Index([], name="customer_id"))
    latest = {
        kind: frame[frame["kind"] == kind].drop_duplicates("customer_id", keep="last")
        for kind in ("intent", "lost")
    }
    intent = latest["intent"].set_index("customer_id")
    lost = latest["lost"].set_index("customer_id")
    out = pd.concat(
        [
            intent["day"].rename("intent_day"),
            lost["day"].rename("lost_day"),
            lost["competitor"].rename("lost_competitor"),
        ],
        axis=1,
    )
    out.index.name = "customer_id"
    return out


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
        lambda: prospect_facts(connection, where, window),
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
