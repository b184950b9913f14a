"""The audit log is append-only against REPLACE and TRUNCATE, and tamper-evident: a hash
chain `tui-crm audit verify` walks to the first broken link."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.factories import PASSWORD, make_user
from tui_crm.services.container import make_services
from tui_crm.services.core import audit
from tui_crm.storage.models import AuditLog


def _write(services, actor, n: int) -> None:
    for i in range(n):
        with services.database.session() as session:
            audit.record(session, actor, "reveal", entity="customer", entity_id=i)
            session.commit()


def test_insert_or_replace_cannot_rewrite_a_row(sqlite_database) -> None:
    services = make_services(sqlite_database, fast_hash=True)
    admin = make_user(services, "admin", "admin", "3304")
    _write(services, admin, 2)
    with pytest.raises(DBAPIError, match="append-only"), sqlite_database.connect() as c:
        c.execute(
            text(
                "INSERT OR REPLACE INTO audit_log (id, at, actor_username, action, entity)"
                " VALUES (1, '2026-01-01', 'nobody', 'nothing', '')"
            )
        )
    with sqlite_database.session() as session:
        assert session.get(AuditLog, 1).actor_username == "admin"


def test_truncate_is_refused_on_postgresql(database) -> None:
    if database.is_sqlite:
        pytest.skip("SQLite has no TRUNCATE")
    services = make_services(database, fast_hash=True)
    _write(services, make_user(services, "admin", "admin", "3304"), 1)
    with pytest.raises(DBAPIError, match="append-only"), database.connect() as c:
        c.execute(text("TRUNCATE audit_log"))
    with database.connect() as c:
        assert c.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 1
    assert services.audit.verify(services.auth.actor_for("admin")).ok


def test_verify_finds_the_first_changed_row(database) -> None:
    services = make_services(database, fast_hash=True)
    admin = make_user(services, "admin", "admin", "3304")
    _write(services, admin, 4)
    check = services.audit.verify(admin)
    assert check.ok and check.rows == 4
    with database.connect() as c:
        ids = [r[0] for r in c.execute(text("SELECT id FROM audit_log ORDER BY id"))]
        # what an intruder with the table owner's rights does: triggers off, edit, back on
        if database.is_sqlite:
            c.execute(text("DROP TRIGGER audit_log_no_update"))
        else:
            c.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        c.execute(text("UPDATE audit_log SET entity_id = '99' WHERE id = :i"), {"i": ids[2]})
    check = services.audit.verify(admin)
    assert not check.ok and check.broken_at == ids[2] and check.reason == "content"


def test_verify_finds_a_removed_row(database) -> None:
    services = make_services(database, fast_hash=True)
    admin = make_user(services, "admin", "admin", "3304")
    _write(services, admin, 3)
    with database.connect() as c:
        ids = [r[0] for r in c.execute(text("SELECT id FROM audit_log ORDER BY id"))]
        if database.is_sqlite:
            c.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            c.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        c.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": ids[1]})
    check = services.audit.verify(admin)
    assert not check.ok and check.broken_at == ids[2] and check.reason == "link"


def test_parallel_writers_make_one_chain(committed_database) -> None:
    services = make_services(committed_database, fast_hash=True)
    admin = make_user(services, "admin", "admin", "3304")
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: _write(services, admin, 5), range(8)))
    check = services.audit.verify(admin)
    assert check.ok and check.rows == 40


def test_rows_written_before_the_chain_are_left_out(sqlite_database) -> None:
    """An old database: rows without hashes first; the chain starts at the first new row."""
    with sqlite_database.connect() as c:
        c.execute(
            text(
                "INSERT INTO audit_log (at, actor_username, action, entity)"
                " VALUES ('2025-01-01 00:00:00', 'old', 'login', '')"
            )
        )
    services = make_services(sqlite_database, fast_hash=True)
    admin = make_user(services, "admin", "admin", "3304")
    _write(services, admin, 2)
    check = services.audit.verify(admin)
    assert check.ok and check.rows == 2 and check.unchained == 1


def test_cli_audit_verify(tmp_path, monkeypatch, capsys) -> None:
    from tui_crm.cli import main
    from tui_crm.services.setup import ensure_ready
    from tui_crm.storage.db import Database

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", PASSWORD)
    database = Database.from_url(url)
    ensure_ready(database)
    services = make_services(database, fast_hash=True)
    _write(services, make_user(services, "admin", "admin", "3304"), 2)

    def verify() -> tuple[int, dict]:
        with pytest.raises(SystemExit) as done:
            main(["audit", "verify", "--user", "admin", "--json"])
        return int(done.value.code or 0), json.loads(capsys.readouterr().out)

    code, report = verify()
    assert code == 0 and report["ok"] and report["rows"] == 3  # two rows and the sign-in
    with database.connect() as c:
        c.execute(text("DROP TRIGGER audit_log_no_update"))
        c.execute(text("UPDATE audit_log SET actor_username = 'x' WHERE id = 2"))
    code, report = verify()
    assert code == 1 and report["broken_at"] == 2 and report["reason"] == "content"
    database.dispose()
