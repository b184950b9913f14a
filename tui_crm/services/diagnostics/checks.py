"""The doctor's checks: each returns `Check` lines; none changes anything."""

import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui_crm.i18n import tr
from tui_crm.services.diagnostics.database import database_checks, sqlite_path
from tui_crm.storage.db import Database

MIB = 1024 * 1024
DISK_FAIL = 200 * MIB  # below this a night's backup or export will not fit
DISK_WARN = 2 * 1024 * MIB


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    message: str
    fix: str = ""


@dataclass(frozen=True)
class Target:
    """What the doctor looks at, as plain values (the CLI reads them from the config)."""

    database_url: str
    export_dir: Path | None = None
    timezone: str = ""
    config_file: Path | None = None
    config_problems: tuple[str, ...] = ()
    extra_private_dirs: tuple[Path, ...] = field(default_factory=tuple)


def run_checks(target: Target, database: Database | None = None) -> list[Check]:
    """Every check, in the order an administrator fixes things; `database` (tests)
    instead of opening the target's URL."""
    checks = list(_config(target))
    checks += [
        Check(name, Status(status), message, fix)
        for name, status, message, fix in database_checks(target.database_url, database)
    ]
    checks += list(_disk(target))
    checks += list(_permissions(target))
    return checks


def _config(target: Target) -> Iterator[Check]:
    where = (
        str(target.config_file)
        if target.config_file
        else tr("（无，使用默认值）", "(none, defaults)")
    )
    if not target.config_problems:
        yield Check("config", Status.OK, tr("配置文件：{f}", "Config file: {f}", f=where))
    for problem in target.config_problems:
        yield Check(
            "config",
            Status.FAIL,
            problem,
            tr("修改配置文件 {f}", "Edit the config file {f}", f=where),
        )
    if target.timezone:
        try:
            ZoneInfo(target.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            yield Check(
                "timezone",
                Status.FAIL,
                tr("未知时区：{z}", "Unknown time zone: {z}", z=target.timezone[:60]),
                tr("使用 IANA 名称，如 Asia/Shanghai", "Use an IANA name such as Asia/Shanghai"),
            )


def _disk(target: Target) -> Iterator[Check]:
    folders = [p.parent for p in [sqlite_path(target.database_url)] if p is not None]
    folders += [target.export_dir] if target.export_dir else []
    for folder in folders:
        existing = next((p for p in [folder, *folder.parents] if p.exists()), None)
        if existing is None:
            continue
        free = shutil.disk_usage(existing).free
        shown = tr("{f} 剩余 {n} MiB", "{f}: {n} MiB free", f=folder, n=f"{free // MIB:,}")
        if free < DISK_FAIL:
            yield Check("disk", Status.FAIL, shown, tr("清理磁盘空间", "Free disk space"))
        elif free < DISK_WARN:
            yield Check("disk", Status.WARN, shown, tr("尽快清理磁盘空间", "Free disk space soon"))
        else:
            yield Check("disk", Status.OK, shown)


def _permissions(target: Target) -> Iterator[Check]:
    database = sqlite_path(target.database_url)
    if database is not None:
        for path in [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))]:
            if path.exists():
                yield _owner_only(path, "database_file", "600")
    if target.export_dir is not None:
        if target.export_dir.exists():
            yield _owner_only(target.export_dir, "export_dir", "700")
        else:
            yield Check(
                "export_dir",
                Status.FAIL,
                tr(
                    "导出目录不存在：{d}",
                    "The export folder does not exist: {d}",
                    d=target.export_dir,
                ),
                f"mkdir -m 700 -p {target.export_dir}",
            )
    for folder in target.extra_private_dirs:
        if folder.exists():
            yield _owner_only(folder, "private_dir", "700")


def _owner_only(path: Path, name: str, mode: str) -> Check:
    bits = stat.S_IMODE(path.stat().st_mode)
    if bits & 0o077:
        return Check(
            name,
            Status.FAIL,
            tr(
                "{p} 的权限为 {m}，其他用户可读",
                "{p} is mode {m}: other users can read it",
                p=path,
                m=f"{bits:o}",
            ),
            f"chmod {mode} {path}",
        )
    return Check(name, Status.OK, tr("{p} 仅属主可访问", "{p} is owner-only", p=path))
