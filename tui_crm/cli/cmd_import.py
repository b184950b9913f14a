"""First run and real data in: `init`, `unit import`, `import`, `import-batch`, `nightly`.

tui-crm init --admin NAME [--unit CODE]
tui-crm unit import FILE --user U
tui-crm import KIND FILE [--profile NAME] [--dry-run] [--encoding E] --user U [--json]
tui-crm import-batch DIR [--profile NAME] [--dry-run] [--encoding E] --user U [--json]
tui-crm nightly DIR [--profile NAME] [--encoding E] --user U [--json]
"""

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from tui_crm.cli.common import (
    add_common_options,
    command,
    fail,
    print_json,
    print_table,
    with_actor,
)
from tui_crm.i18n import tr

KIND_CHOICES = ["customers", "vehicles", "policies", "claims", "receivables"]


def register(subparsers: argparse._SubParsersAction) -> None:
    init = subparsers.add_parser(
        "init", help="empty database: schema, reference data and the first administrator"
    )
    init.add_argument("--admin", required=True, metavar="NAME", help="the administrator's username")
    init.add_argument(
        "--unit", metavar="CODE", help="the administrator's unit (default: the top unit)"
    )
    add_common_options(init, user=False)
    init.set_defaults(handler=_init)

    unit = subparsers.add_parser("unit", help="org units")
    actions = unit.add_subparsers(dest="action", metavar="ACTION", required=True)
    units = actions.add_parser("import", help="add or rename org units from a CSV file")
    units.add_argument("file", metavar="FILE", help="CSV: code,name,level,parent_code")
    add_common_options(units)
    units.set_defaults(handler=_unit_import)

    one = subparsers.add_parser("import", help="import one extract file (CSV or xlsx)")
    one.add_argument("kind", choices=KIND_CHOICES, metavar="KIND", help="|".join(KIND_CHOICES))
    one.add_argument("file", metavar="FILE")
    _file_options(one, dry_run=True)
    one.set_defaults(handler=_import)

    folder = subparsers.add_parser(
        "import-batch", help="import a night's folder in order (customers … receivables)"
    )
    folder.add_argument("dir", metavar="DIR")
    _file_options(folder, dry_run=True)
    folder.set_defaults(handler=_import_batch)

    night = subparsers.add_parser(
        "nightly", help="import a night's folder, refresh report data, classify as of today"
    )
    night.add_argument("dir", metavar="DIR")
    _file_options(night, dry_run=False)
    night.set_defaults(handler=_nightly)


def _file_options(parser: argparse.ArgumentParser, *, dry_run: bool) -> None:
    parser.add_argument(
        "--profile", metavar="NAME", help="mapping profile: core_zh, or a .toml file path"
    )
    parser.add_argument(
        "--encoding", metavar="E", help="CSV encoding: utf-8, utf-8-sig, gb18030, gbk"
    )
    if dry_run:
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count, write nothing"
        )
    add_common_options(parser)


def _password() -> str:
    password = os.environ.get("TUI_CRM_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            fail(tr("请设置 TUI_CRM_PASSWORD", "Set TUI_CRM_PASSWORD"), field="password")
        password = getpass.getpass(tr("管理员密码：", "Administrator password: "))
        again = getpass.getpass(tr("再输入一次：", "Again: "))
        if again != password:
            fail(tr("两次输入的密码不一致", "The passwords differ"), field="password")
    return password or ""


@command
def _init(args: argparse.Namespace) -> int:
    from tui_crm.config import Settings
    from tui_crm.services.setup import init_book
    from tui_crm.storage.db import Database

    password = _password()
    settings = Settings.from_env()
    database = Database.from_url(settings.database_url)
    try:
        result = init_book(
            database,
            admin=args.admin,
            password=password,
            unit_code=args.unit,
            fast_hash=settings.fast_hash,
        )
    finally:
        database.dispose()
    if args.json:
        print_json(result)
    else:
        print(
            tr(
                "已初始化：管理员 {a}（{u} {n}）",
                "Initialised: administrator {a} ({u} {n})",
                a=result.admin,
                u=result.unit_code,
                n=result.unit_name,
            )
        )
    return 0


@with_actor
def _unit_import(args, services, actor) -> int:
    from tui_crm.services.imports import import_units

    result = import_units(services.database, actor, Path(args.file))
    if args.json:
        print_json(result)
    else:
        print_table(
            [[k, v] for k, v in vars(result).items()], [tr("项", "item"), tr("值", "value")]
        )
    return 0


def _show(results: list[Any]) -> None:
    headers = [
        tr("批次", "batch"),
        tr("类型", "kind"),
        tr("状态", "status"),
        tr("读取", "read"),
        tr("新增", "inserted"),
        tr("更新", "updated"),
        tr("未变", "unchanged"),
        tr("拒绝", "rejected"),
        tr("拒绝文件", "rejects file"),
    ]
    rows = [
        [
            r.batch_id,
            r.kind,
            r.status,
            r.read,
            r.inserted,
            r.updated,
            r.unchanged,
            r.rejected,
            r.rejects_file or "",
        ]
        for r in results
    ]
    print_table(rows, headers)


def _notes(results: list[Any]) -> None:
    """Unknown columns (once per file) and why a run stopped, on stderr."""
    for r in results:
        if r.ignored_columns:
            sys.stderr.write(
                tr(
                    "{f}：忽略未知列 {c}",
                    "{f}: ignored unknown columns {c}",
                    f=Path(r.file).name,
                    c=", ".join(r.ignored_columns),
                )
                + "\n"
            )
        if r.message:
            sys.stderr.write(f"{Path(r.file).name}: {r.message}\n")


def _exit(ok: bool) -> int:
    return 0 if ok else 1


@with_actor
def _import(args, services, actor) -> int:
    show = sys.stderr.isatty() and not args.json

    def progress(done: int) -> None:
        if show:
            sys.stderr.write(f"\r{tr('已读取', 'Read')} {done:,}   ")
            sys.stderr.flush()

    result = services.imports.run(
        actor,
        args.kind,
        Path(args.file),
        profile=args.profile,
        encoding=args.encoding,
        dry_run=args.dry_run,
        progress=progress,
    )
    if show:
        sys.stderr.write("\n")
    if args.json:
        print_json(result.as_json())
    else:
        _show([result])
    _notes([result])
    return _exit(result.rejected == 0 and result.status in ("done", "dry_run"))


def _folder_output(args: argparse.Namespace, result: Any) -> int:
    _notes(result.imports)
    for failure in result.failures:
        sys.stderr.write(failure + "\n")
    if args.json:
        print_json(result.as_json())
    else:
        _show(result.imports)
        if result.refresh is not None:
            print(tr("报表数据：{o}", "Report data: {o}", o=result.refresh))
        if result.classification is not None:
            c = result.classification
            print(
                tr(
                    "客户分类：{n} 位客户，{u} 位有变化",
                    "Classification: {n} customers, {u} changed",
                    n=c["customers"],
                    u=c["updated"],
                )
            )
    return _exit(result.ok)


@with_actor
def _import_batch(args, services, actor) -> int:
    from tui_crm.services.imports import import_folder

    result = import_folder(
        services.imports,
        actor,
        Path(args.dir),
        profile=args.profile,
        encoding=args.encoding,
        dry_run=args.dry_run,
    )
    return _folder_output(args, result)


@with_actor
def _nightly(args, services, actor) -> int:
    from tui_crm.services.imports import nightly

    result = nightly(
        services.imports,
        services.reports,
        services.classification,
        actor,
        Path(args.dir),
        profile=args.profile,
        encoding=args.encoding,
    )
    return _folder_output(args, result)
