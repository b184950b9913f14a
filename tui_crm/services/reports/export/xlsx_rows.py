"""The data rows of an .xlsx export, written as sheet XML directly (one string per row).

xlsxwriter's public calls cost ~20 µs a cell in Python (argument conversion, dimension
checks, a cell object, attribute escaping, one file write per cell). In constant_memory
mode a finished row is plain XML in the worksheet's row-data file, so the data rows are
written here as the very XML xlsxwriter would write — `<row r="N">` with `<c r s>`
number cells (`{:.16G}`), inline strings escaped by xlsxwriter's own escapers, dates as
Excel serial numbers — one `write` per row, and the worksheet's dimensions are set to
cover them. Title, header and totals still go through xlsxwriter. When the worksheet is
not in constant_memory mode (or lacks what this relies on) the public calls are used.
"""

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from tui_crm.services.reports.engine.base import Column, Kind, ReportResult
from tui_crm.services.reports.export.cells import KIND_COLUMN, clean_value, export_rows, mask_value

MAX_STRING = 32767  # Excel's cell limit (xlsxwriter truncates the same way)
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
# What xlsxwriter's control-character escaping would change (else the text is kept as is).
_NEEDS_CONTROL_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_")


def _escape_control(text: str) -> str:
    from xlsxwriter.xmlwriter import XMLwriter

    escaped: str = XMLwriter._escape_control_characters(text)
    return escaped


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _text_width(text: str) -> int:
    """Cells a text needs: CJK characters (3 bytes in UTF-8) count 2 — cheap, close enough."""
    return len(text) + (len(text.encode("utf-8")) - len(text)) // 2


def _excel_date(value: date) -> float:
    if isinstance(value, datetime):
        midnight = value.replace(tzinfo=None)
        seconds = midnight.hour * 3600 + midnight.minute * 60 + midnight.second
        return value.toordinal() - _EXCEL_EPOCH + seconds / 86400
    return float(value.toordinal() - _EXCEL_EPOCH)


def can_write_directly(sheet: Any) -> bool:
    return bool(getattr(sheet, "constant_memory", False)) and all(
        hasattr(sheet, name)
        for name in ("_write_single_row", "_check_dimensions", "fh", "previous_row")
    )


def _chunks(
    result: ReportResult, columns: list[Column], masked: bool, size: int = 1000
) -> Iterator[tuple[int, list[list[Any]]]]:
    """The visible cells column by column, `size` rows at a time (cleaned, masked)."""
    frame = result.frame
    pii = masked and any(c.pii for c in columns)
    for start in range(0, len(frame), size):
        part = frame.iloc[start : start + size]
        rows = len(part)
        kinds = part[KIND_COLUMN].tolist() if pii and KIND_COLUMN in part else [None] * rows
        data = []
        for column in columns:
            values = part[column.key].tolist() if column.key in part else [None] * rows
            values = [clean_value(v) for v in values]
            if pii and column.pii:
                values = [mask_value(column, v, k) for v, k in zip(values, kinds, strict=True)]
            data.append(values)
        yield rows, data


def _string_cell(text: str, head: str) -> str:
    text = text[:MAX_STRING]
    if _NEEDS_CONTROL_ESCAPE.search(text):
        text = _escape_control(text)
    space = ""
    if text[:1].isspace() or text[-1:].isspace():
        space = ' xml:space="preserve"'
    return f'{head} t="inlineStr"><is><t{space}>{text.translate(_XML_ESCAPES)}</t></is></c>'


def _cells(
    kind: Kind, values: list[Any], heads: list[str], widths: list[int], widest: list[float], i: int
) -> list[str]:
    """One column's cell XML for a chunk ("" for an empty cell); widths kept up to date."""
    if kind is Kind.TEXT:
        texts = [v if v is None or v.__class__ is str else str(v) for v in values]
        present = [t for t in texts if t is not None]
        if present:
            widths[i] = max(widths[i], max(_text_width(t) for t in present) + 2)
        return ["" if t is None else _string_cell(t, h) for t, h in zip(texts, heads, strict=True)]
    if kind is Kind.DATE:
        return [
            ""
            if v is None
            else f"{h}><v>{_excel_date(v):.16G}</v></c>"
            if isinstance(v, date)
            else _string_cell(str(v), h.split(" s=")[0])
            for v, h in zip(values, heads, strict=True)
        ]
    figures: list[float | int | None] = (
        [None if v is None else int(v) for v in values]
        if kind is Kind.INT or kind is Kind.ID
        else [None if v is None else float(v) for v in values]
    )
    magnitudes = [abs(f) for f in figures if f is not None]
    if magnitudes:
        widest[i] = max(widest[i], float(max(magnitudes)))
    return [
        "" if f is None else f"{h}><v>{f:.16G}</v></c>" for f, h in zip(figures, heads, strict=True)
    ]


def write_rows_directly(
    sheet: Any,
    result: ReportResult,
    columns: list[Column],
    formats: dict[Kind, Any],
    widths: list[int],
    row: int,
    masked: bool,
) -> tuple[int, int]:
    """The data rows after row `row` (the header); returns (rows written, last row)."""
    first = row + 1
    sheet._write_single_row(first)  # flush the header row; data rows start at `first`
    letters = [_column_letters(i) for i in range(len(columns))]
    styles = [formats[c.kind]._get_xf_index() for c in columns]
    kinds = [c.kind for c in columns]
    widest = [0.0] * len(columns)
    write = sheet.fh.write
    count = 0
    for rows, data in _chunks(result, columns, masked):
        numbers = [str(n) for n in range(row + 2, row + 2 + rows)]
        cells = []
        for i, values in enumerate(data):
            prefix, style = f'<c r="{letters[i]}', f'" s="{styles[i]}"'
            heads = [f"{prefix}{n}{style}" for n in numbers]
            cells.append(_cells(kinds[i], values, heads, widths, widest, i))
        write(
            "".join(
                f'<row r="{n}">{"".join(row_cells)}</row>'
                for n, row_cells in zip(numbers, zip(*cells, strict=True), strict=True)
            )
        )
        row += rows
        count += rows
    if count:
        sheet._check_dimensions(first, 0)
        sheet._check_dimensions(row, len(columns) - 1)
        sheet.previous_row = row
    _fit_numbers(kinds, widths, widest)
    return count, row


def write_rows_by_cell(
    sheet: Any,
    result: ReportResult,
    columns: list[Column],
    formats: dict[Kind, Any],
    widths: list[int],
    row: int,
    masked: bool,
) -> tuple[int, int]:
    """The same rows through xlsxwriter's public calls (any worksheet mode)."""
    kinds = [c.kind for c in columns]
    plan = [formats[k] for k in kinds]
    widest = [0.0] * len(columns)
    count = 0
    for values in export_rows(result, masked=masked):
        row += 1
        count += 1
        for index, value in enumerate(values):
            if value is None:
                continue
            kind, fmt = kinds[index], plan[index]
            if kind is Kind.TEXT:
                text = value if value.__class__ is str else str(value)
                sheet.write_string(row, index, text, fmt)
                widths[index] = max(widths[index], _text_width(text) + 2)
            elif kind is Kind.DATE:
                if isinstance(value, date):
                    sheet.write_datetime(row, index, value, fmt)
                else:
                    sheet.write_string(row, index, str(value))
            else:
                figure = int(value) if kind in (Kind.INT, Kind.ID) else float(value)
                sheet.write_number(row, index, figure, fmt)
                widest[index] = max(widest[index], abs(figure))
    _fit_numbers(kinds, widths, widest)
    return count, row


def _fit_numbers(kinds: list[Kind], widths: list[int], widest: list[float]) -> None:
    for index, kind in enumerate(kinds):
        if kind in (Kind.MONEY, Kind.NUMBER):
            widths[index] = max(widths[index], len(f"{widest[index]:,.2f}") + 3)
        elif kind is Kind.INT:
            widths[index] = max(widths[index], len(f"{int(widest[index]):,}") + 3)
        elif kind is Kind.ID:
            widths[index] = max(widths[index], len(str(int(widest[index]))) + 3)
        elif kind is Kind.PERCENT:
            widths[index] = max(widths[index], 10)
        elif kind is Kind.DATE:
            widths[index] = max(widths[index], 12)
