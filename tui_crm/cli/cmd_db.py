"""`tui-crm db upgrade|current|history`: the book's schema revision (Alembic).

Operator commands: they need the database (TUI_CRM_DATABASE_URL), not a staff user, since
a book whose schema is behind cannot sign anyone in."""

import argparse
from typing import Any

from tui_crm.cli.common import add_common_options, command, fail, print_json, print_table
from tui_crm.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("db", help="schema revision: upgrade, current, history")
    commands = group.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = commands.add_parser("upgrade", help="migrate the database to this program's schema")
    upgrade.add_argument(
        "--revision", default="head", metavar="REV", help="target revision (default head)"
    )
    add_common_options(upgrade, user=False)
    upgrade.set_defaults(handler=_upgrade)
    current = commands.add_parser("current", help="the database's schema revision and head")
    add_common_options(current, user=False)
    current.set_defaults(handler=_current)
    history = commands.add_parser("history", help="every schema revision, newest first")
    add_common_options(history, user=False)
    history.set_defaults(handler=_history)


def _open() -> Any:
    from tui_crm.config import Settings
    from tui_crm.storage.db import Database

    return Database.from_url(Settings.from_env().database_url)


def _state_json(state: Any) -> dict[str, Any]:
    return {"state": state.kind, "current": state.current, "head": state.head}


@command
def _upgrade(args: argparse.Namespace) -> int:
    from tui_crm.services.core import SchemaOutOfDate
    from tui_crm.storage.migrate import SchemaMismatch, known_revisions

    if args.revision != "head" and args.revision not in known_revisions():
        fail(
            tr("未知的结构版本：{r}", "Unknown schema revision: {r}", r=args.revision),
            field="revision",
        )
    database = _open()
    try:
        before = database.schema_state()
        try:
            after = database.upgrade_schema(args.revision)
        except SchemaMismatch as error:
            raise SchemaOutOfDate(error.state.message) from None
    finally:
        database.dispose()
    if args.json:
        print_json({"from": before.current, "to": after.current, **_state_json(after)})
    else:
        print(
            tr(
                "数据库结构：{a} → {b}（程序 {h}）",
                "Database schema: {a} → {b} (program {h})",
                a=before.current or tr("无", "none"),
                b=after.current,
                h=after.head,
            )
        )
    return 0


@command
def _current(args: argparse.Namespace) -> int:
    database = _open()
    try:
        state = database.schema_state()
    finally:
        database.dispose()
    if args.json:
        print_json(_state_json(state))
        return 0
    words = {
        "current": tr("与程序一致", "matches this program"),
        "behind": tr("旧于程序：请运行 tui-crm db upgrade", "older: run tui-crm db upgrade"),
        "ahead": tr("新于程序：请安装新版", "newer: install the newer program"),
        "unversioned": tr(
            "迁移之前建立：tui-crm db upgrade 将标记为基线",
            "made before migrations: tui-crm db upgrade stamps it as the baseline",
        ),
        "empty": tr("空库：首次使用时建立", "empty: created on first use"),
    }
    print_table(
        [[state.current or "-", state.head, words[state.kind]]],
        [tr("数据库", "database"), tr("程序", "program"), tr("状态", "state")],
    )
    return 0


@command
def _history(args: argparse.Namespace) -> int:
    from tui_crm.storage.migrate import history

    revisions = history()
    if args.json:
        print_json(
            [
                {
                    "revision": r.revision,
                    "down_revision": r.down_revision,
                    "title": r.title,
                    "head": r.is_head,
                }
                for r in revisions
            ]
        )
        return 0
    print_table(
        [
            [r.revision, r.down_revision or "-", r.title, "head" if r.is_head else ""]
            for r in revisions
        ],
        [tr("版本", "revision"), tr("前一版本", "revises"), tr("说明", "title"), ""],
    )
    return 0
