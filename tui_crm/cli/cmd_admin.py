"""Commands that need no business user: `schema`, and `whoami` to check a sign-in."""

import argparse
from pathlib import Path

from tui_crm.cli.common import add_common_options, command, print_json, print_table, with_actor
from tui_crm.i18n import SUPPORTED, normalise, tr


def register(subparsers: argparse._SubParsersAction) -> None:
    schema = subparsers.add_parser("schema", help="write the PostgreSQL DDL to schema.sql")
    schema.add_argument("--out", default="schema.sql", help="file to write (default schema.sql)")
    schema.add_argument("--stdout", action="store_true", help="print instead of writing")
    schema.add_argument("--lang", type=normalise, choices=SUPPORTED)
    schema.set_defaults(handler=_schema)

    whoami = subparsers.add_parser("whoami", help="sign in and show role, unit and scope")
    add_common_options(whoami)
    whoami.set_defaults(handler=_whoami)


@command
def _schema(args: argparse.Namespace) -> int:
    from tui_crm.storage.schema import postgresql_ddl

    ddl = postgresql_ddl()
    if args.stdout:
        print(ddl, end="")
    else:
        Path(args.out).write_text(ddl, encoding="utf-8")
        print(tr("已写入 {p}", "Wrote {p}", p=args.out))
    return 0


@with_actor
def _whoami(args, services, actor) -> int:
    data = {
        "id": actor.id,
        "username": actor.username,
        "display_name": actor.display_name,
        "role": actor.role,
        "unit_code": actor.unit_code,
        "scope_units": len(actor.scope_unit_ids),
        "permissions": sorted(actor.permissions),
    }
    if args.json:
        print_json(data)
    else:
        print_table([[k, v] for k, v in data.items()], [tr("项", "item"), tr("值", "value")])
    return 0
