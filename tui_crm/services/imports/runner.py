"""One file imported: read as a stream, each row mapped and validated, chunks written and
committed together with the batch's counts and the length of the rejects file, so a killed
run leaves the book as it was after its last committed chunk, and the next run of the same
file resumes there. A dry run writes every chunk inside one transaction rolled back at the
end (the counts are what a real run would give)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from tui_crm.i18n import tr
from tui_crm.services.imports.batch import BatchRecord, save_progress
from tui_crm.services.imports.kind import Kind, Pending
from tui_crm.services.imports.lookups import Context
from tui_crm.services.imports.profile import Mapping, Profile
from tui_crm.services.imports.reader import Table
from tui_crm.services.imports.rejects import RejectsWriter
from tui_crm.services.imports.values import RowError
from tui_crm.storage.db import Database

CHUNK = 5000
Progress = Callable[[int], None]  # rows read so far


class Cancelled(Exception):
    """Raised between chunks when the caller cancelled: committed chunks stay."""


class _DryRun(Exception):
    """Rolls the dry run's transaction back."""


@dataclass
class Run:
    database: Database
    kind: Kind
    table: Table
    mapping: Mapping
    profile: Profile
    ctx: Context
    batch: BatchRecord
    rejects: RejectsWriter
    progress: Progress | None = None
    cancelled: Callable[[], bool] = lambda: False
    seen: dict[Any, int] = field(default_factory=dict)  # key → first row number
    pending: list[Pending] = field(default_factory=list)
    refused: list[tuple[int, list[str], RowError]] = field(default_factory=list)
    last_row: int = 0

    def execute(self, *, dry_run: bool) -> None:
        if dry_run:
            try:
                with self.database.connect() as connection:
                    self._loop(lambda: self._flush(connection, commit=False))
                    raise _DryRun
            except _DryRun:
                pass
            return
        self._loop(self._flush_committed)

    def _loop(self, flush: Callable[[], None]) -> None:
        resume_after = self.batch.rows_done
        for number, cells in self.table.rows:
            if number <= resume_after:
                self._remember(number, cells)
                continue
            self.batch.rows_read += 1
            self.last_row = number
            self._take(number, cells)
            if len(self.pending) + len(self.refused) >= CHUNK:
                flush()
                if self.progress is not None:
                    self.progress(self.batch.rows_read)
                if self.cancelled():
                    raise Cancelled(tr("导入已取消", "Import cancelled"))
        flush()

    def _remember(self, number: int, cells: list[str]) -> None:
        """A row a previous run committed: only its key, for the duplicate check."""
        try:
            values = self.kind.parse(self.mapping.row(cells, self.profile), self.ctx)
        except RowError:
            return
        self.seen.setdefault(self.kind.key(values), number)

    def _take(self, number: int, cells: list[str]) -> None:
        try:
            values = self.kind.parse(self.mapping.row(cells, self.profile), self.ctx)
            key = self.kind.key(values)
            first = self.seen.get(key)
            if first is not None:
                raise RowError(
                    self._key_column(),
                    tr("文件内重复：与第 {n} 行相同", "Duplicate of row {n} in this file", n=first),
                )
            self.seen[key] = number
        except RowError as error:
            self.refused.append((number, cells, error))
            return
        self.pending.append(Pending(number, cells, values))

    def _key_column(self) -> str:
        key = self.kind.layout.key
        if key == "vehicle":
            return "vin" if "vin" in self.mapping.positions else "plate"
        return "policy_no" if key == "receivable" else key

    def _flush_committed(self) -> None:
        with self.database.connect() as connection:
            self._flush(connection, commit=True)

    def _flush(self, connection: Connection, *, commit: bool) -> None:
        rows, self.pending = self.pending, []
        refused, self.refused = self.refused, []
        if rows:
            result = self.kind.write(connection, rows, self.ctx)
            refused += [
                (p.number, p.cells, result.rejected[p.number])
                for p in rows
                if p.number in result.rejected
            ]
            self.batch.inserted += result.outcome.inserted
            self.batch.updated += result.outcome.updated
            self.batch.unchanged += result.outcome.unchanged
        for number, cells, error in sorted(refused, key=lambda r: r[0]):
            self.rejects.add(number, cells, error.column, error.reason)
        self.batch.rejected += len(refused)
        self.batch.rows_done = self.last_row
        self.batch.rejects_offset = self.rejects.offset
        if commit:
            save_progress(connection, self.batch)
