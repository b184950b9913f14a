"""`tui-crm doctor`: each problem one line with its fix, exit 1 when something is wrong."""

import os
import stat

import pytest

from tests.cli.runner import run_cli
from tests.factories import make_user
from tui_crm.services.diagnostics import Status, Target, run_checks
from tui_crm.storage.db import Database


def by_name(checks, name):
    return [c for c in checks if c.name == name]


def test_a_ready_book_passes_on_both_databases(services, tmp_path):
    make_user(services, "admin1", "admin")
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o700)
    url = "sqlite:///" + str(tmp_path / "x.db") if services.database.is_sqlite else "postgresql://"
    checks = run_checks(Target(database_url=url, export_dir=exports), services.database)
    assert [c.status for c in by_name(checks, "database")] == [Status.OK]
    assert [c.status for c in by_name(checks, "book")] == [Status.OK]
    assert [c.status for c in by_name(checks, "export_dir")] == [Status.OK]
    if not services.database.is_sqlite:
        assert [c.status for c in by_name(checks, "pg_ctype")] == [Status.OK]
        assert [c.status for c in by_name(checks, "pg_trgm")] == [Status.OK]
    assert not [c for c in checks if c.status is Status.FAIL]


def test_an_empty_database_points_to_init_and_demo(capsys, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    Database.from_url(url).create_schema()
    result = run_cli(capsys, ["doctor", "--json"])
    assert result.code == 1
    book = [c for c in result.json["checks"] if c["check"] == "book"]
    assert book[0]["status"] == "fail"
    assert "tui-crm init" in book[0]["fix"] and "tui-crm demo" in book[0]["fix"]
    assert result.json["ok"] is False


def test_a_missing_file_is_reported_and_not_created(capsys, tmp_path, monkeypatch):
    path = tmp_path / "nowhere" / "crm.db"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", f"sqlite:///{path}")
    result = run_cli(capsys, ["doctor", "--lang", "en"])
    assert result.code == 1
    assert f"✗ No database file at {path}" in result.out
    assert "tui-crm init" in result.out
    assert not path.exists()
    assert "Traceback" not in result.err


def test_unreachable_postgresql_is_one_line_without_the_password(capsys, monkeypatch):
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", "postgresql://crm:hunter2@127.0.0.1:1/crm")
    result = run_cli(capsys, ["doctor", "--json", "--lang", "en"])
    assert result.code == 1
    line = next(c for c in result.json["checks"] if c["check"] == "database")
    assert line["status"] == "fail"
    assert line["message"].startswith("Cannot reach the database postgresql://crm:***@127.0.0.1:1")
    assert "hunter2" not in result.out + result.err
    assert "TUI_CRM_DATABASE_URL" in line["fix"]


def test_files_others_can_read_are_failures_with_chmod(tmp_path):
    path = tmp_path / "crm.db"
    database = Database.from_url(f"sqlite:///{path}")
    database.create_schema()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a new book is created owner-only
    database.dispose()
    for made in (path, path.with_name("crm.db-wal"), path.with_name("crm.db-shm")):
        if made.exists():  # a new book is created owner-only, and its WAL files with it
            assert stat.S_IMODE(made.stat().st_mode) == 0o600, made
    exports = tmp_path / "exports"
    exports.mkdir()
    os.chmod(path, 0o644)
    os.chmod(exports, 0o755)
    checks = run_checks(Target(database_url=f"sqlite:///{path}", export_dir=exports))
    database_file = by_name(checks, "database_file")[0]
    assert database_file.status is Status.FAIL
    assert database_file.fix == f"chmod 600 {path}"
    assert by_name(checks, "export_dir")[0].fix == f"chmod 700 {exports}"
    os.chmod(path, 0o600)
    os.chmod(exports, 0o700)
    checks = run_checks(Target(database_url=f"sqlite:///{path}", export_dir=exports))
    assert by_name(checks, "database_file")[0].status is Status.OK
    assert by_name(checks, "export_dir")[0].status is Status.OK


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('timezone = "Mars/Base"\n', "Unknown time zone: Mars/Base"),
        ('database_url = "postgresql://a:pw@h/d"\n', "holds a password"),
    ],
)
def test_config_problems_are_lines_of_the_doctor(capsys, tmp_path, monkeypatch, text, expected):
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'crm.db'}")
    config = tmp_path / "crm.toml"
    config.write_text(text + 'language = "en"\n', encoding="utf-8")
    result = run_cli(capsys, ["doctor", "--config", str(config)])
    assert result.code == 1
    assert expected in result.out
    assert "Problems found" in result.err  # the file's language = "en" took effect
