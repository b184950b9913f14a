"""A small reader of registry files: CSV in UTF-8 (with or without BOM) or GB18030, or
xlsx (the first sheet). Rows come out as dicts keyed by the canonical headers (a mapping
profile names them from the file's own headers and translates values), so the matching
takes any iterable of such dicts (a later import machinery feeds it the same).
"""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tui_crm.services.registry.profile import Profile

HEADERS = ("plate", "vin", "owner_name", "owner_id", "registration_date", "use", "district_code")
OPTIONAL = ("make_model",)


def read_rows(path: Path, profile: Profile | None = None) -> Iterator[dict[str, str]]:
    """The rows of `path` as {canonical column: text}: headers named through `profile`
    (else lower-cased and stripped), two headers of one column joined by a space, the
    profile's values translated."""
    profile = profile or Profile("canonical")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raw: Iterator[tuple[list[str], list[str]]] = _xlsx(path)
    else:
        raw = _csv(path)
    for header, values in raw:
        yield _mapped(profile, header, values)


def _mapped(profile: Profile, header: list[str], values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in zip(header, values, strict=False):
        column = profile.column(name)
        if not column:
            continue
        if out.get(column) and value:
            out[column] = f"{out[column]} {value}"
        elif column not in out or value:
            out[column] = value
    for column, value in out.items():
        out[column] = profile.value(column, value)
    for name in header:  # a row shorter than its header still has every column
        out.setdefault(profile.column(name), "")
    out.pop("", None)
    return out


def _csv(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        text = data.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    for values in reader:
        if values:
            yield header, [v.strip() for v in values]


def missing_headers(row: dict[str, str]) -> list[str]:
    return [h for h in HEADERS if h not in row]


def _xlsx(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "") for h in next(rows, ())]
        for values in rows:
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            yield header, [_cell(v) for v in values]
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()
    return str(value).strip()
