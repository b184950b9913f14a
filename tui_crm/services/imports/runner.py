"""One file imported: read as a stream, each row mapped and validated, chunks written and
committed together with the batch's counts and the length of the rejects file, so a killed
run leaves the book as it was after its last committed chunk, and the next run of the same
file resumes there. Chunks of 5,000 rows are written in one transaction until it has been
open for a second or two (each commit rewrites every index page the transaction touched,
so fewer commits write far less), then committed. A dry run writes every chunk inside one
transaction rolled back at the end (the counts are what a real run would give)."""

import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field

from sqlalchemy import Connection

from tui_crm.i18n import tr
from tui_crm.services.imports.batch import PROGRESS, BatchRecord, save_progress
from tui_crm.services.imports.kind import ChunkResult, Kind, Pending
from tui_crm.services.imports.lookups import Context
from tui_crm.services.imports.profile import Mapping, Profile
from tui_crm.services.imports.reader import Table
from tui_crm.services.imports.rejects import RejectsWriter
from tui_crm.services.imports.state import context_digest, key_text, known, remember, row_digest
from tui_crm.services.imports.values import RowError
from tui_crm.storage.db import Database

CHUNK = 5000
COMMIT_SECONDS = 1.5  # a transaction takes more chunks until it has been open this long
COMMIT_ROWS = 50_000
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
    seen: dict[str, int] = field(default_factory=dict)  # key → first row number
    read: list[tuple[int, list[str]]] = field(default_factory=list)  # rows of this chunk
    pending: list[Pending] = field(default_factory=list)
    refused: list[tuple[int, list[str], RowError]] = field(default_factory=list)
    last_row: int = 0
    context: bytes = b""  # what else a row's digest covers (`state.context_digest`)
    open: tuple[ExitStack, Connection, float] | None = None  # the uncommitted chunks
    committed: dict[str, int] = field(default_factory=dict)  # the batch's counts as saved

    def execute(self, *, dry_run: bool) -> None:
        if dry_run:
            try:
                with self.database.connect() as connection:
                    self._loop(lambda: self._flush(connection), lambda: None)
                    raise _DryRun
            except _DryRun:
                pass
            return
        self.committed = {name: getattr(self.batch, name) for name in PROGRESS}
        try:
            self._loop(self._flush_grouped, self._commit)
            self._commit()
        except BaseException as error:
            if self.open is not None:  # its chunks roll back: the counts go back too
                stack, self.open = self.open[0], None
                stack.__exit__(type(error), error, error.__traceback__)
                for name, value in self.committed.items():
                    setattr(self.batch, name, value)
            raise

    def _flush_grouped(self) -> None:
        if self.open is None:
            stack = ExitStack()
            connection = stack.enter_context(self.database.connect())
            self.open = (stack, connection, time.monotonic())
        connection, since = self.open[1], self.open[2]
        self._flush(connection)
        rows = self.batch.rows_read - self.committed["rows_read"]
        if time.monotonic() - since >= COMMIT_SECONDS or rows >= COMMIT_ROWS:
            self._commit()

    def _commit(self) -> None:
        if self.open is None:
            return
        stack, connection = self.open[0], self.open[1]
        save_progress(connection, self.batch)
        stack.close()  # commits (a failure here is rolled back and counted back as well)
        self.open = None
        self.committed = {name: getattr(self.batch, name) for name in PROGRESS}

    def _loop(self, flush: Callable[[], None], commit: Callable[[], None]) -> None:
        self.context = context_digest(self.kind.layout.kind, self.ctx, self.mapping, self.profile)
        resume_after = self.batch.rows_done
        for number, cells in self.table.rows:
            if number <= resume_after:
                self._remember(number, cells)
                continue
            self.batch.rows_read += 1
            self.last_row = number
            self.read.append((number, cells))
            if len(self.read) >= CHUNK:
                flush()
                if self.progress is not None:
                    self.progress(self.batch.rows_read)
                if self.cancelled():
                    commit()
                    raise Cancelled(tr("导入已取消", "Import cancelled"))
        flush()

    def _remember(self, number: int, cells: list[str]) -> None:
        """A row a previous run committed: only its key, for the duplicate check."""
        try:
            values = self.kind.parse(self.mapping.row(cells, self.profile), self.ctx)
        except RowError:
            return
        self.seen.setdefault(key_text(self.kind.key(values)), number)

    def _sort(self, connection: Connection) -> None:
        """The chunk read: rows as last imported (their digests and their book rows as
        recorded) counted unchanged at once, the others parsed into `pending`."""
        read, self.read = self.read, []
        digests = [row_digest(self.context, cells) for _, cells in read]
        same = self._unchanged(connection, digests)
        for (number, cells), digest in zip(read, digests, strict=True):
            key = same.get(digest)
            if key is None:
                self._take(number, cells, digest)
            elif (first := self.seen.get(key)) is not None:
                self.refused.append((number, cells, self._duplicate(first)))
            else:
                self.seen[key] = number
                self.batch.unchanged += 1

    def _unchanged(self, connection: Connection, digests: list[str]) -> dict[str, str]:
        """digest → key, for the rows whose book row still holds what it held after the
        row was last imported."""
        entries = known(connection, self.kind.layout.kind, self.ctx.source, digests)
        if not entries:
            return {}
        states = self.kind.states(connection, [e.target_id for e in entries.values()])
        return {d: e.key for d, e in entries.items() if states.get(e.target_id) == e.state}

    def _take(self, number: int, cells: list[str], digest: str) -> None:
        try:
            values = self.kind.parse(self.mapping.row(cells, self.profile), self.ctx)
            key = key_text(self.kind.key(values))
            first = self.seen.get(key)
            if first is not None:
                raise self._duplicate(first)
            self.seen[key] = number
        except RowError as error:
            self.refused.append((number, cells, error))
            return
        self.pending.append(Pending(number, cells, values, digest))

    def _duplicate(self, first: int) -> RowError:
        return RowError(
            self._key_column(),
            tr("文件内重复：与第 {n} 行相同", "Duplicate of row {n} in this file", n=first),
        )

    def _key_column(self) -> str:
        key = self.kind.layout.key
        if key == "vehicle":
            return "vin" if "vin" in self.mapping.positions else "plate"
        return "policy_no" if key == "receivable" else key

    def _flush(self, connection: Connection) -> None:
        self._sort(connection)
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
            self._record(connection, rows, result)
        for number, cells, error in sorted(refused, key=lambda r: r[0]):
            self.rejects.add(number, cells, error.column, error.reason)
        self.batch.rejected += len(refused)
        self.batch.rows_done = self.last_row
        self.batch.rejects_offset = self.rejects.offset

    def _record(self, connection: Connection, rows: list[Pending], result: ChunkResult) -> None:
        """The digests of the rows written or found unchanged, for the next import."""
        states = self.kind.states(connection, list(result.targets.values()))
        entries = []
        for p in rows:
            target = result.targets.get(p.number)
            if target is not None and target in states:
                key = key_text(self.kind.key(p.values))
                entries.append((key, p.digest, target, states[target]))
        remember(connection, self.kind.layout.kind, self.ctx.source, entries)
