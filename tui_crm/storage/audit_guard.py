"""Keeping the audit log append-only and its hash chain in place, in the database itself.

SQLite: `INSERT OR REPLACE` deletes the row it replaces without firing DELETE triggers
(unless recursive_triggers is on), so an insert naming an existing id is refused.
PostgreSQL: TRUNCATE fires no row trigger; a statement trigger refuses it (the app role
owns the table here, so a REVOKE would not hold).
Databases made before the chain get its columns and tip row; the chain starts at the
first row written after that (older rows keep NULL hashes).
"""

from sqlalchemy import Connection, inspect, text

SQLITE_AUDIT_DDL = [
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_replace BEFORE INSERT ON audit_log
    WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
    END""",
]

# Kept verbatim in schema.sql after the generated DDL (the function is created with the
# UPDATE/DELETE trigger of the search objects).
POSTGRESQL_AUDIT_DDL = [
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
]


def install(connection: Connection) -> None:
    columns = {c["name"] for c in inspect(connection).get_columns("audit_log")}
    for name in ("prev_hash", "row_hash"):
        if name not in columns:  # a database made before the hash chain
            connection.execute(text(f"ALTER TABLE audit_log ADD COLUMN {name} VARCHAR(64)"))
    statements = SQLITE_AUDIT_DDL if connection.dialect.name == "sqlite" else POSTGRESQL_AUDIT_DDL
    for statement in statements:
        connection.execute(text(statement))
    if connection.execute(text("SELECT 1 FROM audit_chain WHERE id = 1")).first() is None:
        connection.execute(text("INSERT INTO audit_chain (id, rows) VALUES (1, 0)"))
