"""`tui-crm`: the TUI when run alone, the same services headless with subcommands (docs/cli.md)."""

import argparse
import importlib
import sys

from tui_crm.cli.common import add_common_options, add_config_option
from tui_crm.cli.parser import CommandParser
from tui_crm.i18n import SUPPORTED, normalise

# One module per command group; each defines `register(subparsers)`.
COMMAND_MODULES = [
    "tui_crm.cli.cmd_admin",
    "tui_crm.cli.cmd_doctor",
    "tui_crm.cli.cmd_session",
    "tui_crm.cli.cmd_users",
    "tui_crm.cli.cmd_service",
    "tui_crm.cli.cmd_validate",
    "tui_crm.cli.cmd_demo",
    "tui_crm.cli.cmd_quote",
    "tui_crm.cli.cmd_vehicle_price",
    "tui_crm.cli.cmd_rate_table",
    "tui_crm.cli.cmd_report",
    "tui_crm.cli.cmd_refresh",
    "tui_crm.cli.cmd_customer",
    "tui_crm.cli.cmd_classify",
    "tui_crm.cli.cmd_blacklist",
    "tui_crm.cli.cmd_db",
    "tui_crm.cli.cmd_import",
    "tui_crm.cli.cmd_renewals",
    "tui_crm.cli.cmd_campaign",
    "tui_crm.cli.cmd_intermediary",
    "tui_crm.cli.cmd_permission",
    "tui_crm.cli.cmd_disaster",
    "tui_crm.cli.cmd_backup",
    "tui_crm.cli.cmd_worklists",
    "tui_crm.cli.cmd_registry",
    "tui_crm.cli.cmd_policy",
    "tui_crm.cli.cmd_prospect",
    "tui_crm.cli.cmd_group",
    "tui_crm.cli.cmd_adjuster",
    "tui_crm.cli.cmd_staff",
    "tui_crm.cli.cmd_server",
]


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="tui-crm",
        description="tui_crm — 保险分支机构客户关系管理 / insurance branch CRM. "
        "Without a subcommand the terminal interface opens.",
    )
    parser.add_argument("--lang", type=normalise, choices=SUPPORTED, help="interface language")
    add_config_option(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> None:
    if argv is None:  # a process of its own: a running session server may take it over
        from tui_crm.cli.handoff import hand_off

        code = hand_off(sys.argv[1:])
        if code is not None:
            sys.exit(code)
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from tui_crm.cli.run_tui import run_tui

        sys.exit(run_tui(args.lang, getattr(args, "config", None)))
    sys.exit(args.handler(args))


__all__ = ["add_common_options", "build_parser", "main"]
