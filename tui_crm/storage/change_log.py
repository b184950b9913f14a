"""The change log of derived data (`derived_change`), written by triggers on both dialects.

Every UPDATE that changes a column the derived data reads, and every DELETE, of a policy,
claim, customer, vehicle, intermediary, receivable or payment appends a row: the table,
the row's key, and the policy and customer it concerns (a policy moved to another customer
logs both). The refresh of the derived data (`services.reports.derived`) applies only
those rows and empties the log.

Why triggers rather than the write paths: every writer is caught — the screens, the CLI,
the nightly import, the demo loader and a hand-written SQL fix alike — and an UPDATE that
sets a column to the value it had (an idempotent re-import) logs nothing. INSERTs are not
logged: new rows have ids above those the derived data was built from, and the refresh
reads them by id range, so a bulk load of millions of rows pays nothing here.
"""

from dataclasses import dataclass

from sqlalchemy import Connection, text

PREFIX = "derived_change_"


@dataclass(frozen=True)
class Watched:
    table: str
    columns: str  # the columns derived data reads; a change of any of them is logged
    cube: str  # those the report cube reads ("*": all of them)
    policy: str  # SQL of the policy concerned, `{r}` standing for OLD or NEW
    customer: str  # SQL of the customer concerned


OF_POLICY = "(SELECT customer_id FROM policy WHERE id = {r}.policy_id)"
WATCHED = (
    Watched(
        "policy",
        "line_code customer_id vehicle_id unit_id account_manager_id intermediary_id channel "
        "start_date end_date sum_insured premium commission status cancelled_on renewal_of_id",
        "*",
        "{r}.id",
        "{r}.customer_id",
    ),
    Watched(
        "claim", "policy_id loss_date paid outstanding status", "*", "{r}.policy_id", OF_POLICY
    ),
    Watched(
        "customer",
        "kind industry ownership gender group_id unit_id customer_class birth_date",
        "kind industry ownership gender group_id",
        "NULL",
        "{r}.id",
    ),
    Watched("vehicle", "use first_registration seats make_model", "use", "NULL", "NULL"),
    Watched("intermediary", "kind", "kind", "NULL", "NULL"),
    Watched("receivable", "policy_id due_date amount paid_amount", "", "{r}.policy_id", OF_POLICY),
    Watched(
        "payment",
        "receivable_id paid_on amount",
        "",
        "(SELECT policy_id FROM receivable WHERE id = {r}.receivable_id)",
        "(SELECT p.customer_id FROM receivable r JOIN policy p ON p.id = r.policy_id"
        " WHERE r.id = {r}.receivable_id)",
    ),
)


def _changed(columns: str, same: str) -> str:
    """SQL true when any of `columns` differs between OLD and NEW."""
    return " OR ".join(f'OLD."{c}" {same} NEW."{c}"' for c in columns.split()) or "FALSE"


INSERT = "INSERT INTO derived_change (table_name, row_id, policy_id, customer_id, cube) "


def _values(watched: Watched, record: str, cube: str) -> str:
    return (
        f"'{watched.table}', {record}.id, {watched.policy.format(r=record)}, "
        f"{watched.customer.format(r=record)}, {cube}"
    )


def _insert(watched: Watched, record: str, cube: str) -> str:
    return f"{INSERT}VALUES ({_values(watched, record, cube)})"


def _cube_flag(watched: Watched, dialect: str) -> str:
    if watched.cube == "*":
        return "1"
    if not watched.cube:
        return "0"
    differs = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    return f"CASE WHEN {_changed(watched.cube, differs)} THEN 1 ELSE 0 END"


def _moved(watched: Watched) -> str | None:
    """The column whose change moves the row to another policy/customer (the old one is
    logged as well)."""
    return {"policy": "customer_id", "claim": "policy_id", "receivable": "policy_id"}.get(
        watched.table
    )


def _sqlite(watched: Watched) -> list[str]:
    name = f"{PREFIX}{watched.table}"
    moved = _moved(watched)
    also_old = (
        f"{INSERT}SELECT {_values(watched, 'OLD', _cube_flag(watched, 'sqlite'))} "
        f'WHERE OLD."{moved}" IS NOT NEW."{moved}";'
        if moved
        else ""
    )
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name}_u AFTER UPDATE ON {watched.table} "
        f"WHEN {_changed(watched.columns, 'IS NOT')} BEGIN "
        f"{_insert(watched, 'NEW', _cube_flag(watched, 'sqlite'))}; {also_old} END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_d AFTER DELETE ON {watched.table} BEGIN "
        f"{_insert(watched, 'OLD', '1' if watched.cube else '0')}; END",
    ]


def _postgresql(watched: Watched) -> list[str]:
    name = f"{PREFIX}{watched.table}"
    moved = _moved(watched)
    also_old = (
        f'IF OLD."{moved}" IS DISTINCT FROM NEW."{moved}" THEN '
        f"{_insert(watched, 'OLD', _cube_flag(watched, 'postgresql'))}; END IF; "
        if moved
        else ""
    )
    function = (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP = 'DELETE' THEN {_insert(watched, 'OLD', '1' if watched.cube else '0')}; "
        "RETURN NULL; END IF; "
        f"IF NOT ({_changed(watched.columns, 'IS DISTINCT FROM')}) THEN RETURN NULL; END IF; "
        f"{_insert(watched, 'NEW', _cube_flag(watched, 'postgresql'))}; {also_old}"
        "RETURN NULL; END; $$ LANGUAGE plpgsql"
    )
    return [
        function,
        f"DROP TRIGGER IF EXISTS {name} ON {watched.table}",
        f"CREATE TRIGGER {name} AFTER UPDATE OR DELETE ON {watched.table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def ddl(dialect: str) -> list[str]:
    """The statements creating the triggers (idempotent)."""
    make = _sqlite if dialect == "sqlite" else _postgresql
    return [statement for watched in WATCHED for statement in make(watched)]


TRIGGERS = {"sqlite": 2 * len(WATCHED), "postgresql": len(WATCHED)}


def install(connection: Connection) -> None:
    """Create the log's triggers when missing (the table comes with the models)."""
    for statement in ddl(connection.dialect.name):
        connection.execute(text(statement))


def installed(connection: Connection) -> bool:
    """Every trigger is in place (a table dropped and made again loses its triggers)."""
    if connection.dialect.name == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p"
    else:
        # This book's schema only: another schema of the database has triggers of its own.
        query = (
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal AND t.tgname LIKE :p"
            " AND c.relnamespace = current_schema()::regnamespace"
        )
    found = connection.execute(text(query), {"p": f"{PREFIX}%"}).scalar_one()
    return int(found) == TRIGGERS[connection.dialect.name]


def pending(connection: Connection) -> bool:
    """Changes wait in the log (one index probe)."""
    return connection.execute(text("SELECT 1 FROM derived_change LIMIT 1")).first() is not None
