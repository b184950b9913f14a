"""Cell values of a report result as every export shows them: masked, cleaned of
pandas' missing values, formatted for the terminal and text, or for the CLI's JSON.

Shared by the writers (csv, text, xlsx) and the screens, below all of them.
"""

import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tui_crm.formats import ident
from tui_crm.i18n import tr
from tui_crm.services.core.masking import mask_id_number, mask_name, mask_phone
from tui_crm.services.reports.engine.base import Column, Kind, ReportResult

KIND_COLUMN = "customer_kind"  # hidden column telling whether a row's name is a person's


def display_width(text: str) -> int:
    """Terminal/Excel cell width: East Asian wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def mask_value(column: Column, value: Any, kind: str | None) -> Any:
    if value is None or not column.pii:
        return value
    if column.pii == "name":
        return mask_name(str(value)) if kind in (None, "individual") else value
    if column.pii == "phone":
        return mask_phone(str(value))
    if column.pii == "id_number":
        return mask_id_number(str(value))
    return value


def clean_value(value: Any) -> Any:
    """pandas' missing values (NaN, NaT, NA) → None."""
    if value is None or value.__class__ in _PLAIN:
        return value
    if value.__class__ is float:
        return None if value != value else value
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


_PLAIN = frozenset({str, int, Decimal, date, bool})


def export_rows(result: ReportResult, *, masked: bool, chunk: int = 5000) -> Iterator[list[Any]]:
    """The visible cells of each row, masked when asked, as Python values.

    The frame is read `chunk` rows at a time, so no second copy of it is ever built.
    """
    columns = result.visible_columns
    keys = [c.key for c in columns]
    frame = result.frame
    pii = masked and any(c.pii for c in columns)
    for start in range(0, len(frame), chunk):
        part = frame.iloc[start : start + chunk]
        data = [part[k].tolist() if k in part else [None] * len(part) for k in keys]
        kinds = part[KIND_COLUMN].tolist() if pii and KIND_COLUMN in part else None
        for index in range(len(part)):
            row = [clean_value(values[index]) for values in data]
            if pii:
                kind = kinds[index] if kinds is not None else None
                row = [mask_value(c, v, kind) for c, v in zip(columns, row, strict=True)]
            yield row


def format_cell(column: Column, value: Any) -> str:
    """Human form of a value (terminal, text export)."""
    value = clean_value(value)
    if value is None:
        return ""
    if column.kind is Kind.MONEY or column.kind is Kind.NUMBER:
        return f"{Decimal(value):,.2f}"
    if column.kind is Kind.PERCENT:
        return f"{Decimal(value) * 100:.2f}%"
    if column.kind is Kind.INT:
        return f"{int(value):,}"
    if column.kind is Kind.ID:
        return ident(int(value))
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


def json_value(column: Column, value: Any) -> Any:
    """The CLI's JSON form: money as a string with two decimals, dates ISO, ints as ints."""
    value = clean_value(value)
    if value is None:
        return None
    if column.kind is Kind.MONEY or column.kind is Kind.NUMBER:
        return f"{Decimal(value):.2f}"
    if column.kind is Kind.PERCENT:
        return f"{Decimal(value):.4f}"
    if column.kind is Kind.INT or column.kind is Kind.ID:
        return int(value)
    if column.kind is Kind.DATE:
        return value.isoformat() if isinstance(value, date | datetime) else str(value)
    if isinstance(value, int | str):
        return value
    return str(value)
