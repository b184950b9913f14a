"""Ids read as written, money with separators: a customer number is 19036 in a report table,
its text export and its xlsx (number format `0`), never 19,036; money is `1,234.50` on
screen and `#,##0.00` in the workbook."""

import re

import openpyxl

from tests.reports.test_reports_book import PERIOD, build_book, reports
from tui_crm.services.reports import Kind
from tui_crm.services.reports.export.cells import format_cell, json_value
from tui_crm.services.reports.export.writer import render_text, write_xlsx

BIG_IDS = [19036 + i for i in range(1000)]


def _result_with_big_ids(services):
    build_book(services)
    result = reports(services).run(services.auth.actor_for("mgr"), "customer_value", PERIOD)
    assert result.row_count > 0
    result.frame["customer_id"] = BIG_IDS[: result.row_count]  # numbers as a big book has them
    return result


def test_report_table_shows_ids_plain_and_money_grouped(services) -> None:
    result = _result_with_big_ids(services)
    [id_column] = [c for c in result.visible_columns if c.key == "customer_id"]
    assert id_column.kind is Kind.ID
    assert format_cell(id_column, 19036) == "19036" and json_value(id_column, 19036) == 19036
    money = next(c for c in result.visible_columns if c.kind is Kind.MONEY)
    assert format_cell(money, "1234.5") == "1,234.50"
    text = render_text(result, masked=False)
    assert "19036" in text and "19,036" not in text
    assert re.search(r"\d,\d{3}\.\d{2}", text)  # the book's premiums, grouped


def test_xlsx_id_cells_carry_no_separator_format(services, tmp_path) -> None:
    result = _result_with_big_ids(services)
    path = tmp_path / "value.xlsx"
    write_xlsx(result, path, masked=False)
    sheet = openpyxl.load_workbook(path).active
    labels = [c.label for c in result.visible_columns]
    header = next(r for r in range(1, 30) if sheet.cell(r, 1).value == labels[0])
    column = labels.index(next(c.label for c in result.visible_columns if c.key == "customer_id"))
    ids = [sheet.cell(header + 1 + i, column + 1) for i in range(result.row_count)]
    assert [cell.value for cell in ids] == BIG_IDS[: result.row_count]
    assert {cell.number_format for cell in ids} == {"0"}
    money = next(i for i, c in enumerate(result.visible_columns) if c.kind is Kind.MONEY)
    assert sheet.cell(header + 1, money + 1).number_format == "#,##0.00"
