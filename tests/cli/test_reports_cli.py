"""`tui-crm report`: --list, JSON on stdout, exports, drill-down, refusals and exit codes."""

import json

import openpyxl
import pytest

from tests.reports.test_reports_book import build_book
from tui_crm.cli import main
from tui_crm.services.container import make_services
from tui_crm.storage.db import Database

ARGS = ["--from", "2026-01-01", "--to", "2026-06-30"]


@pytest.fixture
def cli_book(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    monkeypatch.delenv("TUI_CRM_LANG", raising=False)
    from tui_crm.services.setup.seed import ensure_ready

    database = Database.from_url(url)
    ensure_ready(database)
    services = make_services(database, fast_hash=True)
    book = build_book(services)
    yield book
    database.dispose()


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(argv)
    return int(done.value.code or 0)


def test_list_needs_no_user(cli_book, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(["report", "--list", "--json"]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in reports][:3] == ["corporate", "individual", "intermediary"]
    assert len(reports) == 11
    product = next(r for r in reports if r["name"] == "product")
    view = next(p for p in product["parameters"] if p["key"] == "view")
    assert view["option"] == "--view" and "make_model" in [c["code"] for c in view["choices"]]
    assert run(["report", "--list"]) == 0
    assert "产品结构分析" in capsys.readouterr().out


def test_json_rows_money_as_strings(cli_book, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(["report", "product", *ARGS, "--user", "mgr", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["report"] == "product" and data["parameters"]["unit"] == "3304"
    assert data["parameters"]["line"] is None
    rows = {r["code"]: r for r in data["rows"]}
    assert rows["property"]["written"] == "36500.00" and rows["property"]["policies"] == 1
    assert rows["motor_commercial"]["earned_lr"] == "1.1971"  # 6,500 / 5,430
    kinds = {c["key"]: c for c in data["columns"]}
    assert (
        kinds["earned_lr"]["loss_ratio"] == "earned"
        and kinds["simple_lr"]["loss_ratio"] == "simple"
    )
    assert data["totals"]["written"] == "49500.00" and data["row_count"] == 5
    assert data["generated_at"].endswith("+08:00") or "+08:00" in data["generated_at"]


def test_export_and_drill(cli_book, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "agents.xlsx"
    assert run(["report", "intermediary", *ARGS, "--user", "am1", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["format"] == "xlsx" and summary["masked"] is True and summary["rows"] == 3
    assert openpyxl.load_workbook(out).active["A1"].value.startswith("中介业务分析")
    assert (
        run(
            ["report", "product", *ARGS, "--view", "use", "--user", "mgr", "--drill", "1", "--json"]
        )
        == 0
    )
    drill = json.loads(capsys.readouterr().out)
    assert drill["report"] == "product.drill"
    assert [r["customer_id"] for r in drill["rows"]] == [cli_book.a]  # family cars: 张三
    assert run(["report", "product", *ARGS, "--user", "mgr", "--limit", "2"]) == 0
    text = capsys.readouterr().out
    assert "企业财产险" in text and "（显示前 2 行，共 5 行）" in text


def test_refusals_and_exit_codes(cli_book, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(["report", "product", "--from", "2026-13-01", "--user", "mgr", "--json"]) == 2
    out = capsys.readouterr()
    assert "usage: tui-crm report" in out.err and "YYYY-MM-DD" in out.err
    assert run(["report", "product", "--unit", "330402", "--user", "am2", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "out_of_scope"
    assert run(["report", "nonsense", "--user", "mgr"]) == 1
    assert run(["report", "product", "--user", "mgr", "--drill", "99"]) == 1
    assert run(["report", "product"]) == 2  # --user missing
    assert run(["report"]) == 2
    assert run(["report", "product", "--bogus", "1", "--user", "mgr"]) == 2
