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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.reports.engine.base import Column, Kind, ReportResult
from tui_crm.services.reports.export.cells import (
    display_width,
    export_rows,
    format_cell,
    header_lines,
    totals_label,
)
from tui_crm.storage.db import Database

FORMATS = ("xlsx", "csv", "txt")


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


# --- xlsx -----------------------------------------------------------------------------


def write_xlsx(result: ReportResult, path: Path, *, masked: bool) -> int:
    """The .xlsx (see `services.export_xlsx`); returns the data rows written."""
    from tui_crm.services.reports.export.xlsx import write_workbook

    return write_workbook(result, path, masked=masked)


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
    if column.kind is Kind.INT or column.kind is Kind.ID:
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
