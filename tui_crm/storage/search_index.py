"""Search objects that the models cannot express, per dialect, plus audit-log protection.

SQLite: an FTS5 trigram table over customer names and addresses, kept in sync by triggers.
PostgreSQL: pg_trgm GIN indexes on the same text. Both: triggers that refuse UPDATE and
DELETE on audit_log (append-only).
"""

from sqlalchemy import Connection, text

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS customer_fts_ai AFTER INSERT ON customer BEGIN
        INSERT INTO customer_fts(rowid, name, address) VALUES (new.id, new.name, '');
    END""",
    """CREATE TRIGGER IF NOT EXISTS customer_fts_au AFTER UPDATE OF name ON customer BEGIN
        UPDATE customer_fts SET name = new.name WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS customer_fts_ad AFTER DELETE ON customer BEGIN
        DELETE FROM customer_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS contact_fts_ai AFTER INSERT ON contact
        WHEN new.kind = 'address' BEGIN
        UPDATE customer_fts SET address = (SELECT group_concat(value, ' ') FROM contact
            WHERE customer_id = new.customer_id AND kind = 'address')
        WHERE rowid = new.customer_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS contact_fts_au AFTER UPDATE ON contact
        WHEN new.kind = 'address' OR old.kind = 'address' BEGIN
        UPDATE customer_fts SET address = coalesce((SELECT group_concat(value, ' ')
            FROM contact WHERE customer_id = new.customer_id AND kind = 'address'), '')
        WHERE rowid = new.customer_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS contact_fts_ad AFTER DELETE ON contact
        WHEN old.kind = 'address' BEGIN
        UPDATE customer_fts SET address = coalesce((SELECT group_concat(value, ' ')
            FROM contact WHERE customer_id = old.customer_id AND kind = 'address'), '')
        WHERE rowid = old.customer_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
    END""",
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
    END""",
]
SQLITE_FTS_TRIGGER_NAMES = [
    "customer_fts_ai",
    "customer_fts_au",
    "customer_fts_ad",
    "contact_fts_ai",
    "contact_fts_au",
    "contact_fts_ad",
]

# Kept verbatim in schema.sql after the generated DDL.
POSTGRESQL_SEARCH_DDL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_customer_name_trgm ON customer USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_contact_address_trgm ON contact USING gin (value gin_trgm_ops)"
    " WHERE kind = 'address'",
    """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log"
    " FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
]


def install(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS customer_fts USING fts5("
                "name, address, tokenize='trigram')"
            )
        )
        for statement in SQLITE_TRIGGERS:
            connection.execute(text(statement))
    else:
        for statement in POSTGRESQL_SEARCH_DDL:
            connection.execute(text(statement))


def uninstall(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.execute(text("DROP TABLE IF EXISTS customer_fts"))
    else:
        connection.execute(text("DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE"))


def suspend_fts_triggers(connection: Connection) -> None:
    """Bulk loads drop the per-row FTS triggers and call `rebuild_fts` afterwards."""
    if connection.dialect.name == "sqlite":
        for name in SQLITE_FTS_TRIGGER_NAMES:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def rebuild_fts(connection: Connection) -> None:
    """Refill the FTS table from the base tables and reinstall its triggers (SQLite only)."""
    if connection.dialect.name != "sqlite":
        return
    connection.execute(text("DELETE FROM customer_fts"))
    connection.execute(
        text(
            "INSERT INTO customer_fts(rowid, name, address) "
            "SELECT c.id, c.name, coalesce(a.address, '') FROM customer c LEFT JOIN "
            "(SELECT customer_id, group_concat(value, ' ') AS address FROM contact "
            "WHERE kind = 'address' GROUP BY customer_id) a ON a.customer_id = c.id "
            # rowid order keeps FTS5 appending instead of reshuffling its b-tree at scale
            "ORDER BY c.id"
        )
    )
    for statement in SQLITE_TRIGGERS:
        connection.execute(text(statement))
