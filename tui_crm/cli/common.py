"""Shared plumbing of the subcommands: options, sign-in, output, error → exit code."""

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from tui_crm.formats import iso_time, local_time
from tui_crm.i18n import SUPPORTED, normalise, set_language, tr

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core.actor import Actor

Handler = Callable[[argparse.Namespace], int]


def add_common_options(parser: argparse.ArgumentParser, *, user: bool = True) -> None:
    """--json and --lang on every command; --user on those that touch business data."""
    if user:
        parser.add_argument(
            "--user",
            required=True,
            metavar="NAME",
            help="staff username (password from TUI_CRM_PASSWORD or a prompt)",
        )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    # SUPPRESS: a --lang given before the subcommand is not reset by this one's default.
    parser.add_argument(
        "--lang",
        type=normalise,
        choices=SUPPORTED,
        default=argparse.SUPPRESS,
        help="interface language (default: TUI_CRM_LANG or zh_CN)",
    )


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return iso_time(value)  # ISO 8601 with the local offset, as the tables show it
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=json_default, indent=2) + "\n")


def print_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    from tabulate import tabulate

    cells = [[cell_text(v) for v in r] for r in rows]
    # No number parsing: an id stays 19036 and money keeps its two decimals.
    sys.stdout.write(
        tabulate(cells, headers=list(headers), tablefmt="simple", disable_numparse=True) + "\n"
    )


def cell_text(value: Any) -> str:
    """A table cell as a person reads it: times local, ids and numbers as written."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)


def open_services(*, fast_hash: bool | None = None) -> "Services":
    """The configured database (schema created and seeded if new) and its services."""
    from tui_crm.config import Settings
    from tui_crm.services.container import make_services
    from tui_crm.services.setup.seed import ensure_ready
    from tui_crm.storage.db import Database

    settings = Settings.from_env()
    database = Database.from_url(settings.database_url)
    ensure_ready(database)
    return make_services(database, fast_hash=settings.fast_hash if fast_hash is None else fast_hash)


def sign_in(services: "Services", username: str) -> "Actor":
    from tui_crm.services.core.errors import AuthFailed

    password = os.environ.get("TUI_CRM_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise AuthFailed(
                tr(
                    "请设置 TUI_CRM_PASSWORD 或在终端中输入密码",
                    "Set TUI_CRM_PASSWORD or run on a terminal to be asked",
                )
            )
        password = getpass.getpass(tr("{u} 的密码：", "Password for {u}: ", u=username))
    return services.auth.sign_in(username, password)


def command(func: Callable[[argparse.Namespace], int]) -> Handler:
    """Wrap a handler: language, refusal → message on stderr (+ JSON error), exit code."""

    def handler(args: argparse.Namespace) -> int:
        from tui_crm.services.core.errors import ServiceError

        if getattr(args, "lang", None):
            set_language(args.lang)
        try:
            return func(args)
        except ServiceError as error:
            sys.stderr.write(error.message + "\n")
            if getattr(args, "json", False):
                print_json(error.as_json())
            return error.exit_code

    return handler


def with_actor(func: Callable[[argparse.Namespace, "Services", "Actor"], int]) -> Handler:
    """A handler that needs the configured services and the signed-in --user."""

    @command
    def handler(args: argparse.Namespace) -> int:
        services = open_services()
        try:
            actor = sign_in(services, args.user)
            return func(args, services, actor)
        finally:
            services.database.dispose()

    return handler


def fail(message: str, *, field: str | None = None) -> None:
    from tui_crm.services.core.errors import ValidationFailed

    raise ValidationFailed(message, field=field)
