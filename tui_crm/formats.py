"""How values look to a person: local times, money, ids and counts, text made visible.

One set of rules for screens, tables, exports and the CLI:
- times in the branch's zone (Asia/Shanghai, or `TUI_CRM_TIMEZONE`): `YYYY-MM-DD HH:MM`
  where a person reads them, ISO 8601 with that zone's offset in `--json`;
- money with thousands separators and two decimals on screen, plain two decimals in JSON;
- ids (customer, policy, batch numbers) never grouped: 19036, not 19,036.
Pure Python: every layer may use it.
"""

import os
import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"
FEN = Decimal("0.01")

_C0 = re.compile(r"[\x00-\x1f\x7f]")
_OTHER = re.compile(r"[\x80-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@cache
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)  # a mistyped setting must not stop the app


_configured = {"zone": ""}


def use_zone(name: str) -> None:
    """The zone of the config file (`timezone`); `TUI_CRM_TIMEZONE` still wins."""
    _configured["zone"] = name.strip()


def local_zone() -> ZoneInfo:
    """The zone times are shown in: `TUI_CRM_TIMEZONE`, else the config file's `timezone`,
    Asia/Shanghai when unset or unknown."""
    name = os.environ.get("TUI_CRM_TIMEZONE", "").strip() or _configured["zone"]
    return _zone(name or DEFAULT_TIMEZONE)


def _aware(moment: datetime) -> datetime:
    # Stored timestamps are UTC; one without a zone came from a SQLite row.
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


def local_time(moment: datetime | None) -> str:
    """`2026-11-25 11:21` in the local zone; '' for none."""
    return _aware(moment).astimezone(local_zone()).strftime("%Y-%m-%d %H:%M") if moment else ""


def local_day(moment: datetime | None) -> str:
    """`2026-11-25`: the local calendar day of a timestamp; '' for none."""
    return local_time(moment)[:10]


def iso_time(moment: datetime | None) -> str | None:
    """ISO 8601 in the local zone, with its offset (`2026-11-25T11:21:05+08:00`), for JSON."""
    if moment is None:
        return None
    return _aware(moment).astimezone(local_zone()).isoformat(timespec="seconds")


def money(value: Decimal | int | float | None) -> str:
    """`96,806.00`: separators and two decimals, exact to the fen; '' for none."""
    if value is None:
        return ""
    return f"{Decimal(value).quantize(FEN, ROUND_HALF_UP):,.2f}"


def money_json(value: Decimal | int | float | None) -> str | None:
    """`96806.00`: the CLI contract's money string (no separators)."""
    if value is None:
        return None
    return f"{Decimal(value).quantize(FEN, ROUND_HALF_UP):.2f}"


def ident(value: object) -> str:
    """An id or number as it is written on paper: never grouped, never a float."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def count(value: int | None) -> str:
    """A count of things, grouped: `19,036`."""
    return "" if value is None else f"{value:,}"


def visible(value: str) -> str:
    """Control characters shown as their symbols (ESC → ␛), bidi overrides as �, one
    character for one, so a name can never act on the terminal or reorder the line."""
    value = _C0.sub(
        lambda m: "\u2421" if m.group() == "\x7f" else chr(0x2400 + ord(m.group())), value
    )
    return _OTHER.sub("\ufffd", value)
