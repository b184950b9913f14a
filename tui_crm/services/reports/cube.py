"""The report cube: policy and claim measures pre-aggregated by month, kept fresh.

`report_cube` holds one row per month × (unit, line, channel, customer kind, industry,
ownership, gender, vehicle use, intermediary and its kind, account manager, group) and,
for written business, the month the policy was cancelled in. Three kinds of rows share it,
measures being 0 where they do not apply, so every figure is a plain SUM:

- written rows (the policy's start month; `cancel_month` = yyyymm of `cancelled_on`, 0 for a
  cancellation without date, NULL when not cancelled): policies, written, sum insured,
  commission;
- earned rows, one per month of cover: the premium earned in that month. Each policy's
  earned-to-date at a month's end is rounded to the fen (1/365 method, `services.earned`);
  a month's earned is the difference with the month before, so the months of a policy add
  up exactly to its earned premium, and a period of whole months earns, per policy, its
  earned-to-date at the period's end minus that at the day before it starts;
- claim rows (the loss month, claims that count): claims, paid, outstanding.

`report_cube_customer` keeps the distinct (month, dimensions, customer) of written
policies, so distinct customer counts are exact (COUNT DISTINCT, never a sum of counts).

Freshness: `report_cube_state` records the largest policy and claim ids and the value of
the change counter `report_change.n` the cube was built from. Triggers bump the counter on
any UPDATE or DELETE of the columns the cube reads (policy, claim, customer, vehicle,
intermediary); new policies and claims (ids above those recorded) are added to the cube
incrementally; anything else rebuilds it. All of it is set-based SQL (INSERT … SELECT).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

from tui_crm.domain import ClaimStatus
from tui_crm.services import earned as earned_rules
from tui_crm.services.reports.facts import CL, IM, C, P, V, fen, month_key

METADATA = MetaData()
DIMENSIONS: tuple[tuple[str, Any], ...] = (
    ("unit_id", Integer),
    ("line_code", String(20)),
    ("channel", String(12)),
    ("kind", String(12)),
    ("industry", String(40)),
    ("ownership", String(20)),
    ("gender", String(1)),
    ("v_use", String(20)),
    ("intermediary_id", Integer),
    ("im_kind", String(20)),
    ("manager_id", Integer),
    ("group_id", Integer),
)
MEASURES = (
    "policies",
    "written",
    "sum_insured",
    "commission",
    "earned",
    "claims",
    "paid",
    "outstanding",
)


def _dimension_columns() -> list[Column[Any]]:
    return [Column(name, kind) for name, kind in DIMENSIONS]


CUBE = Table(
    "report_cube",
    METADATA,
    Column("month", Integer, nullable=False),
    Column("cancel_month", Integer),
    *_dimension_columns(),
    *(Column(name, BigInteger, nullable=False, server_default="0") for name in MEASURES),
    Index("ix_report_cube_month", "month"),
)
CUBE_CUSTOMER = Table(
    "report_cube_customer",
    METADATA,
    Column("month", Integer, nullable=False),
    Column("cancel_month", Integer),
    *_dimension_columns(),
    Column("customer_id", Integer, nullable=False),
    Index("ix_report_cube_customer_month", "month"),
)
MONTHS = Table(
    "report_cube_month",
    METADATA,
    Column("month", Integer, primary_key=True),
    Column("first_day", Integer, nullable=False),
    Column("last_day", Integer, nullable=False),
)
STATE = Table(
    "report_cube_state",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("policy_max", BigInteger, nullable=False),
    Column("claim_max", BigInteger, nullable=False),
    Column("change", BigInteger, nullable=False),
    Column("month_last", Integer, nullable=False),
)
CHANGE = Table(
    "report_change",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("n", BigInteger, nullable=False),
)

# Columns whose UPDATE (or any DELETE) makes the cube stale.
WATCHED = {
    "policy": (
        "line_code customer_id vehicle_id unit_id account_manager_id intermediary_id channel "
        "start_date end_date sum_insured premium commission status cancelled_on"
    ),
    "claim": "policy_id loss_date paid outstanding status",
    "customer": "kind industry ownership gender group_id",
    "vehicle": "use",
    "intermediary": "kind",
}


@dataclass(frozen=True)
class Signature:
    policy_max: int
    claim_max: int
    change: int


# --- schema ---------------------------------------------------------------------------


def ensure_schema(connection: Connection) -> None:
    """Create the cube tables and the change triggers when missing (idempotent)."""
    METADATA.create_all(connection, checkfirst=True)
    if connection.execute(select(func.count()).select_from(CHANGE)).scalar_one() == 0:
        connection.execute(insert(CHANGE).values(id=1, n=0))
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "CREATE OR REPLACE FUNCTION report_change_bump() RETURNS trigger AS $$ "
                "BEGIN UPDATE report_change SET n = n + 1 WHERE id = 1; RETURN NULL; END; "
                "$$ LANGUAGE plpgsql"
            )
        )
    for table, columns in WATCHED.items():
        _trigger(connection, table, columns)


def _trigger(connection: Connection, table: str, columns: str) -> None:
    update_of = ", ".join(f'"{c}"' for c in columns.split())
    if connection.dialect.name == "sqlite":
        for event in (f"UPDATE OF {update_of}", "DELETE"):
            name = f"report_change_{table}_{event.split()[0].lower()}"
            connection.execute(
                text(
                    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} "
                    "BEGIN UPDATE report_change SET n = n + 1 WHERE id = 1; END"
                )
            )
        return
    name = f"report_change_{table}"
    connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
    connection.execute(
        text(
            f"CREATE TRIGGER {name} AFTER UPDATE OF {update_of} OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION report_change_bump()"
        )
    )


def has_schema(connection: Connection) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(connection).has_table(STATE.name))


# --- freshness ------------------------------------------------------------------------


def current(connection: Connection) -> Signature:
    """Cheap: two index look-ups and one row."""
    policy_max = connection.execute(select(func.max(P.c.id))).scalar_one() or 0
    claim_max = connection.execute(select(func.max(CL.c.id))).scalar_one() or 0
    change = connection.execute(select(CHANGE.c.n).where(CHANGE.c.id == 1)).scalar_one()
    return Signature(int(policy_max), int(claim_max), int(change))


def built(connection: Connection) -> tuple[Signature, int] | None:
    row = connection.execute(select(STATE).where(STATE.c.id == 1)).first()
    if row is None:
        return None
    return Signature(row.policy_max, row.claim_max, row.change), row.month_last


def is_fresh(connection: Connection) -> bool:
    if not has_schema(connection):
        return False
    state = built(connection)
    return state is not None and state[0] == current(connection)


def refresh(connection: Connection, *, full: bool = False) -> str:
    """Bring the cube up to date; returns "fresh", "incremental" or "rebuilt"."""
    ensure_schema(connection)
    if connection.dialect.name == "postgresql":  # one refresher at a time
        connection.execute(text("LOCK TABLE report_cube_state IN EXCLUSIVE MODE"))
    now = current(connection)
    state = built(connection)
    if state is not None and not full:
        then, month_last = state
        if then == now:
            return "fresh"
        if then.change == now.change and _months_cover(connection, then, month_last):
            _load(connection, policy_after=then.policy_max, claim_after=then.claim_max, upto=now)
            _save(connection, now, month_last)
            return "incremental"
    for table in (CUBE, CUBE_CUSTOMER, MONTHS):
        connection.execute(table.delete())
    month_last = _fill_months(connection)
    _load(connection, policy_after=0, claim_after=0, upto=now)
    _save(connection, now, month_last)
    return "rebuilt"


def _save(connection: Connection, signature: Signature, month_last: int) -> None:
    connection.execute(STATE.delete())
    connection.execute(
        insert(STATE).values(
            id=1,
            policy_max=signature.policy_max,
            claim_max=signature.claim_max,
            change=signature.change,
            month_last=month_last,
        )
    )


def _months_cover(connection: Connection, then: Signature, month_last: int) -> bool:
    """The month table reaches the last cover month of the policies added since."""
    newest = connection.execute(
        select(func.max(P.c.end_date)).where(P.c.id > then.policy_max)
    ).scalar_one()
    return newest is None or newest.year * 100 + newest.month <= month_last


def _fill_months(connection: Connection) -> int:
    first, last = connection.execute(select(func.min(P.c.start_date), func.max(P.c.end_date))).one()
    today = date.today()
    first = (first or today).replace(day=1)
    last = max(last or today, today) + relativedelta(years=5)
    rows = []
    month = first
    while month <= last:
        end = month + relativedelta(day=31)
        rows.append(
            {
                "month": month.year * 100 + month.month,
                "first_day": earned_rules.days_since_epoch(month),
                "last_day": earned_rules.days_since_epoch(end),
            }
        )
        month += relativedelta(months=1)
    connection.execute(insert(MONTHS), rows)
    return int(rows[-1]["month"])


# --- loading --------------------------------------------------------------------------


def _dimension_exprs() -> list[ColumnElement[Any]]:
    return [
        P.c.unit_id,
        P.c.line_code,
        P.c.channel,
        C.c.kind,
        C.c.industry,
        C.c.ownership,
        C.c.gender,
        V.c.use,
        P.c.intermediary_id,
        IM.c.kind,
        P.c.account_manager_id,
        C.c.group_id,
    ]


def _joined(base: Any) -> Any:
    return (
        base.join(C, C.c.id == P.c.customer_id)
        .outerjoin(V, V.c.id == P.c.vehicle_id)
        .outerjoin(IM, IM.c.id == P.c.intermediary_id)
    )


def _cancel_month() -> ColumnElement[Any]:
    return case(
        (P.c.status == earned_rules.CANCELLED, func.coalesce(month_key(P.c.cancelled_on), 0)),
        else_=None,
    )


def _load(connection: Connection, *, policy_after: int, claim_after: int, upto: Signature) -> None:
    names = [name for name, _kind in DIMENSIONS]
    dims = _dimension_exprs()
    policies = [P.c.id > policy_after, P.c.id <= upto.policy_max]
    start_month = month_key(P.c.start_date)
    cancel = _cancel_month()
    written = (
        select(
            start_month,
            cancel,
            *dims,
            func.count(),
            func.sum(fen(P.c.premium)),
            func.sum(fen(P.c.sum_insured)),
            func.sum(fen(P.c.commission)),
        )
        .select_from(_joined(P))
        .where(*policies)
        .group_by(start_month, cancel, *dims)
    )
    target = ["month", "cancel_month", *names, "policies", "written", "sum_insured", "commission"]
    connection.execute(insert(CUBE).from_select(target, written))
    customers = (
        select(start_month, cancel, *dims, P.c.customer_id)
        .select_from(_joined(P))
        .where(*policies)
        .distinct()
    )
    target = ["month", "cancel_month", *names, "customer_id"]
    connection.execute(insert(CUBE_CUSTOMER).from_select(target, customers))
    _load_earned(connection, dims, names, policies)
    counted = CL.c.status.not_in([ClaimStatus.WITHDRAWN.value, ClaimStatus.DECLINED.value])
    loss_month = month_key(CL.c.loss_date)
    claims = (
        select(
            loss_month,
            *dims,
            func.count(),
            func.sum(fen(CL.c.paid)),
            func.sum(fen(CL.c.outstanding)),
        )
        .select_from(_joined(CL.join(P, P.c.id == CL.c.policy_id)))
        .where(CL.c.id > claim_after, CL.c.id <= upto.claim_max, counted)
        .group_by(loss_month, *dims)
    )
    connection.execute(
        insert(CUBE).from_select(["month", *names, "claims", "paid", "outstanding"], claims)
    )


def _load_earned(
    connection: Connection,
    dims: Sequence[ColumnElement[Any]],
    names: list[str],
    policies: list[ColumnElement[bool]],
) -> None:
    """One row per month of cover: earned-to-date at the month's end minus the month before."""
    start = earned_rules.day_number(P.c.start_date)
    end = earned_rules.day_number(P.c.end_date)
    last = case(
        (
            P.c.status == earned_rules.CANCELLED,
            earned_rules.least(
                end, func.coalesce(earned_rules.day_number(P.c.cancelled_on), start) - 1
            ),
        ),
        else_=end,
    )
    basis = (
        select(
            P.c.id.label("id"),
            start.label("s"),
            last.label("l"),
            earned_rules.greatest(end - start + 1, literal(1, BigInteger)).label("t"),
            fen(P.c.premium).label("p"),
            *(d.label(n) for d, n in zip(dims, names, strict=True)),
        )
        .select_from(_joined(P))
        .where(*policies)
        .subquery("basis")
    )

    def to_date(day: Any) -> Any:
        covered = earned_rules.greatest(
            earned_rules.least(day, basis.c.l) - basis.c.s + 1, literal(0, BigInteger)
        )
        return (2 * basis.c.p * covered + basis.c.t) // (2 * basis.c.t)

    increment = to_date(MONTHS.c.last_day) - to_date(MONTHS.c.first_day - 1)
    group = [MONTHS.c.month, *(basis.c[n] for n in names)]
    earned = (
        select(*group, func.sum(increment))
        .select_from(
            basis.join(
                MONTHS,
                and_(MONTHS.c.first_day <= basis.c.l, MONTHS.c.last_day >= basis.c.s),
            )
        )
        .group_by(*group)
    )
    connection.execute(insert(CUBE).from_select(["month", *names, "earned"], earned))
