"""The regional vehicle registry: importing a snapshot (administrators, `import.run`),
the prospect lists it feeds and the conflicts between our own units (see `matching`
for the rules, `views` for the lists)."""

import csv
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass
from datetime import date
from pathlib import Path

from sqlmodel import select

from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.registry.matching import CHUNK, Context, Counts, match_chunk, unit_codes
from tui_crm.services.registry.profile import Profile, load_profile
from tui_crm.services.registry.reader import HEADERS, missing_headers, read_rows
from tui_crm.services.registry.rows import RegistryRow, Rejected, check_row
from tui_crm.services.registry.views import SORTS, Prospect, conflicts, prospects
from tui_crm.services.registry.views import Conflict as UnitConflict
from tui_crm.storage.db import Database, bulk_write_cache
from tui_crm.storage.models import RegistryBatch, StaffUser


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    read: int
    insured: int
    lapsed: int
    not_insured: int
    rejected: int
    conflicts: int
    changed: int
    new_customers: int
    rejects_path: str | None

    def as_json(self) -> dict[str, object]:
        keys = ("batch_id", "read", "insured", "lapsed", "not_insured", "rejected", "conflicts")
        return {k: getattr(self, k) for k in keys}


class RegistryService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def import_file(
        self,
        actor: Actor,
        path: Path,
        *,
        snapshot: date | None = None,
        profile: str | None = None,
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Import a CSV (UTF-8 or GB18030) or xlsx snapshot, its headers named by the
        mapping `profile` (a shipped name such as `registry_zh`, or a .toml file; the
        canonical headers without one); bad rows go to `<name>.rejects.csv` beside it."""
        actor.require(Permission.IMPORT_RUN)
        mapping = load_profile(profile)
        if not path.is_file():
            raise NotFound(tr("没有文件 {p}", "No file {p}", p=path), field="file")
        rejects = path.with_name(path.stem + ".rejects.csv")
        return self.import_rows(
            actor,
            read_rows(path, mapping),
            name=path.name,
            snapshot=snapshot,
            rejects_path=rejects,
            cancelled=cancelled,
            profile=mapping,
            progress=progress,
        )

    def import_rows(
        self,
        actor: Actor,
        rows: Iterable[dict[str, str]],
        *,
        name: str,
        snapshot: date | None = None,
        rejects_path: Path | None = None,
        cancelled: Callable[[], bool] | None = None,
        profile: Profile | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Match rows keyed by the canonical headers; one transaction for the snapshot
        (`cancelled` is asked and `progress` told the rows read after each chunk)."""
        actor.require(Permission.IMPORT_RUN)
        day = snapshot or self.clock.today()
        profile = profile or Profile("canonical")
        counts = Counts()
        with self.database.session() as session:
            batch = RegistryBatch(file_name=name[:300], snapshot_date=day, imported_by_id=actor.id)
            session.add(batch)
            session.flush()
            assert batch.id is not None
            ctx = Context(session, batch.id, day, unit_codes(session))
            try:
                with bulk_write_cache(session):
                    _match_all(ctx, rows, counts, profile, cancelled, progress)
            except _Cancelled:
                session.rollback()
                raise ValidationFailed(
                    tr("已取消，未导入", "Cancelled: nothing imported")
                ) from None
            written = _write_rejects(rejects_path, counts) if counts.rejects else None
            for key in ("read", "insured", "lapsed", "not_insured", "rejected", "conflicts",
                        "changed"):  # fmt: skip
                setattr(batch, key, getattr(counts, key))
            batch.rejects_path = written
            session.add(batch)
            audit.record(
                session,
                actor,
                "import",
                entity="registry_batch",
                entity_id=batch.id,
                after={
                    "file": name,
                    "profile": profile.name,
                    "snapshot": day,
                    "read": counts.read,
                    "changed": counts.changed,
                    "new_customers": counts.new_customers,
                    "rejected": counts.rejected,
                },
            )
            session.commit()
            return ImportResult(
                batch.id, counts.read, counts.insured, counts.lapsed, counts.not_insured,
                counts.rejected, counts.conflicts, counts.changed, counts.new_customers, written,
            )  # fmt: skip

    def prospects(
        self,
        actor: Actor,
        *,
        units: frozenset[int] | None = None,
        manager: str | None = None,
        sort: str = "renewal",
    ) -> list[Prospect]:
        """Registry vehicles not insured with us now, of the actor's units (or `units`)
        and of one account manager's customers, masked; sorted by `sort`."""
        actor.require(Permission.CUSTOMER_READ)
        if sort not in SORTS:
            raise ValidationFailed(
                tr("排序应为 {s}", "Sort by one of {s}", s=", ".join(SORTS)), field="sort"
            )
        scope = sorted((units or actor.scope_unit_ids) & actor.scope_unit_ids)
        with self.database.session() as session:
            manager_id = None
            if manager:
                staff = session.exec(select(StaffUser).where(StaffUser.username == manager)).first()
                if staff is None:
                    raise NotFound(
                        tr("没有员工 {u}", "No staff member {u}", u=manager), field="manager"
                    )
                manager_id = staff.id
            return prospects(session, scope, manager_id, self.clock.today(), sort)

    def export_prospects(self, actor: Actor, rows: list[Prospect], path: Path) -> int:
        """The list as CSV (masked as shown), audited."""
        actor.require(Permission.EXPORT)
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(list(Prospect.__dataclass_fields__))
            for row in rows:
                writer.writerow(["" if v is None else v for v in astuple(row)])
        with self.database.session() as session:
            audit.record(
                session, actor, "export", entity="report", entity_id="registry_prospects",
                after={"rows": len(rows), "file": path.name},
            )  # fmt: skip
            session.commit()
        return len(rows)

    def conflicts(self, actor: Actor) -> list[UnitConflict]:
        """Our own units competing for one customer or vehicle (managers: moving a
        customer between units is how one is settled)."""
        actor.require(Permission.CUSTOMER_MOVE)
        with self.database.session() as session:
            return conflicts(session, actor.scope_unit_ids, self.clock.today())


class _Cancelled(Exception):
    pass


def _match_all(
    ctx: Context,
    rows: Iterable[dict[str, str]],
    counts: Counts,
    profile: Profile,
    cancelled: Callable[[], bool] | None,
    progress: Callable[[int], None] | None,
) -> None:
    """Check the rows and match them a chunk at a time."""
    chunk: list[RegistryRow] = []
    for line, row in enumerate(rows, start=2):
        if counts.read == 0 and missing_headers(row):
            raise _missing(missing_headers(row), profile)
        counts.read += 1
        try:
            chunk.append(check_row(line, row))
        except Rejected as refused:
            counts.rejected += 1
            counts.rejects.append((line, row, refused.reason))
        if len(chunk) >= CHUNK:
            match_chunk(ctx, chunk, counts)
            chunk = []
            if progress is not None:
                progress(counts.read)
            if cancelled is not None and cancelled():
                raise _Cancelled
    if chunk:
        match_chunk(ctx, chunk, counts)


def _missing(columns: list[str], profile: Profile) -> ValidationFailed:
    """The columns missing, each with the headers the profile would read as it."""
    named = []
    for column in columns:
        known = profile.headers_for(column)
        named.append(f"{column}（{'/'.join(known)}）" if known else column)
    return ValidationFailed(
        tr(
            "缺少列：{h}（映射方案 {p}）",
            "Missing columns: {h} (profile {p})",
            h=", ".join(named),
            p=profile.name,
        ),
        field="file",
    )


def _write_rejects(path: Path | None, counts: Counts) -> str | None:
    """The rejected rows as they were read, with their line and reason (UTF-8 with BOM,
    so Excel and WPS open it as Chinese)."""
    if path is None:
        return None
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "reason", *HEADERS])
        for line, row, reason in counts.rejects:
            writer.writerow([line, reason, *(row.get(h, "") for h in HEADERS)])
    return str(path)
