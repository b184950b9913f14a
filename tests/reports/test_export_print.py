"""A report export prints as a person expects: A4 landscape, every column on the page
width, title and column header repeated on each page, the title and parameters in the
page header, panes frozen directly under the column header."""

import openpyxl

from bench.export_bench import synthetic_result
from tests.printed import page_count, page_text, print_to_pdf
from tui_crm.services.reports.export.writer import write_xlsx


def test_print_settings_read_back(clock, tmp_path) -> None:
    result = synthetic_result(40, clock.now())
    path = tmp_path / "wide.xlsx"
    write_xlsx(result, path, masked=False)
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(2, 1).value == result.visible_columns[0].label  # header right under the title
    assert sheet.freeze_panes == "A3"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out of the file
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$2"
    header = sheet.oddHeader
    assert result.title in header.left.text
    assert "生成人" in header.right.text
    assert sheet.oddFooter.center.text == "&P / &N"


def test_a_small_wide_report_prints_on_one_page_with_every_column(clock, tmp_path) -> None:
    result = synthetic_result(12, clock.now())
    assert len(result.visible_columns) >= 12
    path = tmp_path / "wide.xlsx"
    write_xlsx(result, path, masked=False)
    pdf = print_to_pdf(path)
    assert page_count(pdf) == 1
    first = page_text(pdf, 1)
    for column in result.visible_columns:
        assert column.label in first, column.label
