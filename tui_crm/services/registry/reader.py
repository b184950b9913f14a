"""A small reader of registry files: CSV in UTF-8 (with or without BOM) or GB18030, or
xlsx (the first sheet). Rows come out as dicts keyed by the canonical headers, so the
matching takes any iterable of such dicts (a later import machinery feeds it the same).
"""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HEADERS = ("plate", "vin", "owner_name", "owner_id", "registration_date", "use", "district_code")
OPTIONAL = ("make_model",)


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    """The rows of `path` as {header: text}; headers lower-cased and stripped."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _xlsx(path)
        return
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        text = data.decode("utf-8", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        yield {_header(k): (v or "").strip() for k, v in row.items() if k is not None}


def missing_headers(row: dict[str, str]) -> list[str]:
    return [h for h in HEADERS if h not in row]


def _header(name: str) -> str:
    return (name or "").strip().lower()


def _xlsx(path: Path) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_header(str(h or "")) for h in next(rows, ())]
        for values in rows:
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            yield {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()
    return str(value).strip()
