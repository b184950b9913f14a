"""The report cube: policy and claim measures pre-aggregated by month, kept fresh.

`report_cube` holds one row per cell: month × cancellation month × dimension key (the
unit, line, channel, customer kind, industry, ownership, gender, vehicle use,
intermediary and its kind, account manager and group it stands for, kept in
`report_cube_dims` and repeated in the row for the reports' filters). Three kinds of
figures share a cell, so every figure is a plain SUM:

- written business (the policy's start month; `cancel_month` = yyyymm of `cancelled_on`,
  0 for a cancellation without date, -1 when not cancelled): policies, written, sum
  insured, commission;
- earned premium, in every month of cover (`cancel_month` -1): the premium earned in that
  month. Each policy's earned-to-date at a month's end is rounded to the fen (1/365
  method, `services.earned`); a month's earned is the difference with the month before,
  so the months of a policy add up exactly to its earned premium, and a period of whole
  months earns, per policy, its earned-to-date at the period's end minus that at the day
  before it starts;
- claims (the loss month, claims that count, `cancel_month` -1): claims, paid,
  outstanding.

A cell is unique (`ux_report_cube_cell`) and never all zero: a refresh adds its delta to
the cells in place and deletes those it empties (`reports.cube.cells`).

`report_cube_customer` keeps, per start month and cancellation month, the distinct
(dimension key, customer) pairs of written policies as a packed sorted array (the key's
dimensions in `report_cube_dims`), so distinct customer counts are exact — a union of the
period's pairs, never a sum of counts — and read in one go.

`report_cube_policy` and `report_cube_claim` keep what each policy and each counted claim
added to the cube (its dimension key, day numbers and fen), so a changed row can be taken
out exactly and put back with its new values (`reports.cube.apply`).

Freshness: `report_cube_state` records the largest policy and claim ids the cube was built
from; it is fresh when those are still the largest and the change log (`derived_change`,
written by triggers, `storage.change_log`) is empty. New policies and claims (ids above
those recorded) are added; logged changes are applied row by row; a missing cube or a
log too large rebuilds it (`reports.cube.load`, `reports.derived`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    func,
    insert,
    select,
    text,
)

from tui_crm.services.reports.cube.layout import DIMENSIONS, MEASURES
from tui_crm.services.reports.engine.tables import CL, P
from tui_crm.storage import change_log

METADATA = MetaData()


def _dimension_columns() -> list[Column[Any]]:
    return [Column(name, kind) for name, kind in DIMENSIONS]


CUBE = Table(
    "report_cube",
    METADATA,
    Column("month", Integer, nullable=False),
    Column("cancel_month", Integer, nullable=False),  # -1: not cancelled
    Column("dim_key", Integer, nullable=False),  # the dimensions' key (`report_cube_dims`)
    *_dimension_columns(),
    *(Column(name, BigInteger, nullable=False, server_default="0") for name in MEASURES),
    Index("ix_report_cube_month", "month"),
    Index("ux_report_cube_cell", "dim_key", "month", "cancel_month", unique=True),
)
# The cube summed over everything but month, cancellation month, unit, line and channel:
# ~85,000 rows instead of ~4.7M on the 1M book, for the many reports that group and filter
# by those alone (`reports.cube.cells` keeps it with the cube).
SUMMARY = Table(
    "report_cube_summary",
    METADATA,
    Column("month", Integer, nullable=False),
    Column("cancel_month", Integer, nullable=False),
    *(Column(name, kind, nullable=False) for name, kind in DIMENSIONS[:3]),
    *(Column(name, BigInteger, nullable=False, server_default="0") for name in MEASURES),
    Index(
        "ux_report_cube_summary_cell",
        "month",
        "cancel_month",
        "unit_id",
        "line_code",
        "channel",
        unique=True,
    ),
)
CUBE_DIMS = Table(
    "report_cube_dims",
    METADATA,
    Column("dim_key", Integer, primary_key=True, autoincrement=False),
    *_dimension_columns(),
)
CUBE_CUSTOMER = Table(
    "report_cube_customer",
    METADATA,
    Column("month", Integer, nullable=False),
    Column("cancel_month", Integer),
    # sorted little-endian int64s: dimension key << 32 | customer id
    Column("pairs", LargeBinary, nullable=False),
    Index("ix_report_cube_customer_month", "month"),
)
STATE = Table(
    "report_cube_state",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("policy_max", BigInteger, nullable=False),
    Column("claim_max", BigInteger, nullable=False),
)
# What each policy added: its key, start/end/cancellation days, cancelled flag and fen.
CUBE_POLICY = Table(
    "report_cube_policy",
    METADATA,
    Column("policy_id", BigInteger, primary_key=True, autoincrement=False),
    Column("dim_key", Integer, nullable=False),
    Column("s", Integer, nullable=False),
    Column("e", Integer, nullable=False),
    Column("cancelled", Integer, nullable=False),
    Column("c", Integer),
    Column("premium", BigInteger, nullable=False),
    Column("sum_insured", BigInteger, nullable=False),
    Column("commission", BigInteger, nullable=False),
    Column("customer_id", BigInteger, nullable=False),
    Index("ix_report_cube_policy_customer", "customer_id"),
)
# What each counted claim added: its loss month, key and fen.
CUBE_CLAIM = Table(
    "report_cube_claim",
    METADATA,
    Column("claim_id", BigInteger, primary_key=True, autoincrement=False),
    Column("policy_id", BigInteger, nullable=False),
    Column("month", Integer, nullable=False),
    Column("dim_key", Integer, nullable=False),
    Column("paid", BigInteger, nullable=False),
    Column("outstanding", BigInteger, nullable=False),
    Index("ix_report_cube_claim_policy", "policy_id"),
)
TABLES = (CUBE, SUMMARY, CUBE_DIMS, CUBE_CUSTOMER, STATE, CUBE_POLICY, CUBE_CLAIM)
# The change counters and their triggers that came before the change log.
RETIRED_TRIGGERS = {
    "report_change_": ("policy", "claim", "customer", "vehicle", "intermediary"),
    "report_facts_change_": ("policy", "customer", "vehicle", "receivable"),
}


@dataclass(frozen=True)
class Signature:
    policy_max: int
    claim_max: int


# --- schema ---------------------------------------------------------------------------


def ensure_schema(connection: Connection) -> None:
    """Create the cube tables when missing (idempotent). Cube tables of another shape (an
    older layout) are derived data: dropped and recreated."""
    from sqlalchemy import inspect

    retire_counters(connection)
    inspector = inspect(connection)
    present = [table for table in TABLES if inspector.has_table(table.name)]
    # A table missing beside the others (one added by a later release) is another layout.
    other_layout = present and len(present) != len(TABLES)
    for table in present:
        if {c["name"] for c in inspector.get_columns(table.name)} != {c.name for c in table.c}:
            other_layout = True
    if other_layout:
        for stale in reversed(TABLES):
            stale.drop(connection, checkfirst=True)
    METADATA.create_all(connection, checkfirst=True)
    for table in TABLES:
        for index in table.indexes:
            index.create(connection, checkfirst=True)
    change_log.install(connection)


def retire_counters(connection: Connection) -> None:
    """Drop the change counters' triggers and table of earlier versions (the change log
    replaces them)."""
    sqlite = connection.dialect.name == "sqlite"
    for prefix, tables in RETIRED_TRIGGERS.items():
        for table in tables:
            if sqlite:
                for suffix in ("", "_update", "_delete"):
                    connection.execute(text(f"DROP TRIGGER IF EXISTS {prefix}{table}{suffix}"))
            else:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {prefix}{table} ON {table}"))
    connection.execute(text("DROP TABLE IF EXISTS report_change"))


def has_schema(connection: Connection) -> bool:
    """The cube tables exist in this layout (an older layout counts as none) and the
    change log's triggers are in place."""
    from sqlalchemy import inspect

    inspector = inspect(connection)
    for table in TABLES:
        if not inspector.has_table(table.name):
            return False
        if {c["name"] for c in inspector.get_columns(table.name)} != {c.name for c in table.c}:
            return False
    return change_log.installed(connection)


# --- freshness ------------------------------------------------------------------------


def current(connection: Connection) -> Signature:
    """Cheap: two index look-ups and one row."""
    policy_max = connection.execute(select(func.max(P.c.id))).scalar_one() or 0
    claim_max = connection.execute(select(func.max(CL.c.id))).scalar_one() or 0
    return Signature(int(policy_max), int(claim_max))


def built(connection: Connection) -> Signature | None:
    row = connection.execute(select(STATE).where(STATE.c.id == 1)).first()
    if row is None:
        return None
    return Signature(row.policy_max, row.claim_max)


def is_fresh(connection: Connection) -> bool:
    if not has_schema(connection):
        return False
    return built(connection) == current(connection) and not change_log.pending(connection)


@dataclass(frozen=True)
class Tables:
    cube: Table = CUBE
    summary: Table = SUMMARY
    dims: Table = CUBE_DIMS
    customer: Table = CUBE_CUSTOMER
    policy: Table = CUBE_POLICY
    claim: Table = CUBE_CLAIM


def refresh(
    connection: Connection,
    *,
    full: bool = False,
    changes: Any = None,
    check: Callable[[], None] = lambda: None,
) -> str:
    """Bring the cube up to date; returns "fresh", "incremental" or "rebuilt". `changes`
    (`reports.derived.Changes`) are the logged changes to apply; None rebuilds when any
    row was changed. `check` runs between the steps of a load and raises to stop it."""
    from tui_crm.services.reports.cube import apply as cube_apply
    from tui_crm.services.reports.cube import load as cube_load

    ensure_schema(connection)
    if connection.dialect.name == "postgresql":  # one refresher at a time
        connection.execute(text("LOCK TABLE report_cube_state IN EXCLUSIVE MODE"))
    now = current(connection)
    then = built(connection)
    if then is not None and changes is None and change_log.pending(connection):
        then = None  # changes logged, and none given to apply
    if then is not None and not full:
        if then == now and (changes is None or changes.empty):
            return "fresh"
        keys = None
        if changes is not None and not changes.empty:
            check()
            keys = cube_apply.apply(
                connection,
                Tables(),
                changes.policies,
                changes.claims,
                policy_max=then.policy_max,
                claim_max=then.claim_max,
            )
        cube_load.load(
            connection,
            Tables(),
            policy_after=then.policy_max,
            policy_max=now.policy_max,
            claim_after=then.claim_max,
            claim_max=now.claim_max,
            check=check,
            keys=keys,
        )
        _save(connection, now)
        return "incremental"
    for table in (CUBE, SUMMARY, CUBE_CUSTOMER, CUBE_DIMS, CUBE_POLICY, CUBE_CLAIM):
        connection.execute(table.delete())
    cube_load.load(
        connection,
        Tables(),
        policy_after=0,
        policy_max=now.policy_max,
        claim_after=0,
        claim_max=now.claim_max,
        check=check,
    )
    _save(connection, now)
    return "rebuilt"


def _save(connection: Connection, signature: Signature) -> None:
    connection.execute(STATE.delete())
    connection.execute(
        insert(STATE).values(id=1, policy_max=signature.policy_max, claim_max=signature.claim_max)
    )
