"""Rows leaving the program in bulk are one export, whatever the channel: JSON on stdout
needs export.create, is masked and audited like a file; a file appears only after its
audit row is committed."""

import json

from sqlmodel import select

from tests.cli import test_reports_cli as report_cli
from tests.factories import make_user
from tui_crm.services.container import make_services
from tui_crm.storage.db import Database
from tui_crm.storage.models import AuditLog

cli_book = report_cli.cli_book  # the same small book and CLI environment
ARGS = report_cli.ARGS
DRILL = ["report", "product", *ARGS, "--view", "use", "--drill", "1"]


def _exports(monkeypatch) -> list[dict]:
    import os

    database = Database.from_url(os.environ["TUI_CRM_DATABASE_URL"])
    with database.session() as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action == "export")).all()
    database.dispose()
    return [json.loads(r.detail or "{}") for r in rows]


def test_json_drill_without_export_permission_is_refused(cli_book, run, monkeypatch) -> None:
    import os

    services = make_services(Database.from_url(os.environ["TUI_CRM_DATABASE_URL"]), fast_hash=True)
    make_user(services, "uw", "underwriter", "3304")
    result = run([*DRILL, "--user", "uw", "--json"])
    assert result.code == 1
    assert "rows" not in result.json and "张" not in result.out
    assert _exports(monkeypatch) == []


def test_json_drill_is_masked_and_audited(cli_book, run, monkeypatch) -> None:
    result = run([*DRILL, "--user", "mgr", "--json"])
    assert result.code == 0
    drill = result.json
    names = [r["name"] for r in drill["rows"]]
    assert names and all("*" in n for n in names)
    assert [(e["file"], e["format"], e["masked"]) for e in _exports(monkeypatch)] == [
        ("stdout", "json", True)
    ]


def test_no_file_without_its_audit_row(cli_book, tmp_path, run, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    from tui_crm.services.reports.export import writer

    def locked(*args, **kwargs):
        raise OperationalError("INSERT INTO audit_log", {}, Exception("database is locked"))

    monkeypatch.setattr(writer.audit, "record", locked)
    out = tmp_path / "x.csv"
    result = run([*DRILL, "--user", "mgr", "--out", str(out)])
    # The CLI refuses in one line (the database error, no traceback) instead of raising.
    assert result.code == 1 and "数据库正忙" in result.err and "Traceback" not in result.err
    assert not out.exists() and list(tmp_path.glob("*.partial")) == []
