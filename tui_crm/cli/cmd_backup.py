"""`tui-crm backup FILE` and `tui-crm restore FILE [--replace]`: the whole book, checked.

Operator commands like `db`: they need the database (TUI_CRM_DATABASE_URL), not a staff
user — a restore goes into an empty database that has no users yet."""

import argparse
from pathlib import Path
from typing import Any

from tui_crm.cli.common import add_common_options, command, print_json, print_table
from tui_crm.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser("backup", help="back the book up to FILE while clerks work")
    backup.add_argument("file", metavar="FILE", help="the backup file to write (must not exist)")
    add_common_options(backup, user=False)
    backup.set_defaults(handler=_backup)
    restore = subparsers.add_parser("restore", help="restore a backup into an empty database")
    restore.add_argument("file", metavar="FILE", help="a file written by tui-crm backup")
    restore.add_argument(
        "--replace", action="store_true", help="replace a database that is not empty"
    )
    add_common_options(restore, user=False)
    restore.set_defaults(handler=_restore)


def _engine() -> Any:
    from tui_crm.config import Settings
    from tui_crm.storage.db import make_engine

    return make_engine(Settings.from_env().database_url)


def _refused(error: Exception) -> Exception:
    from tui_crm.services.core import ServiceError

    return ServiceError(str(error), code="backup_failed")


def _counts(tables: dict[str, int]) -> None:
    print_table(sorted(tables.items()), [tr("表", "table"), tr("行数", "rows")])


@command
def _backup(args: argparse.Namespace) -> int:
    from tui_crm.storage.backup import BackupError, backup, manifest_path

    engine = _engine()
    try:
        report = backup(engine, Path(args.file))
    except BackupError as error:
        raise _refused(error) from None
    finally:
        engine.dispose()
    if args.json:
        print_json(report.as_json())
        return 0
    _counts(report.tables)
    print(
        tr(
            "已备份到 {f}（{n} 字节，结构版本 {r}，校验 {i}）；清单 {m}",
            "Backed up to {f} ({n} bytes, schema revision {r}, check {i}); manifest {m}",
            f=report.file,
            n=report.bytes,
            r=report.revision,
            i=report.integrity,
            m=manifest_path(Path(report.file)),
        )
    )
    return 0


@command
def _restore(args: argparse.Namespace) -> int:
    from tui_crm.storage.backup import BackupError, restore

    engine = _engine()
    try:
        report = restore(engine, Path(args.file), replace=args.replace)
    except BackupError as error:
        raise _refused(error) from None
    finally:
        engine.dispose()
    if args.json:
        print_json(report.as_json())
        return 0
    _counts(report.tables)
    print(
        tr(
            "已恢复 {f}：结构版本 {r}，行数{c}，校验 {i}",
            "Restored {f}: schema revision {r}, row counts {c}, check {i}",
            f=report.file,
            r=report.revision,
            c=tr("与清单一致", " match the manifest")
            if report.checked_against_manifest
            else tr("（无清单可比对）", " (no manifest to compare)"),
            i=report.integrity,
        )
    )
    if report.state == "behind":
        print(tr("结构旧于程序：请运行 tui-crm db upgrade", "Older schema: run tui-crm db upgrade"))
    return 0
