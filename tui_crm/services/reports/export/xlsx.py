"""The .xlsx export, written row by row by xlsxwriter in constant_memory mode.

The title on top, then a bold header row with an autofilter, frozen directly under it;
the parameters, generation time and user under the table and in the printed page header
(A4 landscape, one page wide, title and header repeated on every page); money as
numbers formatted `#,##0.00`, percents `0.00%`, dates, integers with
thousands separators; column widths that fit CJK text; a totals row of SUBTOTAL formulas
with their values cached (the sums follow the filter in Excel and read back as values).
pandas.to_excel is not used: with constant_memory it silently drops cells.
"""

from pathlib import Path
from typing import Any

from tui_crm.services.reports.engine.base import Kind, ReportResult
from tui_crm.services.reports.export.cells import display_width, header_lines, totals_label
from tui_crm.services.reports.export.xlsx_rows import (
    can_write_directly,
    write_rows_by_cell,
    write_rows_directly,
)

MAX_WIDTH = 60
MIN_WIDTH = 6
HEADER_LIMIT = 255


def write_workbook(result: ReportResult, path: Path, *, masked: bool) -> int:
    import xlsxwriter

    columns = result.visible_columns
    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False},
    )
    try:
        workbook.set_properties({"title": result.title, "author": result.generated_by})
        sheet = workbook.add_worksheet(_sheet_name(result.title))
        bold = workbook.add_format({"bold": True})
        title_format = workbook.add_format({"bold": True, "font_size": 14})
        header = workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        formats = _kind_formats(workbook)
        total_formats = {
            kind: workbook.add_format(
                {"bold": True, "top": 1, "num_format": fmt.num_format or "General"}
            )
            for kind, fmt in formats.items()
        }
        widths = [max(MIN_WIDTH, display_width(c.label) + 2) for c in columns]

        row = 0
        sheet.write_string(row, 0, result.title, title_format)
        row += 1
        header_row = row
        for index, column in enumerate(columns):
            sheet.write_string(header_row, index, column.label, header)
        writer = write_rows_directly if can_write_directly(sheet) else write_rows_by_cell
        count, row = writer(sheet, result, columns, formats, widths, row, masked)
        last_data = row
        if result.totals is not None:
            row += 1
            _write_totals(sheet, result, total_formats, header_row, last_data, row, count)
        _write_parameters(sheet, result, row + 1, bold)  # a blank row first
        sheet.freeze_panes(header_row + 1, 0)
        sheet.autofilter(header_row, 0, max(last_data, header_row), len(columns) - 1)
        set_print_layout(sheet, result, header_row)
        for index, width in enumerate(widths):
            sheet.set_column(index, index, min(MAX_WIDTH, width))
    finally:
        workbook.close()
    return count


def _kind_formats(workbook: Any) -> dict[Kind, Any]:
    return {
        Kind.MONEY: workbook.add_format({"num_format": "#,##0.00"}),
        Kind.NUMBER: workbook.add_format({"num_format": "#,##0.00"}),
        Kind.PERCENT: workbook.add_format({"num_format": "0.00%"}),
        Kind.INT: workbook.add_format({"num_format": "#,##0"}),
        Kind.ID: workbook.add_format({"num_format": "0"}),
        Kind.DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        Kind.TEXT: workbook.add_format({}),
    }


def _write_totals(
    sheet: Any,
    result: ReportResult,
    total_formats: dict[Kind, Any],
    header_row: int,
    last_data: int,
    row: int,
    count: int,
) -> None:
    """SUBTOTAL formulas (following the filter) and ratios of the totals, values cached."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    columns = result.visible_columns
    assert result.totals is not None
    totals = result.totals
    sheet.write_string(row, 0, totals_label(), total_formats[Kind.TEXT])
    positions = {c.key: i for i, c in enumerate(columns)}
    for index, column in enumerate(columns):
        if index == 0:
            continue  # the label
        total = totals.get(column.key)
        fmt = total_formats[column.kind]
        if column.total == "sum" and total is not None:
            first = xl_rowcol_to_cell(header_row + 1, index)
            last = xl_rowcol_to_cell(last_data, index)
            formula = f"=SUBTOTAL(109,{first}:{last})" if count else "=0"
            sheet.write_formula(row, index, formula, fmt, float(total))
        elif column.ratio_of and total is not None:
            num, den = column.ratio_of
            if num in positions and den in positions:
                a = xl_rowcol_to_cell(row, positions[num])
                b = xl_rowcol_to_cell(row, positions[den])
                sheet.write_formula(row, index, f'=IF({b}=0,"",{a}/{b})', fmt, float(total))
            else:
                sheet.write_number(row, index, float(total), fmt)
        else:
            sheet.write_blank(row, index, None, fmt)


def _write_parameters(sheet: Any, result: ReportResult, row: int, bold: Any) -> None:
    """Parameters and notes under the table, so only the title and the column header
    stay frozen on screen (and repeat on every printed page)."""
    for label, value in header_lines(result):
        row += 1
        sheet.write_string(row, 0, label, bold)
        sheet.write_string(row, 1, value)
    for note in result.notes:
        row += 1
        sheet.write_string(row, 0, note)


def set_print_layout(sheet: Any, result: ReportResult, header_row: int) -> None:
    """A4 landscape, every column on the page width, the title and column header repeated
    on each page, the title and parameters in the page header and page numbers below."""
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
    sheet.repeat_rows(0, header_row)
    sheet.set_margins(left=0.4, right=0.4, top=0.9, bottom=0.6)
    params = "  ".join(f"{label}：{value}" for label, value in header_lines(result))
    header = f"&L&B{_header_text(result.title)}&R{_header_text(params)}"
    if len(header) > HEADER_LIMIT:  # Excel refuses longer page headers
        header = f"&L&B{_header_text(result.title)}"
    sheet.set_header(header[:HEADER_LIMIT])
    sheet.set_footer("&C&P / &N")


def _header_text(text: str) -> str:
    """Literal text in a page header: '&' starts a code there."""
    return text.replace("&", "&&")


def _sheet_name(title: str) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return name[:31] or "report"
