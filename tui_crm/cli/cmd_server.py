"""`tui-crm server`: the preloaded session server (docs/ssh.md, "One preloaded server")."""

import argparse
from pathlib import Path

from tui_crm.cli.common import add_config_option, add_language_option, load_settings
from tui_crm.cli.handoff import SOCKET_NAME, socket_path


def register(subparsers: argparse._SubParsersAction) -> None:
    server = subparsers.add_parser(
        "server",
        help="import the program once and start every later tui-crm command and TUI "
        "session of this Unix user from it (faster starts, memory shared between sessions)",
    )
    server.add_argument(
        "--socket",
        type=Path,
        metavar="PATH",
        help="where to listen (default: TUI_CRM_SERVER_SOCKET or server.sock in the "
        "state folder; clients look in the same place)",
    )
    add_language_option(server)
    add_config_option(server)
    server.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    from tui_crm.cli.session_server import serve
    from tui_crm.config import state_dir

    load_settings(args)  # the language of its own messages
    return serve(args.socket or socket_path() or state_dir() / SOCKET_NAME)
