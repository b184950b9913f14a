"""Shifts in local time for the roster tests."""

from datetime import datetime

from tui_crm.services.adjusters import ShiftInput
from tui_crm.services.core.clock import BRANCH_TZ


def at(text: str) -> datetime:
    """'2026-11-25 08:00' in the branch's zone."""
    return datetime.fromisoformat(text).replace(tzinfo=BRANCH_TZ)


def shift(start: str, end: str, *, unit: str = "330402", **who: str) -> ShiftInput:
    return ShiftInput(unit_code=unit, starts_at=at(start), ends_at=at(end), **who)
