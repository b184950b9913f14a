"""baseline: the schema of the release before migrations

Every table of the models as that release created them, plus what the models cannot say:
the expression indexes, the search objects (FTS5 trigram table and its triggers on SQLite,
pg_trgm indexes on PostgreSQL), the triggers that keep audit_log append-only, and the
audit hash chain's tip row. Frozen: later changes are later revisions.

Revision ID: 0001
Revises:
Create Date: 2026-12-06 07:55:34.793072
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tui_crm.storage.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Creation order (parents first); the downgrade drops them in reverse.
TABLES = (
    "audit_chain",
    "book_meta",
    "catastrophe_event",
    "corporate_group",
    "org_unit",
    "product_line",
    "role_permission",
    "class_monthly_count",
    "intermediary",
    "staff_user",
    "audit_log",
    "classification_run",
    "customer",
    "rate_table",
    "sms_template",
    "threshold",
    "vehicle_price",
    "blacklist_nomination",
    "contact",
    "customer_class_history",
    "customer_unit_move",
    "rate_entry",
    "recent_view",
    "sms_message",
    "vehicle",
    "blacklist_entry",
    "blacklist_review",
    "customer_relation",
    "policy",
    "registry_vehicle",
    "claim",
    "receivable",
    "payment",
    "service_contact",
)

# Expression indexes: autogenerate cannot compare them, so they are written out here.
EXPRESSION_INDEXES = (
    ("ix_customer_name_last1", "customer", "substr(name, length(name))"),
    ("ix_customer_name_last2", "customer", "substr(name, length(name) - 1)"),
    ("ix_policy_no_tail", "policy", "substr(policy_no, length(policy_no) - 7)"),
    ("ix_claim_no_tail", "claim", "substr(claim_no, length(claim_no) - 7)"),
)

SQLITE_RAW = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS customer_fts USING fts5(name, address, tokenize='trigram')",
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
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_replace BEFORE INSERT ON audit_log
    WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
    END""",
)

POSTGRESQL_RAW = (
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
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
)


def upgrade() -> None:
    _create_tables_1()
    _create_tables_2()
    _create_tables_3()
    for name, table, expression in EXPRESSION_INDEXES:
        op.create_index(name, table, [sa.text(expression)])
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_RAW if sqlite else POSTGRESQL_RAW:
        op.execute(statement)
    op.execute("INSERT INTO audit_chain (id, rows) VALUES (1, 0)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS customer_fts")
    else:
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE")
    for table in reversed(TABLES):
        op.drop_table(table)


def _create_tables_1() -> None:
    """Tables audit_chain, book_meta, catastrophe_event, corporate_group, org_unit, product_line,
    role_permission, class_monthly_count, intermediary, staff_user, audit_log,
    classification_run, customer, rate_table, sms_template."""
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("last_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "book_meta",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "catastrophe_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("warned_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "corporate_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "org_unit",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_unit_code"), ["code"], unique=True)
        batch_op.create_index(batch_op.f("ix_org_unit_path"), ["path"], unique=False)
    op.create_table(
        "product_line",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("is_motor", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "role_permission",
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("permission", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.PrimaryKeyConstraint("role", "permission"),
    )
    op.create_table(
        "class_monthly_count",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("customer_class", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("month", "unit_id", "customer_class"),
    )
    op.create_table(
        "intermediary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("licence_no", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("commission_rate", tui_crm.storage.types.ScaledDecimal(6), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "staff_user",
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_user_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_user_username"), ["username"], unique=True)
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_username", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("before", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("after", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("row_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entity", ["entity", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
    op.create_table(
        "classification_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("rule_version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("started_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("host", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "customer",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("id_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("id_number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("gender", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
        sa.Column("industry", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("ownership", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("account_manager_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("parent_customer_id", sa.Integer(), nullable=True),
        sa.Column("intermediary_id", sa.Integer(), nullable=True),
        sa.Column("as_intermediary_id", sa.Integer(), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("intention_declared", sa.Boolean(), nullable=False),
        sa.Column("lapsed_to_competitor", sa.Boolean(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_number_rev", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("name_pinyin", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("name_initials", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("customer_class", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("class_reasons", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("class_rule_version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("flag_key", sa.Boolean(), nullable=False),
        sa.Column("flag_blacklist", sa.Boolean(), nullable=False),
        sa.Column("flag_renewal_due", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_manager_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["as_intermediary_id"],
            ["intermediary.id"],
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["corporate_group.id"],
        ),
        sa.ForeignKeyConstraint(
            ["intermediary_id"],
            ["intermediary.id"],
        ),
        sa.ForeignKeyConstraint(
            ["parent_customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_account_manager_id"), ["account_manager_id"], unique=False
        )
        batch_op.create_index(
            "ix_customer_birth", ["name", "birth_date"], unique=False, postgresql_include=["id"]
        )
        batch_op.create_index(
            batch_op.f("ix_customer_customer_class"), ["customer_class"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_customer_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            "ix_customer_id_number", ["id_number"], unique=False, postgresql_include=["id"]
        )
        batch_op.create_index("ix_customer_id_number_rev", ["id_number_rev"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_customer_intermediary_id"), ["intermediary_id"], unique=False
        )
        batch_op.create_index(
            "ix_customer_name_initials", ["name_initials"], unique=False, postgresql_include=["id"]
        )
        batch_op.create_index(
            "ix_customer_name_pinyin", ["name_pinyin"], unique=False, postgresql_include=["id"]
        )
        batch_op.create_index(
            "ix_customer_unit_id_number",
            ["unit_id", "id_number"],
            unique=False,
            postgresql_include=["id"],
        )
        batch_op.create_index(
            "ix_customer_unit_initials",
            ["unit_id", "name_initials"],
            unique=False,
            postgresql_include=["id"],
        )
        batch_op.create_index(
            "ix_customer_unit_name", ["unit_id", "name"], unique=False, postgresql_include=["id"]
        )
        batch_op.create_index(
            "ix_customer_unit_pinyin",
            ["unit_id", "name_pinyin"],
            unique=False,
            postgresql_include=["id"],
        )
    op.create_table(
        "rate_table",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rate_table", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rate_table_lookup", ["code", "region", "effective_from"], unique=False
        )
    op.create_table(
        "sms_template",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("marketing", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )


def _create_tables_2() -> None:
    """Tables threshold, vehicle_price, blacklist_nomination, contact, customer_class_history,
    customer_unit_move, rate_entry, recent_view, sms_message, vehicle."""
    op.create_table(
        "threshold",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("description_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "vehicle_price",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("make_model", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("model_initials", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("model_year", sa.Integer(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=True),
        sa.Column("displacement", tui_crm.storage.types.ScaledDecimal(6), nullable=True),
        sa.Column("fuel", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("price", tui_crm.storage.types.ScaledDecimal(2), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("vehicle_price", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vehicle_price_make_model"), ["make_model"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_vehicle_price_model_initials"), ["model_initials"], unique=False
        )
    op.create_table(
        "blacklist_nomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("nominated_by_id", sa.Integer(), nullable=False),
        sa.Column("nominated_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("reasons", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("linked_claim_ids", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("submitted_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["nominated_by_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("blacklist_nomination", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_blacklist_nomination_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_blacklist_nomination_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_blacklist_nomination_unit_id"), ["unit_id"], unique=False
        )
        batch_op.create_index(
            "ux_blacklist_nomination_open",
            ["customer_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('pending', 'returned')"),
            postgresql_where=sa.text("status IN ('pending', 'returned')"),
        )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("value_norm", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("value_rev", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("consent_marketing_sms", sa.Boolean(), nullable=False),
        sa.Column("consent_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("consent_source", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("opted_out_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index("ix_contact_value_norm", ["value_norm"], unique=False)
        batch_op.create_index("ix_contact_value_rev", ["value_rev"], unique=False)
    op.create_table(
        "customer_class_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("from_class", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("to_class", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("reasons", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("rule_version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["classification_run.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customer_class_history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_class_history_customer", ["customer_id", "changed_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_class_history_changed_on"), ["changed_on"], unique=False
        )
    op.create_table(
        "customer_unit_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("from_unit_id", sa.Integer(), nullable=False),
        sa.Column("to_unit_id", sa.Integer(), nullable=False),
        sa.Column("moved_by_id", sa.Integer(), nullable=False),
        sa.Column("moved_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["from_unit_id"],
            ["org_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["moved_by_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["to_unit_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customer_unit_move", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_unit_move_customer_id"), ["customer_id"], unique=False
        )
    op.create_table(
        "rate_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("value", tui_crm.storage.types.ScaledDecimal(6), nullable=False),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["rate_table.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rate_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rate_entry_table_id"), ["table_id"], unique=False)
    op.create_table(
        "recent_view",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("viewed_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("staff_id", "customer_id"),
    )
    with op.batch_alter_table("recent_view", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recent_view_viewed_at"), ["viewed_at"], unique=False)
    op.create_table(
        "sms_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("direction", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("template_code", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["template_code"],
            ["sms_template.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sms_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sms_message_customer_id"), ["customer_id"], unique=False
        )
    op.create_table(
        "vehicle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_customer_id", sa.Integer(), nullable=False),
        sa.Column("plate", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("plate_rev", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("vin", sqlmodel.sql.sqltypes.AutoString(length=17), nullable=True),
        sa.Column("vin_rev", sqlmodel.sql.sqltypes.AutoString(length=17), nullable=True),
        sa.Column("engine_no", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("make_model", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("brand", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("use", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=True),
        sa.Column("tonnage", tui_crm.storage.types.ScaledDecimal(6), nullable=True),
        sa.Column("curb_weight", tui_crm.storage.types.ScaledDecimal(6), nullable=True),
        sa.Column("displacement", tui_crm.storage.types.ScaledDecimal(6), nullable=True),
        sa.Column("engine_cc", sa.Integer(), nullable=True),
        sa.Column("special_class", sa.Integer(), nullable=True),
        sa.Column("fuel", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("new_energy", sa.Boolean(), nullable=False),
        sa.Column("energy_saving", sa.Boolean(), nullable=False),
        sa.Column("first_registration", sa.Date(), nullable=True),
        sa.Column("purchase_date", sa.Date(), nullable=True),
        sa.Column("new_car_price", tui_crm.storage.types.ScaledDecimal(2), nullable=True),
        sa.Column("created_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_customer_id"],
            ["customer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("vehicle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vehicle_owner_customer_id"), ["owner_customer_id"], unique=False
        )
        batch_op.create_index("ix_vehicle_plate", ["plate"], unique=False)
        batch_op.create_index("ix_vehicle_plate_rev", ["plate_rev"], unique=False)
        batch_op.create_index("ix_vehicle_vin", ["vin"], unique=False)
        batch_op.create_index("ix_vehicle_vin_rev", ["vin_rev"], unique=False)


def _create_tables_3() -> None:
    """Tables blacklist_entry, blacklist_review, customer_relation, policy, registry_vehicle,
    claim, receivable, payment, service_contact."""
    op.create_table(
        "blacklist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("reasons", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=False),
        sa.Column("approved_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("lifted_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("lift_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["blacklist_nomination.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("blacklist_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_blacklist_entry_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            "ux_blacklist_entry_active",
            ["customer_id"],
            unique=True,
            sqlite_where=sa.text("lifted_at IS NULL"),
            postgresql_where=sa.text("lifted_at IS NULL"),
        )
    op.create_table(
        "blacklist_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reviewed_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["blacklist_nomination.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("blacklist_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_blacklist_review_nomination_id"), ["nomination_id"], unique=False
        )
    op.create_table(
        "customer_relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("related_customer_id", sa.Integer(), nullable=False),
        sa.Column("relation", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["related_customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicle.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customer_relation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_relation_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_relation_related_customer_id"),
            ["related_customer_id"],
            unique=False,
        )
    op.create_table(
        "policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_no", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("line_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("insured_id", sa.Integer(), nullable=True),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("account_manager_id", sa.Integer(), nullable=True),
        sa.Column("intermediary_id", sa.Integer(), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("is_tender", sa.Boolean(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("sum_insured", tui_crm.storage.types.ScaledDecimal(2), nullable=False),
        sa.Column("premium", tui_crm.storage.types.ScaledDecimal(2), nullable=False),
        sa.Column("commission", tui_crm.storage.types.ScaledDecimal(2), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.Column("renewal_of_id", sa.Integer(), nullable=True),
        sa.Column("surplus_reinsurance", sa.Boolean(), nullable=False),
        sa.Column("facultative_reinsurance", sa.Boolean(), nullable=False),
        sa.Column("coinsurance", sa.Boolean(), nullable=False),
        sa.Column("reinsurance_share", tui_crm.storage.types.ScaledDecimal(6), nullable=True),
        sa.Column("coinsurance_share", tui_crm.storage.types.ScaledDecimal(6), nullable=True),
        sa.Column("coinsurance_lead", sa.Boolean(), nullable=True),
        sa.Column("issued_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_manager_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["insured_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["intermediary_id"],
            ["intermediary.id"],
        ),
        sa.ForeignKeyConstraint(
            ["line_code"],
            ["product_line.code"],
        ),
        sa.ForeignKeyConstraint(
            ["renewal_of_id"],
            ["policy.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["org_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicle.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("policy_no"),
    )
    with op.batch_alter_table("policy", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_account_manager_id"), ["account_manager_id"], unique=False
        )
        batch_op.create_index(
            "ix_policy_customer_start", ["customer_id", "start_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_policy_intermediary_id"), ["intermediary_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_policy_renewal_of_id"), ["renewal_of_id"], unique=False
        )
        batch_op.create_index("ix_policy_start", ["start_date"], unique=False)
        batch_op.create_index("ix_policy_unit_start", ["unit_id", "start_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_policy_vehicle_id"), ["vehicle_id"], unique=False)
    op.create_table(
        "registry_vehicle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plate", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("vin", sqlmodel.sql.sqltypes.AutoString(length=17), nullable=True),
        sa.Column("owner_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("owner_id_number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("use", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("make_model", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("first_registration", sa.Date(), nullable=True),
        sa.Column("matched_vehicle_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["matched_vehicle_id"],
            ["vehicle.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("registry_vehicle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registry_vehicle_plate"), ["plate"], unique=False)
        batch_op.create_index(batch_op.f("ix_registry_vehicle_vin"), ["vin"], unique=False)
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_no", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("loss_date", sa.Date(), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("cause", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("paid", tui_crm.storage.types.ScaledDecimal(2), nullable=False),
        sa.Column("outstanding", tui_crm.storage.types.ScaledDecimal(2), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("at_fault", sa.Boolean(), nullable=False),
        sa.Column("fatal", sa.Boolean(), nullable=False),
        sa.Column("fraud_suspected", sa.Boolean(), nullable=False),
        sa.Column("hard_to_settle", sa.Boolean(), nullable=False),
        sa.Column("catastrophe_event_id", sa.Integer(), nullable=True),
        sa.Column("handler_id", sa.Integer(), nullable=True),
        sa.Column("created_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["catastrophe_event_id"],
            ["catastrophe_event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["handler_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policy.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("claim_no"),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(
            "ix_claim_customer_report", ["customer_id", "report_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_claim_policy_id"), ["policy_id"], unique=False)
        batch_op.create_index("ix_claim_report", ["report_date"], unique=False)
    op.create_table(
        "receivable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", tui_crm.storage.types.ScaledDecimal(2), nullable=False),
        sa.Column("paid_amount", tui_crm.storage.types.ScaledDecimal(2), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policy.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("receivable", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_receivable_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_receivable_policy_id"), ["policy_id"], unique=False)
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receivable_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", tui_crm.storage.types.ScaledDecimal(2), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["receivable_id"],
            ["receivable.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_receivable_id"), ["receivable_id"], unique=False
        )
    op.create_table(
        "service_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("occurred_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("complaint_status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("resolved_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("document_path", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policy.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("service_contact", schema=None) as batch_op:
        batch_op.create_index(
            "ix_service_contact_customer", ["customer_id", "occurred_at"], unique=False
        )
