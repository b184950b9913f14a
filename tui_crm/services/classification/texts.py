"""Text pieces of the classification reasons: money, dates, ratios, the JSON objects.

Reasons are JSON objects `{code, message_zh, message_en, numbers}` built as text in bulk
(their text holds no customer data except a claim number, which is escaped by `safe`).
"""

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np


def money_text(fen: Any) -> str:
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def plain_money(fen: Any) -> str:
    """Money for the JSON numbers: no thousands separator ("1234.50")."""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def threshold_money(fen: int) -> str:
    return f"{fen // 100:,}" if fen % 100 == 0 else money_text(fen)


def iso_days(day_numbers: np.ndarray) -> np.ndarray:
    """Day numbers (days since 1970-01-01) as ISO date strings."""
    days = np.asarray(day_numbers, dtype="int64").astype("timedelta64[D]")
    return (np.datetime64("1970-01-01") + days).astype(str).astype(object)


def iso_day(day: int) -> str:
    return str(np.datetime64("1970-01-01") + np.timedelta64(int(day), "D"))


def formatted(counts: np.ndarray, days: np.ndarray, text: Callable[[int, int], str]) -> np.ndarray:
    """text(count, day) for each pair, formatted once per distinct pair (most customers
    share a few hundred end dates)."""
    if not len(days):
        return np.array([], dtype=object)
    keys = counts.astype(np.int64) * 1_000_000 + days.astype(np.int64)
    unique, inverse = np.unique(keys, return_inverse=True)
    texts = np.array([text(int(k // 1_000_000), int(k % 1_000_000)) for k in unique], dtype=object)
    return texts[inverse]


def ratio_of(numerator: int, denominator: int) -> Decimal | None:
    return None if not denominator else Decimal(int(numerator)) / Decimal(int(denominator))


def ratio_number(ratio: Decimal | None) -> str:
    return "null" if ratio is None else f'"{ratio.quantize(Decimal("0.0001"))}"'


def reason_json(code: str, zh: str, en: str, numbers: str) -> str:
    return f'{{"code":"{code}","message_zh":"{zh}","message_en":"{en}","numbers":{numbers}}}'


class ReasonList:
    """Accumulates, per customer, the comma-joined JSON objects of its reasons."""

    def __init__(self, size: int) -> None:
        self.acc = np.full(size, "", dtype=object)

    def add(self, mask: np.ndarray, values: "list[str] | np.ndarray") -> None:
        index = np.flatnonzero(mask)
        if not len(index):
            return
        current = self.acc[index]
        separator = np.where(current == "", "", ",").astype(object)
        self.acc[index] = current + separator + np.array(values, dtype=object)

    def json(self) -> np.ndarray:
        return np.array([f"[{text}]" for text in self.acc], dtype=object)


def safe(value: Any) -> str:
    """Text from data inside a JSON string literal built by hand."""
    return json.dumps(str(value), ensure_ascii=False)[1:-1]
