"""Band keys of the rate tables: the band edges are data, written as intervals.

A banded entry's key is `<prefix>:<measure>:<interval>`, e.g. `family:seats:[6~10)` or
`car:litres:(1.6~2.0]`. `[`/`]` include the edge, `(`/`)` exclude it, an empty upper
edge means no upper limit. So the notice's wording is transcribed literally: "6座以下"
is `[1~6)`, "6–10座" is `[6~10)` (10 seats start the next band), "1.0升以上至1.6升(含)"
is `(1.0~1.6]`. Other key shapes: `<prefix>:any` (one amount for the whole category),
`<prefix>:class:N` (special vehicles), `<prefix>:per_ton` (amount per ton).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

_INTERVAL = re.compile(r"^([\[(])(\d*(?:\.\d+)?)~(\d*(?:\.\d+)?)([\])])$")


@dataclass(frozen=True)
class Band:
    low: Decimal
    high: Decimal | None
    low_closed: bool
    high_closed: bool

    def contains(self, value: Decimal) -> bool:
        if value < self.low or (value == self.low and not self.low_closed):
            return False
        if self.high is None:
            return True
        return value < self.high or (value == self.high and self.high_closed)

    def describe(self, unit: str, *, integer: bool) -> str:
        """Human wording of the band, e.g. '6–9座', '1.0–1.6升（含上限）'."""
        if integer:
            low = self.low if self.low_closed else self.low + 1
            if self.high is None:
                return f"{low}{unit}+"
            high = self.high if self.high_closed else self.high - 1
            return f"{low}–{high}{unit}"
        low_mark = "≥" if self.low_closed else ">"
        if self.high is None:
            return f"{low_mark}{self.low}{unit}"
        high_mark = "≤" if self.high_closed else "<"
        return f"{low_mark}{self.low}, {high_mark}{self.high}{unit}"


def parse_band(text: str) -> Band | None:
    match = _INTERVAL.match(text)
    if not match:
        return None
    low_bracket, low, high, high_bracket = match.groups()
    return Band(
        low=Decimal(low or "0"),
        high=Decimal(high) if high else None,
        low_closed=low_bracket == "[",
        high_closed=high_bracket == "]",
    )


def banded_keys(entries: dict[str, Decimal], prefix: str, measure: str) -> list[tuple[str, Band]]:
    """The (key, band) pairs of one category and measure, lowest band first."""
    head = f"{prefix}:{measure}:"
    found = []
    for key in entries:
        if key.startswith(head):
            band = parse_band(key[len(head) :])
            if band is not None:
                found.append((key, band))
    return sorted(found, key=lambda pair: pair[1].low)


def find_band(entries: dict[str, Decimal], prefix: str, measure: str, value: Decimal) -> str | None:
    for key, band in banded_keys(entries, prefix, measure):
        if band.contains(value):
            return key
    return None


def measures(entries: dict[str, Decimal], prefix: str) -> set[str]:
    """Which measures a category is banded on in this table ('seats', 'tons', 'any'...)."""
    head = f"{prefix}:"
    return {key[len(head) :].split(":", 1)[0] for key in entries if key.startswith(head)}


def covered_range(
    entries: dict[str, Decimal], prefix: str, measure: str, unit: str, *, integer: bool
) -> str:
    """What the bands of a category cover together, for 'no band for X' messages."""
    bands = [band for _, band in banded_keys(entries, prefix, measure)]
    if not bands:
        return ""
    first, last = bands[0], bands[-1]
    union = Band(first.low, last.high, first.low_closed, last.high_closed)
    return union.describe(unit, integer=integer)
