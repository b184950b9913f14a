"""Streaming readers of extract files: CSV (UTF-8 with or without BOM, GB18030/GBK
detected or given) and xlsx (openpyxl read-only). A file is never loaded whole: rows come
one at a time with their row number as a spreadsheet shows it (the header is row 1)."""

import codecs
import csv
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from tui_crm.i18n import tr
from tui_crm.services.core.errors import ValidationFailed

SAMPLE = 1 << 16
ENCODINGS = {"utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312"}


@dataclass(frozen=True)
class Table:
    """An open extract: its format, encoding (CSV), header cells and the data rows."""

    path: Path
    format: str  # "csv" | "xlsx"
    encoding: str | None
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt", ""):
        return "csv"
    raise ValidationFailed(
        tr(
            "不支持的文件类型 {s}（CSV 或 xlsx）",
            "Unsupported file type {s} (CSV or xlsx)",
            s=suffix,
        ),
        field="file",
    )


def detect_encoding(path: Path) -> str:
    """utf-8-sig for a BOM, utf-8 when the first 64 KiB decode as UTF-8, else GB18030
    (what Chinese Windows exports write; a superset of GBK and GB2312)."""
    with path.open("rb") as handle:
        head = handle.read(SAMPLE)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=len(head) < SAMPLE)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_encoding(encoding: str) -> str:
    name = encoding.strip().lower().replace("_", "-")
    if name not in ENCODINGS:
        raise ValidationFailed(
            tr(
                "不支持的编码 {e}（可用：{a}）",
                "Unsupported encoding {e} (one of: {a})",
                e=encoding,
                a=", ".join(sorted(ENCODINGS)),
            ),
            field="encoding",
        )
    return "gb18030" if name in ("gbk", "gb2312") else name


def cell(value: Any) -> str:
    """A spreadsheet cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value)))
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


@contextmanager
def open_table(path: Path, *, encoding: str | None = None) -> Iterator[Table]:
    """The extract at `path`, open for streaming; refused when missing or unreadable."""
    if not path.is_file():
        raise ValidationFailed(tr("找不到文件 {p}", "No such file {p}", p=str(path)), field="file")
    kind = file_format(path)
    if kind == "xlsx":
        with _open_xlsx(path) as table:
            yield table
        return
    chosen = _check_encoding(encoding) if encoding else detect_encoding(path)
    with path.open("r", encoding=chosen, newline="", errors="strict") as handle:
        reader = csv.reader(handle)
        try:
            headers = next(reader, [])
        except UnicodeDecodeError:
            raise _undecodable(path, chosen) from None

        def rows() -> Iterator[tuple[int, list[str]]]:
            try:
                for number, values in enumerate(reader, start=2):
                    if "".join(values).strip():  # blank lines are not rows
                        yield number, values
            except UnicodeDecodeError:
                raise _undecodable(path, chosen) from None

        yield Table(path, "csv", chosen, [h.strip() for h in headers], rows())


def _undecodable(path: Path, encoding: str) -> ValidationFailed:
    return ValidationFailed(
        tr(
            "文件 {p} 不是 {e} 编码，请用 --encoding 指定",
            "{p} is not {e}; give the encoding with --encoding",
            p=path.name,
            e=encoding,
        ),
        field="encoding",
    )


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Table]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # zip, xml: a damaged or mislabelled file
        raise ValidationFailed(
            tr("无法读取 xlsx 文件 {p}：{e}", "Cannot read xlsx {p}: {e}", p=path.name, e=error),
            field="file",
        ) from None
    try:
        sheet = book.worksheets[0]
        source = sheet.iter_rows(values_only=True)
        headers = [cell(v).strip() for v in next(source, ())]

        def rows() -> Iterator[tuple[int, list[str]]]:
            for number, values in enumerate(source, start=2):
                texts = [cell(v) for v in values]
                if any(t.strip() for t in texts):
                    yield number, texts

        yield Table(path, "xlsx", None, headers, rows())
    finally:
        book.close()
