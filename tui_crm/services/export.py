"""Exports of report results: .xlsx (Excel/WPS), .csv (UTF-8 with BOM) and plain text.

The .xlsx is written row by row by xlsxwriter in constant_memory mode (memory stays flat
however many rows; pandas.to_excel with constant_memory drops cells, so it is not used):
title, parameters, generation time and user on top, a bold frozen header row with an
autofilter, money as numbers formatted `#,##0.00`, percents, dates, column widths that
fit CJK text, and a totals row (SUBTOTAL formulas with their values cached, so the sums
follow the filter in Excel and the file reads back with values).

Every export is audited (who, which report, parameters, rows, format). Personal data is
masked in the file unless the actor holds `pii.export_unmasked`.
"""

import csv
import json
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from tui_crm.i18n import tr
from tui_crm.services import audit
from tui_crm.services.actor import Actor, Permission
from tui_crm.services.errors import ValidationFailed
from tui_crm.services.masking import mask_id_number, mask_name, mask_phone
from tui_crm.services.reports.base import Column, Kind, ReportResult
from tui_crm.storage.db import Database

FORMATS = ("xlsx", "csv", "txt")
KIND_COLUMN = "customer_kind"  # hidden column telling whether a row's name is a person's
MAX_WIDTH = 60
MIN_WIDTH = 6


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    format: str
    rows: int
    masked: bool


def export_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValidationFailed(
            tr(
                "导出文件应以 .xlsx、.csv 或 .txt 结尾",
                "The export file must end in .xlsx, .csv or .txt",
            ),
            field="out",
        )
    return suffix


def display_width(text: str) -> int:
    """Terminal/Excel cell width: East Asian wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --- cell values ----------------------------------------------------------------------


def _mask(column: Column, value: Any, kind: str | None) -> Any:
    if value is None or not column.pii:
        return value
    if column.pii == "name":
        return mask_name(str(value)) if kind in (None, "individual") else value
    if column.pii == "phone":
        return mask_phone(str(value))
    if column.pii == "id_number":
        return mask_id_number(str(value))
    return value


def _clean(value: Any) -> Any:
    """pandas' missing values (NaN, NaT, NA) → None."""
    if value is None:
        return None
    try:
        if value != value:  # NaN
            return None
    except (TypeError, ValueError):
        return value
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def export_rows(result: ReportResult, *, masked: bool) -> Iterator[list[Any]]:
    """The visible cells of each row, masked when asked, as Python values."""
    columns = result.visible_columns
    keys = [c.key for c in columns]
    frame = result.frame
    kinds = frame[KIND_COLUMN].tolist() if KIND_COLUMN in frame else None
    pii = masked and any(c.pii for c in columns)
    data = [frame[k].tolist() if k in frame else [None] * len(frame) for k in keys]
    for index in range(len(frame)):
        row = [_clean(values[index]) for values in data]
        if pii:
            kind = kinds[index] if kinds is not None else None
            row = [_mask(c, v, kind) for c, v in zip(columns, row, strict=True)]
        yield row


def format_cell(column: Column, value: Any) -> str:
    """Human form of a value (terminal, text export)."""
    value = _clean(value)
    if value is None:
        return ""
    if column.kind is Kind.MONEY or column.kind is Kind.NUMBER:
        return f"{Decimal(value):,.2f}"
    if column.kind is Kind.PERCENT:
        return f"{Decimal(value) * 100:.2f}%"
    if column.kind is Kind.INT:
        return f"{int(value):,}"
    if column.kind is Kind.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


def header_lines(result: ReportResult) -> list[tuple[str, str]]:
    lines = list(result.param_lines)
    lines.append(
        (tr("生成时间", "Generated"), result.generated_at.strftime("%Y-%m-%d %H:%M:%S %z"))
    )
    lines.append((tr("生成人", "By"), result.generated_by))
    return lines


def totals_label() -> str:
    return tr("合计", "Total")


# --- xlsx -----------------------------------------------------------------------------


def write_xlsx(result: ReportResult, path: Path, *, masked: bool) -> int:
    import xlsxwriter
    from xlsxwriter.utility import xl_rowcol_to_cell

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
        formats = {
            Kind.MONEY: workbook.add_format({"num_format": "#,##0.00"}),
            Kind.NUMBER: workbook.add_format({"num_format": "#,##0.00"}),
            Kind.PERCENT: workbook.add_format({"num_format": "0.00%"}),
            Kind.INT: workbook.add_format({"num_format": "#,##0"}),
            Kind.DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
            Kind.TEXT: workbook.add_format({}),
        }
        total_formats = {
            kind: workbook.add_format(
                {"bold": True, "top": 1, "num_format": fmt.num_format or "General"}
            )
            for kind, fmt in formats.items()
        }
        widths = [max(MIN_WIDTH, display_width(c.label) + 2) for c in columns]

        row = 0
        sheet.write_string(row, 0, result.title, title_format)
        for label, value in header_lines(result):
            row += 1
            sheet.write_string(row, 0, label, bold)
            sheet.write_string(row, 1, value)
        for note in result.notes:
            row += 1
            sheet.write_string(row, 0, note)
        row += 2
        header_row = row
        for index, column in enumerate(columns):
            sheet.write_string(header_row, index, column.label, header)
        writers = [_writer(sheet, c.kind, formats[c.kind]) for c in columns]
        count = 0
        for values in export_rows(result, masked=masked):
            row += 1
            count += 1
            for index, value in enumerate(values):
                if value is None:
                    continue
                width = writers[index](row, index, value)
                if width > widths[index]:
                    widths[index] = width
        last_data = row
        if result.totals is not None:
            row += 1
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
        sheet.freeze_panes(header_row + 1, 0)
        sheet.autofilter(header_row, 0, max(last_data, header_row), len(columns) - 1)
        for index, width in enumerate(widths):
            sheet.set_column(index, index, min(MAX_WIDTH, width))
    finally:
        workbook.close()
    return count


def _sheet_name(title: str) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return name[:31] or "report"


def _writer(sheet: Any, kind: Kind, fmt: Any) -> Any:
    """A function writing one value of this kind and returning the width it needs."""
    if kind is Kind.MONEY or kind is Kind.NUMBER:

        def write_money(row: int, col: int, value: Any) -> int:
            sheet.write_number(row, col, float(value), fmt)
            return len(f"{value:,.2f}") + 2

        return write_money
    if kind is Kind.PERCENT:

        def write_percent(row: int, col: int, value: Any) -> int:
            sheet.write_number(row, col, float(value), fmt)
            return 10

        return write_percent
    if kind is Kind.INT:

        def write_int(row: int, col: int, value: Any) -> int:
            sheet.write_number(row, col, int(value), fmt)
            return len(f"{int(value):,}") + 2

        return write_int
    if kind is Kind.DATE:

        def write_date(row: int, col: int, value: Any) -> int:
            if isinstance(value, date):
                sheet.write_datetime(row, col, value, fmt)
            else:
                sheet.write_string(row, col, str(value))
            return 12

        return write_date

    def write_text(row: int, col: int, value: Any) -> int:
        text = str(value)
        sheet.write_string(row, col, text, fmt)
        return display_width(text) + 2

    return write_text


# --- csv and text ---------------------------------------------------------------------


def _csv_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.kind is Kind.MONEY or column.kind is Kind.NUMBER:
        return f"{Decimal(value):.2f}"
    if column.kind is Kind.TEXT:
        text = str(value)
        # A spreadsheet would run a cell starting with = + - @ as a formula.
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
    if column.kind is Kind.INT:
        return str(int(value))
    return format_cell(column, value)  # percent "65.23%" (Excel reads it as a number), date


def write_csv(result: ReportResult, path: Path, *, masked: bool) -> int:
    """UTF-8 with BOM (Excel opens it as Unicode); one header row, then the data rows."""
    columns = result.visible_columns
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.label for c in columns])
        for values in export_rows(result, masked=masked):
            writer.writerow([_csv_cell(c, v) for c, v in zip(columns, values, strict=True)])
            count += 1
    return count


class _WideChars:
    """tabulate measures with `wcwidth.wcswidth` when present; this one knows CJK."""

    @staticmethod
    def wcswidth(text: str) -> int:
        return display_width(text)

    wcwidth = wcswidth


@contextmanager
def _cjk_tabulate() -> Iterator[None]:
    import tabulate as module

    saved = (module.wcwidth, module.WIDE_CHARS_MODE)  # type: ignore[attr-defined]
    module.wcwidth = _WideChars  # type: ignore[attr-defined]
    module.WIDE_CHARS_MODE = True
    try:
        yield
    finally:
        module.wcwidth, module.WIDE_CHARS_MODE = saved  # type: ignore[attr-defined]


def tabulate_cjk(rows: Sequence[Sequence[str]], headers: Sequence[str], **options: Any) -> str:
    from tabulate import tabulate

    with _cjk_tabulate():
        return tabulate(rows, headers=list(headers), disable_numparse=True, **options)


def render_text(
    result: ReportResult, *, masked: bool = True, limit: int | None = None, header: bool = True
) -> str:
    """A plain-text table (terminal, e-mail): title and parameters, rows, the totals row."""
    columns = result.visible_columns
    rows: list[list[str]] = []
    for number, values in enumerate(export_rows(result, masked=masked)):
        if limit is not None and number >= limit:
            break
        rows.append([format_cell(c, v) for c, v in zip(columns, values, strict=True)])
    if result.totals is not None:
        total_row = [format_cell(c, result.totals.get(c.key)) for c in columns]
        total_row[0] = totals_label()
        rows.append(total_row)
    aligns = ["right" if c.kind is not Kind.TEXT else "left" for c in columns]
    table = tabulate_cjk(rows, [c.label for c in columns], colalign=aligns, tablefmt="simple")
    if not header:
        return table + "\n"
    lines = [result.title]
    lines += [f"{label}: {value}" for label, value in header_lines(result)]
    lines += result.notes
    if limit is not None and result.row_count > limit:
        lines.append(
            tr(
                "（显示前 {n} 行，共 {t} 行）",
                "(first {n} of {t} rows)",
                n=limit,
                t=result.row_count,
            )
        )
    return "\n".join([*lines, "", table]) + "\n"


def write_text(result: ReportResult, path: Path, *, masked: bool) -> int:
    path.write_text(render_text(result, masked=masked), encoding="utf-8")
    return result.row_count


# --- the audited service --------------------------------------------------------------


class ExportService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def export(self, actor: Actor, result: ReportResult, path: Path | str) -> ExportSummary:
        """Write `result` to `path` (format from the suffix) and audit it."""
        actor.require(Permission.EXPORT)
        path = Path(path).expanduser()
        fmt = export_format(path)
        if not path.parent.exists():
            raise ValidationFailed(
                tr("目录不存在：{d}", "No such directory: {d}", d=str(path.parent)), field="out"
            )
        masked = not actor.can(Permission.PII_UNMASKED_EXPORT)
        writer = {"xlsx": write_xlsx, "csv": write_csv, "txt": write_text}[fmt]
        try:
            rows = writer(result, path, masked=masked)
        except OSError as error:
            raise ValidationFailed(
                tr("无法写入 {p}：{e}", "Cannot write {p}: {e}", p=str(path), e=error.strerror),
                field="out",
            ) from None
        with self.database.session() as session:
            audit.record(
                session,
                actor,
                "export",
                entity="report",
                entity_id=result.name,
                detail=json.dumps(
                    {
                        "report": result.name,
                        "parameters": result.params.as_raw(),
                        "rows": rows,
                        "format": fmt,
                        "file": path.name,
                        "masked": masked,
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                ),
            )
            session.commit()
        return ExportSummary(path=path, format=fmt, rows=rows, masked=masked)


def json_value(column: Column, value: Any) -> Any:
    """CLI.md: money as a string with two decimals, dates ISO, ints as ints."""
    value = _clean(value)
    if value is None:
        return None
    if column.kind is Kind.MONEY or column.kind is Kind.NUMBER:
        return f"{Decimal(value):.2f}"
    if column.kind is Kind.PERCENT:
        return f"{Decimal(value):.4f}"
    if column.kind is Kind.INT:
        return int(value)
    if column.kind is Kind.DATE:
        return value.isoformat() if isinstance(value, date | datetime) else str(value)
    if isinstance(value, int | str):
        return value
    return str(value)
