"""`tui-crm report`: --list, JSON on stdout, exports, drill-down, refusals and exit codes."""

import openpyxl
import pytest

from tests.reports.book import build_book

ARGS = ["--from", "2026-01-01", "--to", "2026-06-30"]


@pytest.fixture
def cli_book(cli_services):
    return build_book(cli_services)


def test_list_needs_no_user(cli_book, run) -> None:
    result = run(["report", "--list", "--json"])
    assert result.code == 0
    reports = result.json
    assert [r["name"] for r in reports][:3] == ["corporate", "individual", "intermediary"]
    assert len(reports) == 11
    product = next(r for r in reports if r["name"] == "product")
    view = next(p for p in product["parameters"] if p["key"] == "view")
    assert view["option"] == "--view" and "make_model" in [c["code"] for c in view["choices"]]
    result = run(["report", "--list"])
    assert result.code == 0
    assert "产品结构分析" in result.out


def test_json_rows_money_as_strings(cli_book, run) -> None:
    result = run(["report", "product", *ARGS, "--user", "mgr", "--json"])
    assert result.code == 0
    data = result.json
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


def test_export_and_drill(cli_book, tmp_path, run) -> None:
    out = tmp_path / "agents.xlsx"
    result = run(["report", "intermediary", *ARGS, "--user", "am1", "--out", str(out), "--json"])
    assert result.code == 0
    summary = result.json
    assert summary["format"] == "xlsx" and summary["masked"] is True and summary["rows"] == 3
    assert openpyxl.load_workbook(out).active["A1"].value.startswith("中介业务分析")
    result = run(
        ["report", "product", *ARGS, "--view", "use", "--user", "mgr", "--drill", "1", "--json"]
    )
    assert result.code == 0
    drill = result.json
    assert drill["report"] == "product.drill"
    assert [r["customer_id"] for r in drill["rows"]] == [cli_book.a]  # family cars: 张三
    result = run(["report", "product", *ARGS, "--user", "mgr", "--limit", "2"])
    assert result.code == 0
    text = result.out
    assert "企业财产险" in text and "（显示前 2 行，共 5 行）" in text


def test_refusals_and_exit_codes(cli_book, run) -> None:
    result = run(["report", "product", "--from", "2026-13-01", "--user", "mgr", "--json"])
    assert result.code == 2
    assert "usage: tui-crm report" in result.err and "YYYY-MM-DD" in result.err
    result = run(["report", "product", "--unit", "330402", "--user", "am2", "--json"])
    assert result.code == 1
    assert result.json["error"]["code"] == "out_of_scope"
    result = run(["report", "nonsense", "--user", "mgr"])
    assert result.code == 1
    result = run(["report", "product", "--user", "mgr", "--drill", "99"])
    assert result.code == 1
    result = run(["report", "product"])
    assert result.code == 2
    result = run(["report"])
    assert result.code == 2
    result = run(["report", "product", "--bogus", "1", "--user", "mgr"])
    assert result.code == 2
