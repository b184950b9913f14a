"""The staff query command as texted: `CX <plate> <PIN>` in one message.

`CX` in any case, half- or full-width, the plate with or without spaces, the PIN (4–8
digits) last. A message that starts with `CX` is a staff query even when it is
malformed, so a PIN never lands in the inbox as a customer's reply.
"""

import re
from dataclasses import dataclass

from tui_crm.services.core.text import norm_plate, to_halfwidth

_START = re.compile(r"^\s*CX(\s|$)", re.IGNORECASE)
_FULL = re.compile(r"^\s*CX\s+(?P<plate>.+?)\s+(?P<pin>\d{4,8})\s*$", re.IGNORECASE)
PIN_PATTERN = re.compile(r"\d{4,8}")
PLATE_LENGTH = 12  # longer is no plate: asked for as '' (not found), never cut


@dataclass(frozen=True)
class QueryCommand:
    plate: str  # normalised, '' when the message is malformed
    pin: str


def is_query(body: str) -> bool:
    return bool(_START.match(to_halfwidth(body or "")))


def parse(body: str) -> QueryCommand:
    match = _FULL.match(to_halfwidth(body or ""))
    if match is None:
        return QueryCommand("", "")
    plate = norm_plate(match["plate"])
    return QueryCommand(plate if len(plate) <= PLATE_LENGTH else "", match["pin"])
