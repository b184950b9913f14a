"""Storage: schema.sql in sync, exact money on both dialects, append-only audit log."""

import contextlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import col, select

from tests.factories import make_customer, make_policy, make_user
from tui_crm.services.core import audit
from tui_crm.storage.models import AuditLog, Policy
from tui_crm.storage.schema import postgresql_ddl

ROOT = Path(__file__).resolve().parents[2]


def test_schema_sql_matches_models() -> None:
    checked_in = (ROOT / "schema.sql").read_text(encoding="utf-8")
    assert checked_in == postgresql_ddl(), "schema.sql drifted: run `tui-crm schema`"


def test_schema_sql_has_search_objects() -> None:
    ddl = postgresql_ddl()
    assert "CREATE EXTENSION IF NOT EXISTS pg_trgm" in ddl
    assert "gin_trgm_ops" in ddl
    assert "CREATE TABLE customer (" in ddl


def test_money_is_exact_to_the_fen_in_sql_sums(services) -> None:
    customer = make_customer(services, "钱多多")
    # 0.1 + 0.2 style amounts that floating point would not sum exactly.
    for amount in ("0.10", "0.20", "1045.05", "99999999.99"):
        make_policy(services, customer, date(2026, 1, 1), premium=amount)
    with services.database.session() as session:
        fen = session.exec(select(func.sum(text("premium"))).select_from(Policy)).one()
        premiums = session.exec(select(col(Policy.premium))).all()
    assert int(fen) == 10 + 20 + 104505 + 9999999999
    assert sum(premiums, Decimal(0)) == Decimal("100001045.34")
    assert all(isinstance(p, Decimal) for p in premiums)


def test_money_rounds_half_up_when_stored(services) -> None:
    customer = make_customer(services, "四舍五入")
    make_policy(services, customer, date(2026, 1, 1), premium="10.005")
    with services.database.session() as session:
        assert session.exec(select(col(Policy.premium))).one() == Decimal("10.01")


def test_audit_log_refuses_update_and_delete(services) -> None:
    actor = make_user(services, "counter", "counter")
    with services.database.session() as session:
        audit.record(session, actor, "reveal", entity="customer", entity_id=1)
        session.commit()
    with pytest.raises((DBAPIError, IntegrityError)), services.database.connect() as connection:
        connection.execute(text("UPDATE audit_log SET action = 'x'"))
    with pytest.raises((DBAPIError, IntegrityError)), services.database.connect() as connection:
        connection.execute(text("DELETE FROM audit_log"))
    with services.database.session() as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action == "reveal")).all()
    assert len(rows) == 1 and rows[0].actor_username == "counter"


def test_fts_follows_customer_names_on_sqlite(sqlite_database) -> None:
    from tui_crm.services.container import make_services

    services = make_services(sqlite_database, fast_hash=True)
    customer = make_customer(services, "嘉兴市南湖区顺达贸易有限公司", kind="corporate")
    with sqlite_database.connect() as connection:
        hit = connection.execute(
            text("SELECT rowid FROM customer_fts WHERE name MATCH '顺达贸易'")
        ).scalar()
    assert hit == customer


def test_a_book_made_before_migrations_gets_new_columns_and_guards_and_is_stamped(
    tmp_path,
) -> None:
    from sqlalchemy import inspect

    from tui_crm.services.core.errors import SchemaOutOfDate
    from tui_crm.services.setup import ensure_ready
    from tui_crm.storage.db import Database

    book = Database.from_url(f"sqlite:///{tmp_path / 'old.db'}")
    ensure_ready(book)
    with book.connect() as connection:
        connection.exec_driver_sql("DROP INDEX ux_blacklist_nomination_open")
        connection.exec_driver_sql("ALTER TABLE classification_run DROP COLUMN host")
        connection.exec_driver_sql("DROP TABLE alembic_version")  # made before migrations
    # Brought up to the baseline and stamped there; later revisions wait for `db upgrade`.
    with contextlib.suppress(SchemaOutOfDate):
        ensure_ready(book)
    assert book.schema_state().current == "0001"
    with book.connect() as connection:
        inspector = inspect(connection)
        assert "host" in {c["name"] for c in inspector.get_columns("classification_run")}
        indexes = {i["name"] for i in inspector.get_indexes("blacklist_nomination")}
        assert "ux_blacklist_nomination_open" in indexes
    book.dispose()
