"""Customer facts: the policy, claim and customer figures the customer-level views need,
kept as compact packed columns, fresh exactly like the report cube (`reports.cube`).

The customer-level views (customer ranking, loyalty, traits and loss ratio, the
account managers' renewal split, the year-by-year customer counts) work per customer or
per policy: a per-customer GROUP BY over the policies spends its time evaluating
per-policy date and CASE expressions over all of them, and a table of customer × month
rows would hold tens of millions of rows. Instead every policy is kept once, as integers
(day numbers, fen, small codes), in columns packed by chunks of ids:

- policies: id, customer, unit, line, channel, vehicle use, account manager, start and
  end day, cancelled flag and day, renewal of, premium, sum insured, commission;
- claims that count (not withdrawn or declined): customer, the policy's unit, line,
  channel, vehicle use and manager, loss day, paid, outstanding;
- customers: id, unit, kind, gender, industry, ownership, class, birth year.

Text values are small codes (`report_facts_part` rows of part "vocab" hold their values).
A view reads the columns once per run and computes with numpy the same integer
arithmetic its SQL does (`reports.customer_facts_query`), for whole-month periods.

Freshness: `report_facts_state` records the largest policy, claim and customer ids and
both change counters it was built from — the cube's (`report_change` row 1) and row 2,
which triggers bump on the further columns these facts read (a policy's renewal, a
customer's unit, class and birth date). New policies and claims are added as new chunks;
any other change rebuilds (`reports.customer_facts_load`).
"""

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
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

from tui_crm.services.reports.cube import CHANGE
from tui_crm.services.reports.tables import CL, P

METADATA = MetaData()
PART = Table(
    "report_facts_part",
    METADATA,
    Column("part", String(12), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("name", String(20), nullable=False),
    Column("data", LargeBinary, nullable=False),
)
STATE = Table(
    "report_facts_state",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("policy_max", BigInteger, nullable=False),
    Column("claim_max", BigInteger, nullable=False),
    Column("customer_max", BigInteger, nullable=False),
    Column("change", BigInteger, nullable=False),
    Column("facts_change", BigInteger, nullable=False),
)
COUNTER = 2  # the row of `report_change` these facts' own triggers bump
# Columns read here beyond those the cube watches (its triggers bump row 1).
WATCHED = {
    "policy": "renewal_of_id",
    "customer": "unit_id customer_class birth_date",
}
TRIGGER_PREFIX = "report_facts_change_"
VOCABULARIES = ("line", "channel", "use", "kind", "gender", "industry", "ownership", "klass")


@dataclass(frozen=True)
class Signature:
    policy_max: int
    claim_max: int
    change: int
    facts_change: int


@dataclass
class Facts:
    """The packed columns of one build, read for a report run."""

    policy: dict[str, np.ndarray]
    claim: dict[str, np.ndarray]
    customer: dict[str, np.ndarray]  # indexed by customer id (see `by_id`)
    vocab: dict[str, list[Any]]
    _codes: dict[str, dict[Any, int]] = field(default_factory=dict)

    def code(self, name: str, value: Any) -> int:
        """The code of a text value (-1 when no row holds it)."""
        if name not in self._codes:
            self._codes[name] = {v: i for i, v in enumerate(self.vocab[name])}
        return self._codes[name].get(value, -1)


# --- schema ---------------------------------------------------------------------------


def ensure_schema(connection: Connection) -> None:
    """Create the tables, the counter row and the triggers when missing (idempotent)."""
    from sqlalchemy import inspect

    inspector = inspect(connection)
    for table in (PART, STATE):
        if inspector.has_table(table.name):
            found = {c["name"] for c in inspector.get_columns(table.name)}
            if found != {c.name for c in table.c}:
                STATE.drop(connection, checkfirst=True)
                PART.drop(connection, checkfirst=True)
                break
    METADATA.create_all(connection, checkfirst=True)
    present = connection.execute(select(CHANGE.c.id).where(CHANGE.c.id == COUNTER)).first()
    if present is None:
        connection.execute(insert(CHANGE).values(id=COUNTER, n=0))
    bump = f"UPDATE report_change SET n = n + 1 WHERE id = {COUNTER}"
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "CREATE OR REPLACE FUNCTION report_facts_bump() RETURNS trigger AS $$ "
                f"BEGIN {bump}; RETURN NULL; END; $$ LANGUAGE plpgsql"
            )
        )
    for watched, columns in WATCHED.items():
        update_of = ", ".join(f'"{c}"' for c in columns.split())
        name = f"{TRIGGER_PREFIX}{watched}"
        if connection.dialect.name == "sqlite":
            connection.execute(
                text(
                    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER UPDATE OF {update_of} "
                    f"ON {watched} BEGIN {bump}; END"
                )
            )
            continue
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {watched}"))
        connection.execute(
            text(
                f"CREATE TRIGGER {name} AFTER UPDATE OF {update_of} ON {watched} "
                "FOR EACH STATEMENT EXECUTE FUNCTION report_facts_bump()"
            )
        )


def has_schema(connection: Connection) -> bool:
    from sqlalchemy import inspect

    inspector = inspect(connection)
    for table in (PART, STATE):
        if not inspector.has_table(table.name):
            return False
        if {c["name"] for c in inspector.get_columns(table.name)} != {c.name for c in table.c}:
            return False
    if connection.dialect.name == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p"
    else:
        query = "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE :p"
    found = connection.execute(text(query), {"p": f"{TRIGGER_PREFIX}%"}).scalar_one()
    return int(found) == len(WATCHED)


# --- freshness ------------------------------------------------------------------------


def current(connection: Connection) -> Signature:
    policy_max = connection.execute(select(func.max(P.c.id))).scalar_one() or 0
    claim_max = connection.execute(select(func.max(CL.c.id))).scalar_one() or 0
    counters = {int(r[0]): int(r[1]) for r in connection.execute(select(CHANGE.c.id, CHANGE.c.n))}
    return Signature(
        int(policy_max), int(claim_max), int(counters.get(1, 0)), int(counters.get(COUNTER, 0))
    )


def built(connection: Connection) -> tuple[Signature, int] | None:
    """The signature the facts were built from, and the largest customer id they hold."""
    row = connection.execute(select(STATE).where(STATE.c.id == 1)).first()
    if row is None:
        return None
    return Signature(row.policy_max, row.claim_max, row.change, row.facts_change), int(
        row.customer_max
    )


def is_fresh(connection: Connection) -> bool:
    if not has_schema(connection):
        return False
    found = built(connection)
    return found is not None and found[0] == current(connection)


def refresh(connection: Connection, *, full: bool = False, progress: Any = None) -> str:
    """Bring the facts up to date; returns "fresh", "incremental" or "rebuilt"."""
    from tui_crm.services.reports import customer_facts_load as load

    ensure_schema(connection)
    now = current(connection)
    found = None if full else built(connection)
    if found is not None:
        then, customer_max = found
        if then == now:
            return "fresh"
        if (then.change, then.facts_change) == (now.change, now.facts_change):
            customer_max = load.load(
                connection,
                policy_after=then.policy_max,
                policy_max=now.policy_max,
                claim_after=then.claim_max,
                claim_max=now.claim_max,
                customer_after=customer_max,
                progress=progress,
            )
            _save(connection, now, customer_max)
            return "incremental"
    connection.execute(PART.delete())
    customer_max = load.load(
        connection,
        policy_after=0,
        policy_max=now.policy_max,
        claim_after=0,
        claim_max=now.claim_max,
        customer_after=0,
        progress=progress,
    )
    _save(connection, now, customer_max)
    return "rebuilt"


def _save(connection: Connection, signature: Signature, customer_max: int) -> None:
    connection.execute(STATE.delete())
    connection.execute(
        insert(STATE).values(
            id=1,
            policy_max=signature.policy_max,
            claim_max=signature.claim_max,
            customer_max=customer_max,
            change=signature.change,
            facts_change=signature.facts_change,
        )
    )


# --- reading --------------------------------------------------------------------------

DTYPES = {
    "id": "<i4",
    "customer": "<i4",
    "unit": "<i4",
    "line": "<i2",
    "channel": "<i2",
    "use": "<i2",
    "manager": "<i4",
    "s": "<i4",
    "e": "<i4",
    "cancelled": "<i1",
    "c": "<i4",
    "renewal_of": "<i4",
    "premium": "<i8",
    "sum_insured": "<i8",
    "commission": "<i8",
    "loss": "<i4",
    "paid": "<i8",
    "outstanding": "<i8",
    "kind": "<i2",
    "gender": "<i2",
    "industry": "<i2",
    "ownership": "<i2",
    "klass": "<i2",
    "birth_year": "<i4",
}


POLICY_COLUMNS = "id customer unit line channel use manager s e cancelled c renewal_of"
CLAIM_COLUMNS = "customer unit line channel use manager loss paid outstanding"
COLUMNS = {
    "policy": [*POLICY_COLUMNS.split(), "premium", "sum_insured", "commission"],
    "claim": CLAIM_COLUMNS.split(),
    "customer": ["id", "unit", "kind", "gender", "industry", "ownership", "klass", "birth_year"],
}
NO_DAY = -(2**31)  # a cancellation without a date


def read(connection: Connection) -> Facts:
    """Every packed column, concatenated in id order."""
    pieces: dict[str, dict[str, list[bytes]]] = {}
    vocab: dict[str, list[Any]] = {name: [None] for name in VOCABULARIES}
    rows = connection.execute(
        select(PART.c.part, PART.c.name, PART.c.data).order_by(PART.c.part, PART.c.seq)
    )
    for part, name, data in rows:
        if part == "vocab":
            vocab[name] = json.loads(bytes(data).decode("utf-8"))
        else:
            pieces.setdefault(part, {}).setdefault(name, []).append(bytes(data))

    def columns(part: str) -> dict[str, np.ndarray]:
        found = pieces.get(part, {})
        return {
            name: np.frombuffer(b"".join(found.get(name, [])), dtype=DTYPES[name])
            for name in COLUMNS[part]
        }

    customers = columns("customer")
    ids = customers.get("id", np.zeros(0, dtype=np.int32))
    top = int(ids.max()) if len(ids) else 0
    by_id: dict[str, np.ndarray] = {}
    for name, values in customers.items():
        if name != "id":
            spread = np.zeros(top + 1, dtype=values.dtype)
            spread[ids] = values
            by_id[name] = spread
    return Facts(columns("policy"), columns("claim"), by_id, vocab)
