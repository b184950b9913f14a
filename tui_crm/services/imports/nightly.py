"""A night's folder: its files imported in dependency order (customers, vehicles,
policies, claims, receivables), then — for the nightly run — the derived report data
refreshed and every customer classified as of today, with one summary."""

from dataclasses import dataclass, field
from pathlib import Path

from tui_crm.i18n import tr
from tui_crm.services.classification import ClassificationService
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import ServiceError, ValidationFailed
from tui_crm.services.imports.columns import KINDS
from tui_crm.services.imports.service import ImportResult, ImportService
from tui_crm.services.reports import ReportService

SUFFIXES = (".csv", ".xlsx", ".txt")


def night_files(folder: Path) -> list[tuple[str, Path]]:
    """(kind, file) in import order: a file belongs to the kind its name starts with
    (`customers.csv`, `policies_20261206.xlsx`); rejects files are skipped."""
    if not folder.is_dir():
        raise ValidationFailed(
            tr("找不到文件夹 {p}", "No such folder {p}", p=str(folder)), field="dir"
        )
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and ".rejects" not in p.name
    )
    out: list[tuple[str, Path]] = []
    for kind in KINDS:
        out.extend((kind, p) for p in files if p.name.lower().startswith(kind))
    if not out:
        raise ValidationFailed(
            tr(
                "文件夹 {p} 中没有可导入的文件（文件名以 {k} 开头）",
                "No extract files in {p} (names start with {k})",
                p=str(folder),
                k="/".join(KINDS),
            ),
            field="dir",
        )
    return out


@dataclass
class FolderResult:
    imports: list[ImportResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # files refused as a whole
    refresh: str | None = None
    classification: dict[str, object] | None = None

    @property
    def rejected(self) -> int:
        return sum(r.rejected for r in self.imports)

    @property
    def ok(self) -> bool:
        failed = any(r.status not in ("done", "dry_run") for r in self.imports)
        return not self.failures and not failed and self.rejected == 0

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "imports": [r.as_json() | {"file": r.file, "status": r.status} for r in self.imports],
            "failures": self.failures,
            "rejected": self.rejected,
            "refresh": self.refresh,
            "classification": self.classification,
        }


def import_folder(
    service: ImportService,
    actor: Actor,
    folder: Path,
    *,
    profile: str | None = None,
    encoding: str | None = None,
    dry_run: bool = False,
) -> FolderResult:
    """Every file of the folder in order; a file refused as a whole is reported and the
    others still run (what depends on it is rejected row by row)."""
    actor.require(Permission.IMPORT_RUN)
    result = FolderResult()
    for kind, path in night_files(folder):
        try:
            result.imports.append(
                service.run(actor, kind, path, profile=profile, encoding=encoding, dry_run=dry_run)
            )
        except ServiceError as error:
            result.failures.append(f"{path.name}: {error.message}")
    return result


def nightly(
    service: ImportService,
    reports: ReportService,
    classification: ClassificationService,
    actor: Actor,
    folder: Path,
    *,
    profile: str | None = None,
    encoding: str | None = None,
) -> FolderResult:
    """Import the folder, refresh the report data, classify as of today."""
    actor.require(Permission.IMPORT_RUN)
    actor.require(Permission.REPORT_RUN)
    actor.require(Permission.CLASSIFY_RUN)
    result = import_folder(service, actor, folder, profile=profile, encoding=encoding)
    try:
        result.refresh = reports.refresh_cube(actor).outcome
    except ServiceError as error:
        result.failures.append(tr("报表数据：{m}", "Report data: {m}", m=error.message))
    run = classification.run(actor, service.clock.today())
    result.classification = {
        "run_id": run.run_id,
        "status": run.status,
        "customers": run.customers,
        "updated": run.updated,
        "class_changes": run.changes,
    }
    if run.status != "done":
        result.failures.append(tr("客户分类未完成", "Classification did not finish"))
    return result


__all__ = ["FolderResult", "import_folder", "night_files", "nightly"]
