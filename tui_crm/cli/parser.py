"""The argument parser every command uses, and the value types of its options.

Usage errors exit 2 with the usage of the command that was typed: a subcommand's parser
reports an option it does not know itself (argparse left that to the top-level parser,
which printed its own usage), and dates and enumerations are checked by argparse types
and choices so a bad one is a usage error too, not a refusal.
"""

import argparse
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tui_crm.cli.common import SafeArgumentParser
from tui_crm.i18n import tr


class CommandParser(SafeArgumentParser):
    """An ArgumentParser whose subcommands refuse the arguments they do not know."""

    def parse_known_args(  # type: ignore[override]
        self, args: Any = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras and self._subparsers is None:
            self.error(tr("无法识别的参数：{a}", "unrecognized arguments: {a}", a=" ".join(extras)))
        return parsed, extras


def as_date(text: str) -> date:
    """A YYYY-MM-DD date, checked and parsed."""
    return date.fromisoformat(iso_date(text))


def iso_date(text: str) -> str:
    """A YYYY-MM-DD date, checked; kept as typed for the handlers that read it."""
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("日期格式应为 YYYY-MM-DD：{v}", "Dates are YYYY-MM-DD: {v}", v=text)
        ) from None
    return text.strip()


def local_moment(text: str) -> str:
    """A local date and time, `YYYY-MM-DD HH:MM` (or with a `T`); kept as typed and made
    aware in the configured zone by `as_local` once the settings are read."""
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is not None or len(value) < 16:
        raise argparse.ArgumentTypeError(
            tr(
                "时间格式应为 YYYY-MM-DD HH:MM（本地时间）：{v}",
                "Times are YYYY-MM-DD HH:MM (local time): {v}",
                v=text[:40],
            )
        )
    return value


def as_local(text: str) -> datetime:
    """A `local_moment` value as an aware time in the zone times are shown in."""
    from tui_crm.formats import local_zone

    return datetime.fromisoformat(text).replace(tzinfo=local_zone())


HOST = re.compile(r"[0-9A-Za-z.:-]{1,253}")


def host_name(text: str) -> str:
    """An address to listen on: an IPv4 or IPv6 address or a host name, nothing else."""
    if not HOST.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(
            tr("地址应为 IP 或主机名：{v}", "Give an IP address or host name: {v}", v=text[:80])
        )
    return text.strip()


def iso_month(text: str) -> str:
    """A YYYY-MM month (or a YYYY-MM-DD date in it), checked; kept as typed."""
    value = text.strip()
    try:
        date.fromisoformat(value + "-01" if len(value) == 7 else value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("月份格式应为 YYYY-MM：{v}", "Months are YYYY-MM: {v}", v=text)
        ) from None
    return value


def codes(values: Iterable[Any]) -> list[str]:
    """The English codes of an enumeration, for `choices=`."""
    return [str(v) for v in values]
