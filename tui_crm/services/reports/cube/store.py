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

`report_cube_customer` keeps, per start month and cancellation month, the distinct
(dimension key, customer) pairs of written policies as a packed sorted array (the key's
dimensions in `report_cube_dims`), so distinct customer counts are exact — a union of the
period's pairs, never a sum of counts — and read in one go.

Freshness: `report_cube_state` records the largest policy and claim ids and the value of
the change counter `report_change.n` the cube was built from. Triggers bump the counter on
any UPDATE or DELETE of the columns the cube reads (policy, claim, customer, vehicle,
intermediary); new policies and claims (ids above those recorded) are added to the cube
incrementally; anything else rebuilds it (`reports.cube_load`).
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
    String,
    Table,
    func,
    insert,
    select,
    text,
)

from tui_crm.services.reports.engine.tables import CL, P

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
    Column("change", BigInteger, nullable=False),
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
    """Create the cube tables and the change triggers when missing (idempotent). Cube
    tables of another shape (an older layout) are derived data: dropped and recreated."""
    from sqlalchemy import inspect

    inspector = inspect(connection)
    for table in (CUBE, CUBE_DIMS, CUBE_CUSTOMER, STATE):
        if inspector.has_table(table.name):
            found = {c["name"] for c in inspector.get_columns(table.name)}
            if found != {c.name for c in table.c}:
                for stale in (STATE, CUBE_CUSTOMER, CUBE_DIMS, CUBE):
                    stale.drop(connection, checkfirst=True)
                break
    METADATA.create_all(connection, checkfirst=True)
    for table in (CUBE, CUBE_CUSTOMER):
        for index in table.indexes:
            index.create(connection, checkfirst=True)
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
    for watched, columns in WATCHED.items():
        _trigger(connection, watched, columns)


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
    """The cube tables exist in this layout (an older layout counts as none)."""
    from sqlalchemy import inspect

    inspector = inspect(connection)
    for table in (STATE, CUBE_CUSTOMER):
        if not inspector.has_table(table.name):
            return False
        if {c["name"] for c in inspector.get_columns(table.name)} != {c.name for c in table.c}:
            return False
    return _triggers(connection) == TRIGGERS[connection.dialect.name]


# Change triggers per dialect (SQLite: UPDATE and DELETE apart). A table dropped and made
# again (a demo book replaced) loses its triggers: the cube then counts as missing.
TRIGGERS = {"sqlite": 2 * len(WATCHED), "postgresql": len(WATCHED)}


def _triggers(connection: Connection) -> int:
    if connection.dialect.name == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p"
    else:
        # This book's schema only: another schema of the database has triggers of its own.
        query = (
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal AND t.tgname LIKE :p"
            " AND c.relnamespace = current_schema()::regnamespace"
        )
    return int(connection.execute(text(query), {"p": "report_change_%"}).scalar_one())


# --- freshness ------------------------------------------------------------------------


def current(connection: Connection) -> Signature:
    """Cheap: two index look-ups and one row."""
    policy_max = connection.execute(select(func.max(P.c.id))).scalar_one() or 0
    claim_max = connection.execute(select(func.max(CL.c.id))).scalar_one() or 0
    change = connection.execute(select(CHANGE.c.n).where(CHANGE.c.id == 1)).scalar_one()
    return Signature(int(policy_max), int(claim_max), int(change))


def built(connection: Connection) -> Signature | None:
    row = connection.execute(select(STATE).where(STATE.c.id == 1)).first()
    if row is None:
        return None
    return Signature(row.policy_max, row.claim_max, row.change)


def is_fresh(connection: Connection) -> bool:
    if not has_schema(connection):
        return False
    return built(connection) == current(connection)


@dataclass(frozen=True)
class Tables:
    cube: Table = CUBE
    dims: Table = CUBE_DIMS
    customer: Table = CUBE_CUSTOMER


def refresh(
    connection: Connection, *, full: bool = False, check: Callable[[], None] = lambda: None
) -> str:
    """Bring the cube up to date; returns "fresh", "incremental" or "rebuilt". `check` runs
    between the steps of a load and raises to stop it."""
    from tui_crm.services.reports.cube import load as cube_load

    ensure_schema(connection)
    if connection.dialect.name == "postgresql":  # one refresher at a time
        connection.execute(text("LOCK TABLE report_cube_state IN EXCLUSIVE MODE"))
    now = current(connection)
    then = built(connection)
    if then is not None and not full:
        if then == now:
            return "fresh"
        if then.change == now.change:
            cube_load.load(
                connection,
                Tables(),
                policy_after=then.policy_max,
                policy_max=now.policy_max,
                claim_after=then.claim_max,
                claim_max=now.claim_max,
                check=check,
            )
            _save(connection, now)
            return "incremental"
    for table in (CUBE, CUBE_CUSTOMER, CUBE_DIMS):
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
        insert(STATE).values(
            id=1,
            policy_max=signature.policy_max,
            claim_max=signature.claim_max,
            change=signature.change,
        )
    )
