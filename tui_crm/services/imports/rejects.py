"""The rejects file beside the input: the rejected rows as they were, in the same format,
with the row number, the column and the reason added, so it can be corrected and imported
again (the three added columns are ignored then).

Rows are appended as CSV bytes and the file's length is kept with each committed chunk
(`offset`), so a resumed run cuts what an interrupted chunk wrote and carries on. An xlsx
input gets an xlsx rejects file, converted from that CSV when the run ends."""

import csv
import io
from pathlib import Path
from typing import BinaryIO

ADDED = ("row", "column", "reason")


def rejects_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects{path.suffix.lower() or '.csv'}")


class RejectsWriter:
    def __init__(
        self, source: Path, headers: list[str], encoding: str | None, *, offset: int = 0
    ) -> None:
        self.final = rejects_path(source)
        self.xlsx = self.final.suffix == ".xlsx"
        self.part = self.final.with_name(self.final.name + ".part.csv") if self.xlsx else None
        self.encoding = "utf-8" if self.xlsx else (encoding or "utf-8-sig")
        self.headers = headers
        self.count = 0
        target = self.part or self.final
        self.handle: BinaryIO
        if offset and target.exists():
            self.handle = target.open("r+b")
            self.handle.truncate(offset)
            self.handle.seek(offset)
        else:
            self.handle = target.open("wb")
            self._write([*headers, *ADDED], first=True)

    @property
    def offset(self) -> int:
        self.handle.flush()
        return self.handle.tell()

    def add(self, number: int, values: list[str], column: str, reason: str) -> None:
        cells = list(values[: len(self.headers)])
        cells += [""] * (len(self.headers) - len(cells))
        self._write([*cells, str(number), column, reason])
        self.count += 1

    def _write(self, cells: list[str], *, first: bool = False) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(cells)
        encoding = self.encoding
        if encoding == "utf-8-sig" and not first:
            encoding = "utf-8"  # the BOM only at the start
        self.handle.write(buffer.getvalue().encode(encoding, errors="replace"))

    def close(self, *, keep: bool) -> Path | None:
        """Finish the file; with nothing rejected (`keep` False) no file is left behind."""
        self.handle.close()
        target = self.part or self.final
        if not keep:
            target.unlink(missing_ok=True)
            if self.xlsx:
                self.final.unlink(missing_ok=True)
            return None
        if self.part is not None:
            _to_xlsx(self.part, self.final)
            self.part.unlink()
        return self.final


def _to_xlsx(part: Path, final: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("rejects")
    with part.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    book.save(final)
