"""Shared plumbing of the subcommands: options, sign-in, output, error → exit code."""

import argparse
import contextvars
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
    from tui_crm.config import Settings
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor, ServiceError

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
    add_language_option(parser)
    add_config_option(parser)


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """--lang on the subcommand's side too."""
    # SUPPRESS: a --lang given before the subcommand is not reset by this one's default.
    parser.add_argument(
        "--lang",
        type=normalise,
        choices=SUPPORTED,
        default=argparse.SUPPRESS,
        help="interface language (default: TUI_CRM_LANG, the config file, or zh_CN)",
    )


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """--config FILE, accepted on either side of the subcommand like --lang."""
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="config file (default: TUI_CRM_CONFIG or tui-crm.toml in the config folder)",
    )


# The settings of the command being run (its --config, --lang, the environment).
_settings: contextvars.ContextVar["Settings | None"] = contextvars.ContextVar(
    "settings", default=None
)


def load_settings(args: argparse.Namespace) -> "Settings":
    """Settings for this command; the language and zone they name take effect at once."""
    from tui_crm.config import Settings
    from tui_crm.formats import use_zone

    settings = Settings.from_env(
        lang=getattr(args, "lang", None), config=getattr(args, "config", None)
    )
    set_language(settings.lang)
    use_zone(settings.timezone)
    return settings


def current_settings() -> "Settings":
    from tui_crm.config import Settings

    return _settings.get() or Settings.from_env()


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
    from tui_crm.services.core.text import printable

    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return printable(value if isinstance(value, str) else str(value))


def open_services(*, fast_hash: bool | None = None) -> "Services":
    """The configured database (schema created and seeded if new) and its services."""
    from tui_crm.services.container import make_services
    from tui_crm.services.setup import ensure_ready
    from tui_crm.storage.db import Database

    settings = current_settings()
    database = Database.from_url(settings.database_url)
    ensure_ready(database)
    return make_services(database, fast_hash=settings.fast_hash if fast_hash is None else fast_hash)


def sign_in(services: "Services", username: str) -> "Actor":
    """The session token of `tui-crm login` for this user and database when one is
    stored, else the password (TUI_CRM_PASSWORD or a prompt)."""
    from tui_crm.cli import session_file
    from tui_crm.services.core import AuthFailed

    token = session_file.token_for(services.database.location(), username)
    if token is not None:
        try:
            return services.tokens.sign_in(username, token)
        except AuthFailed:
            if os.environ.get("TUI_CRM_PASSWORD") is None:
                raise  # expired or revoked: says to run tui-crm login again
    return password_sign_in(services, username)


def password_sign_in(services: "Services", username: str) -> "Actor":
    from tui_crm.services.core import AuthFailed

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
    """Wrap a handler: language, refusal → one line on stderr (+ JSON error), exit code.

    The one place the CLI reports errors: whatever was typed is echoed with its control
    characters made visible, and nothing reaches the terminal as a traceback."""

    def handler(args: argparse.Namespace) -> int:
        from tui_crm.services.core import ServiceError

        reset = _settings.set(load_settings(args))
        try:
            return func(args)
        except ServiceError as error:
            return _refused(args, error)
        except KeyboardInterrupt:
            sys.stderr.write(tr("已中断", "Interrupted") + "\n")
            return 130
        except Exception as error:
            return _refused(args, _unexpected(error))
        finally:
            _settings.reset(reset)

    return handler


def _refused(args: argparse.Namespace, error: "ServiceError") -> int:
    from tui_crm.services.core.text import printable

    line = printable(" ".join(error.message.split("\n")))
    if len(line) > MESSAGE_WIDTH:  # a message quoting 100,000 typed characters
        line = line[: MESSAGE_WIDTH - 1] + "…"
    sys.stderr.write(line + "\n")
    if getattr(args, "json", False):
        print_json(error.as_json())
    return error.exit_code


def _unexpected(error: Exception) -> "ServiceError":
    from tui_crm.services.core import ServiceError
    from tui_crm.services.core.database_errors import translate

    known = translate(error.orig if hasattr(error, "orig") else error)
    if known is not None:
        return known
    from tui_crm.logs import log_exception

    logged = log_exception(error, "tui-crm " + " ".join(sys.argv[1:2]))
    message = tr(
        "操作未完成（{k}）：{m}",
        "Not done ({k}): {m}",
        k=type(error).__name__,
        m=str(error)[:200],
    )
    if logged is not None:
        message += tr("（详情见日志 {f}）", " (details in the log {f})", f=logged)
    return ServiceError(message, code="unexpected")


MESSAGE_WIDTH = 300
MAX_ID = 2**63 - 1  # the largest id either database stores


def bounded_int(low: int, high: int = MAX_ID) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, or a usage error saying so."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                tr(
                    "应为 {a} 到 {b} 之间的整数：{v}",
                    "expected a whole number from {a} to {b}: {v}",
                    a=low,
                    b=high,
                    v=text[:40],
                )
            )
        return value

    parse.__name__ = "integer"
    return parse


record_id = bounded_int(1)  # customer, claim, nomination, contact, rate table ids
positive_int = bounded_int(1)
non_negative_int = bounded_int(0)


class SafeArgumentParser(argparse.ArgumentParser):
    """argparse's own messages (usage errors echo the argument) with control characters
    made visible, like every other message."""

    def _print_message(self, message: str, file: Any = None) -> None:
        from tui_crm.services.core.text import printable

        if message:
            super()._print_message(printable(message), file)


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
    from tui_crm.services.core import ValidationFailed

    raise ValidationFailed(message, field=field)
