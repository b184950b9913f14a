"""`ImportService`: the preview, the import of one extract file and the batch list.

Every call takes the acting user and needs `import.run`; rows of units outside the user's
units are rejected; each batch is recorded and audited."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui_crm.i18n import tr
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.core.masking import mask_id_number, mask_phone
from tui_crm.services.imports import batch as batches
from tui_crm.services.imports.columns import KINDS, LAYOUTS
from tui_crm.services.imports.customers import Customers
from tui_crm.services.imports.finance import Claims, Receivables
from tui_crm.services.imports.kind import Kind
from tui_crm.services.imports.lookups import Context
from tui_crm.services.imports.policies import Policies
from tui_crm.services.imports.profile import Profile, load_profile, map_headers
from tui_crm.services.imports.reader import open_table, sha256
from tui_crm.services.imports.rejects import RejectsWriter
from tui_crm.services.imports.runner import Cancelled, Progress, Run
from tui_crm.services.imports.vehicles import Vehicles
from tui_crm.storage.db import Database

HANDLERS: dict[str, Kind] = {
    "customers": Customers(),
    "vehicles": Vehicles(),
    "policies": Policies(),
    "claims": Claims(),
    "receivables": Receivables(),
}
MASKED = {"customer_key", "id_number", "holder_key", "insured_key", "owner_key"}


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    kind: str
    file: str
    status: str  # done / dry_run / cancelled / failed
    read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    rejects_file: str | None
    seconds: float
    ignored_columns: tuple[str, ...] = ()
    resumed: bool = False
    message: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "batch_id": self.batch_id,
            "kind": self.kind,
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rejects_file": self.rejects_file,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Preview:
    kind: str
    columns: tuple[str, ...]  # canonical columns found, in file order
    rows: tuple[tuple[str, ...], ...]  # the first rows as mapped (personal data masked)
    ignored_columns: tuple[str, ...]
    encoding: str | None


def check_kind(kind: str) -> str:
    if kind not in LAYOUTS:
        raise ValidationFailed(
            tr(
                "未知数据类型 {k}（可用：{a}）",
                "Unknown kind {k} (one of: {a})",
                k=kind,
                a=", ".join(KINDS),
            ),
            field="kind",
        )
    return kind


def _mask(column: str, value: str) -> str:
    if column in MASKED and len(value) >= 15:
        return mask_id_number(value) or ""
    if column == "phone" and value:
        return mask_phone(value) or ""
    return value


class ImportService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def preview(
        self,
        actor: Actor,
        kind: str,
        path: Path,
        *,
        profile: str | None = None,
        encoding: str | None = None,
        rows: int = 10,
    ) -> Preview:
        """The first `rows` rows as the profile maps them (nothing written)."""
        actor.require(Permission.IMPORT_RUN)
        chosen = load_profile(profile)
        with open_table(path, encoding=encoding) as table:
            mapping = map_headers(check_kind(kind), table.headers, chosen)
            columns = tuple(sorted(mapping.positions, key=mapping.positions.__getitem__))
            out = []
            for _number, cells in table.rows:
                mapped = mapping.row(cells, chosen)
                out.append(tuple(_mask(c, mapped[c]) for c in columns))
                if len(out) >= rows:
                    break
            return Preview(kind, columns, tuple(out), tuple(mapping.ignored), table.encoding)

    def run(
        self,
        actor: Actor,
        kind: str,
        path: Path,
        *,
        profile: str | None = None,
        encoding: str | None = None,
        dry_run: bool = False,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportResult:
        """Import one extract file of `kind`; a file that is not that kind is refused as a
        whole (nothing recorded), a bad row goes to the rejects file, every valid row is kept."""
        actor.require(Permission.IMPORT_RUN)
        started = time.perf_counter()
        chosen = load_profile(profile)
        with open_table(path, encoding=encoding) as table:
            mapping = map_headers(check_kind(kind), table.headers, chosen)
            digest = sha256(path)
            record = batches.start(
                self.database,
                actor,
                kind=kind,
                file_name=str(path),
                sha256=digest,
                profile=chosen.name,
                source=chosen.source,
                dry_run=dry_run,
            )
            writer = RejectsWriter(
                path, table.headers, table.encoding, offset=record.rejects_offset
            )
            with self.database.connect() as connection:
                ctx = Context.load(connection, actor, self.clock.today(), chosen.source)
            run = Run(
                self.database,
                HANDLERS[kind],
                table,
                mapping,
                chosen,
                ctx,
                record,
                writer,
                progress,
                cancelled or (lambda: False),
            )
            status, message = self._execute(run, dry_run)
        kept = writer.close(keep=record.rejected > 0)
        record.rejects_file = str(kept) if kept else None
        batches.finish(self.database, actor, record, status=status, message=message)
        return self._result(record, kind, path, mapping.ignored, started, message)

    @staticmethod
    def _execute(run: Run, dry_run: bool) -> tuple[str, str | None]:
        try:
            run.execute(dry_run=dry_run)
        except Cancelled as stop:
            return "cancelled", str(stop)
        except ValidationFailed as error:  # the file stopped decoding half-way
            return "failed", error.message
        except Exception as error:  # recorded on the batch; committed chunks stay
            return "failed", f"{type(error).__name__}: {str(error)[:300]}"
        return ("dry_run" if dry_run else "done"), None

    @staticmethod
    def _result(
        record: batches.BatchRecord,
        kind: str,
        path: Path,
        ignored: list[str],
        started: float,
        message: str | None,
    ) -> ImportResult:
        return ImportResult(
            batch_id=record.id,
            kind=kind,
            file=str(path),
            status=record.status,
            read=record.rows_read,
            inserted=record.inserted,
            updated=record.updated,
            unchanged=record.unchanged,
            rejected=record.rejected,
            rejects_file=record.rejects_file,
            seconds=time.perf_counter() - started,
            ignored_columns=tuple(ignored),
            resumed=record.resumed,
            message=message,
        )

    def batches(self, actor: Actor, *, limit: int = 50) -> list[batches.BatchSummary]:
        actor.require(Permission.IMPORT_RUN)
        return batches.recent(self.database, actor, limit)

    def profiles(self) -> list[str]:
        from tui_crm.services.imports.profile import shipped_profiles

        return shipped_profiles()


__all__ = ["ImportResult", "ImportService", "Preview", "Profile"]
