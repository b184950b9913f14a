"""Customer facts: the policy, claim and customer figures the customer-level views need,
kept as compact packed columns, fresh exactly like the report cube (`reports.cube`).

The customer-level views (customer ranking, loyalty, traits and loss ratio, the
account managers' renewal split, the year-by-year customer counts) work per customer or
per policy: a per-customer GROUP BY over the policies spends its time evaluating
per-policy date and CASE expressions over all of them, and a table of customer × month
rows would hold tens of millions of rows. Instead every policy is kept once, as integers
(day numbers, fen, small codes), in columns packed by chunks of ids:

- policies: id, customer, unit, line, channel, vehicle use, account manager, start and
  end day, cancelled flag and day, renewal of, premium, sum insured, commission, the
  vehicle's first registration year, seats and make/model;
- claims that count (not withdrawn or declined): customer, the policy's unit, line,
  channel, vehicle use, manager, vehicle registration year, seats and make/model, loss
  day, paid, outstanding;
- receivables: the policy's customer, unit, line, channel, start day and cancellation,
  due day, amount, paid amount;
- customers: id, unit, kind, gender, industry, ownership, class, birth year.

Text values are small codes (`report_facts_part` rows of part "vocab" hold their values).
A view reads the columns once per run and computes with numpy the same integer
arithmetic its SQL does (`reports.customer_facts_query`), for whole-month periods.

Freshness: `report_facts_state` records the largest policy, claim, receivable and customer
ids the facts were built from; they are fresh when those are still the largest and the
change log (`derived_change`, `storage.change_log`) is empty. New rows are added as new
chunks; the rows of the customers a logged change concerns are marked dead in their chunks
(a part row named `_dead`: the sorted positions of the dead rows in that chunk) and read
again into a new chunk (`reports.customer_facts_apply`). `FORMAT` numbers the layout of
the columns: facts of another layout are rebuilt.
"""

from dataclasses import dataclass, fields

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
    select,
    text,
)

from tui_crm.services.reports.engine.tables import CL, P, R
from tui_crm.storage import change_log

METADATA = MetaData()
PART = Table(
    "report_facts_part",
    METADATA,
    Column("part", String(12), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("name", String(20), nullable=False),
    Column("dtype", String(4), nullable=False),  # numpy's, e.g. "<i4"
    Column("data", LargeBinary, nullable=False),
    Index("ix_report_facts_part", "part", "name", "seq"),
)
STATE = Table(
    "report_facts_state",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("policy_max", BigInteger, nullable=False),
    Column("claim_max", BigInteger, nullable=False),
    Column("receivable_max", BigInteger, nullable=False),
    Column("customer_max", BigInteger, nullable=False),
    Column("format", Integer, nullable=False),
)
FORMAT = 4  # the layout of the columns below
DEAD = "_dead"  # the part row holding the positions of the dead rows of a chunk
VOCABULARIES = (
    "line",
    "channel",
    "use",
    "kind",
    "gender",
    "industry",
    "ownership",
    "klass",
    "make",
)
POLICY_COLUMNS = "id customer unit line channel use manager s e cancelled c renewal_of"
CLAIM_COLUMNS = "customer unit line channel use manager reg_year seats make loss paid outstanding"
RECEIVABLE_COLUMNS = "customer unit line channel s cancelled c due amount paid_amount"
COLUMNS = {
    "policy": [
        *POLICY_COLUMNS.split(),
        "premium",
        "sum_insured",
        "commission",
        "reg_year",
        "seats",
        "make",
    ],
    "claim": CLAIM_COLUMNS.split(),
    "receivable": RECEIVABLE_COLUMNS.split(),
    "customer": ["id", "unit", "kind", "gender", "industry", "ownership", "klass", "birth_year"],
}
MONEY = ("premium", "sum_insured", "commission", "paid", "outstanding", "amount", "paid_amount")
NO_DAY = -(2**31)  # a cancellation without a date
NO_SEATS = -1  # a policy without a vehicle, or a vehicle without seats (no year: 0)


@dataclass(frozen=True)
class Signature:
    policy_max: int
    claim_max: int
    receivable_max: int


# --- schema ---------------------------------------------------------------------------


def ensure_schema(connection: Connection) -> None:
    """Create the tables when missing (idempotent); facts of another shape are dropped."""
    from sqlalchemy import inspect

    inspector = inspect(connection)
    for table in (PART, STATE):
        if inspector.has_table(table.name):
            found = {c["name"] for c in inspector.get_columns(table.name)}
            if found != {c.name for c in table.c}:
                STATE.drop(connection, checkfirst=True)
                PART.drop(connection, checkfirst=True)
                break
    created = not inspect(connection).has_table(PART.name)
    METADATA.create_all(connection, checkfirst=True)
    if created and connection.dialect.name == "postgresql":  # packed integers: no TOAST
        storage = "ALTER TABLE report_facts_part ALTER COLUMN data SET STORAGE EXTERNAL"
        connection.execute(text(storage))
    for index in PART.indexes:
        index.create(connection, checkfirst=True)
    change_log.install(connection)


def has_schema(connection: Connection) -> bool:
    from sqlalchemy import inspect

    inspector = inspect(connection)
    for table in (PART, STATE):
        if not inspector.has_table(table.name):
            return False
        if {c["name"] for c in inspector.get_columns(table.name)} != {c.name for c in table.c}:
            return False
    return change_log.installed(connection)


# --- freshness ------------------------------------------------------------------------


def current(connection: Connection) -> Signature:
    top = {
        name: connection.execute(select(func.max(table.c.id))).scalar_one() or 0
        for name, table in (("policy", P), ("claim", CL), ("receivable", R))
    }
    return Signature(int(top["policy"]), int(top["claim"]), int(top["receivable"]))


def built(connection: Connection) -> tuple[Signature, int] | None:
    """The signature the facts were built from, and the largest customer id they hold
    (None when there are none, or of another layout)."""
    row = connection.execute(select(STATE).where(STATE.c.id == 1)).first()
    if row is None or int(row.format) != FORMAT:
        return None
    names = [f.name for f in fields(Signature)]
    return Signature(*(int(getattr(row, n)) for n in names)), int(row.customer_max)


def is_fresh(connection: Connection) -> bool:
    if not has_schema(connection):
        return False
    found = built(connection)
    if found is None or found[0] != current(connection):
        return False
    return not change_log.pending(connection)
