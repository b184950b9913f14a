"""The classification's data types: reasons, one customer's class, a run's result.

Kept apart from the engine so the slice loop and the writers can name them without
importing the engine that drives them.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tui_crm.i18n import is_english

Progress = Callable[[int, int, str], None]
CancelFlag = Callable[[], bool]


class RunCancelled(Exception):
    """Raised inside a run when its cancel flag is set."""


@dataclass(frozen=True)
class Reason:
    code: str
    message_zh: str
    message_en: str
    numbers: dict[str, Any]

    @property
    def message(self) -> str:
        return self.message_en if is_english() else self.message_zh


def parse_reasons(text: str | None) -> list[Reason]:
    if not text:
        return []
    return [
        Reason(r["code"], r["message_zh"], r["message_en"], r.get("numbers") or {})
        for r in json.loads(text)
    ]


@dataclass(frozen=True)
class Classification:
    """One customer's class as the rules see it on `as_of` (nothing written)."""

    customer_id: int
    as_of: date
    customer_class: str
    reasons: list[Reason]
    flag_key: bool
    flag_blacklist: bool
    flag_renewal_due: bool
    blacklist_candidate: bool
    rule_version: str
    stored_class: str


@dataclass
class RunResult:
    run_id: int
    as_of: date
    rule_version: str
    status: str  # done / cancelled
    customers: int = 0
    updated: int = 0  # rows whose class, reasons or flags changed
    changes: int = 0  # class changes (history rows)
    counts: dict[str, int] = field(default_factory=dict)
    transitions: list[tuple[str | None, str, int]] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    unit_counts: dict[tuple[int, str], int] = field(default_factory=dict, repr=False)

    def spent(self, phase: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[phase] = round(self.timings.get(phase, 0.0) + now - since, 3)
        return now
