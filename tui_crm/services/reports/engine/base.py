"""The shapes every report shares: column metadata, parameters, chart spec, result.

A report's result is a pandas DataFrame plus metadata that says, per column, what kind
of value it holds (money, percent, int, date, text), its zh/en label, which loss ratio a
percent column shows, how its total is formed and whether it carries personal data.
The screen, the CLI and the exports all read the same metadata, so they agree.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pandas as pd

from tui_crm.i18n import tr


class Kind(StrEnum):
    MONEY = "money"  # Decimal yuan, 2 decimals
    PERCENT = "percent"  # Decimal fraction (0.6523 = 65.23%), None when undefined
    INT = "int"
    ID = "id"  # a customer/policy number: an integer never grouped (19036, not 19,036)
    NUMBER = "number"  # Decimal with 2 decimals that is not money (averages, years)
    DATE = "date"
    TEXT = "text"


class LossRatio(StrEnum):
    EARNED = "earned"  # 满期赔付率 = (paid + outstanding) / earned premium (default)
    SIMPLE = "simple"  # 简单赔付率 = paid / written premium


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    kind: Kind = Kind.TEXT
    loss_ratio: LossRatio | None = None
    # How the totals row is formed: "sum", or a percent as ratio of two summed columns.
    total: str | None = None
    ratio_of: tuple[str, str] | None = None
    pii: str | None = None  # "name" (masked for individuals), "phone", "id_number"
    hidden: bool = False  # kept in the frame (ids, codes) but not shown or exported

    @property
    def label(self) -> str:
        return tr(self.zh, self.en)


def money(key: str, zh: str, en: str, *, total: bool = True) -> Column:
    return Column(key, zh, en, Kind.MONEY, total="sum" if total else None)


def count(key: str, zh: str, en: str, *, total: bool = True) -> Column:
    return Column(key, zh, en, Kind.INT, total="sum" if total else None)


def percent(
    key: str,
    zh: str,
    en: str,
    *,
    of: tuple[str, str] | None = None,
    loss_ratio: LossRatio | None = None,
) -> Column:
    return Column(key, zh, en, Kind.PERCENT, loss_ratio=loss_ratio, ratio_of=of)


def text(key: str, zh: str, en: str, *, pii: str | None = None, hidden: bool = False) -> Column:
    return Column(key, zh, en, Kind.TEXT, pii=pii, hidden=hidden)


def earned_lr(key: str = "earned_lr", *, of: tuple[str, str] = ("incurred", "earned")) -> Column:
    return percent(key, "满期赔付率", "Earned loss ratio", of=of, loss_ratio=LossRatio.EARNED)


def simple_lr(key: str = "simple_lr", *, of: tuple[str, str] = ("paid", "written")) -> Column:
    return percent(key, "简单赔付率", "Simple loss ratio", of=of, loss_ratio=LossRatio.SIMPLE)


class ParamType(StrEnum):
    DATE = "date"
    UNIT = "unit"
    LINE = "line"
    CHANNEL = "channel"
    CHOICE = "choice"
    INT = "int"
    ID = "id"  # a customer/policy number: an integer never grouped (19036, not 19,036)


@dataclass(frozen=True)
class Choice:
    code: str
    zh: str
    en: str

    @property
    def label(self) -> str:
        return tr(self.zh, self.en)


@dataclass(frozen=True)
class Param:
    key: str  # also the CLI option: --from, --to, --unit, --line, --channel, --view, --top...
    zh: str
    en: str
    type: ParamType
    choices: tuple[Choice, ...] = ()
    default: str | None = None  # None: computed (period) or "all"
    minimum: int | None = None
    maximum: int | None = None
    help_zh: str = ""
    help_en: str = ""

    @property
    def label(self) -> str:
        return tr(self.zh, self.en)

    @property
    def help(self) -> str:
        return tr(self.help_zh, self.help_en)


@dataclass(frozen=True)
class ReportParams:
    """Validated parameters. `unit_ids` is the unit subtree already cut to the actor's scope."""

    date_from: date
    date_to: date
    unit: str
    unit_name: str
    unit_ids: tuple[int, ...]
    line: str | None = None
    channel: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)

    def option(self, key: str, default: str = "") -> str:
        return self.options.get(key, default)

    def as_raw(self) -> dict[str, str]:
        """Back to the raw form (for re-running, audit and the CLI)."""
        raw = {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "unit": self.unit,
            "line": self.line or "",
            "channel": self.channel or "",
        }
        raw.update(self.options)
        return raw


@dataclass(frozen=True)
class ChartSpec:
    """A chart over the result frame: x labels from one column, one series per y column."""

    kind: str  # "bar" | "line" | "stacked"
    x: str
    ys: tuple[str, ...]
    title_zh: str = ""
    title_en: str = ""
    limit: int = 15  # bars shown at most (the first rows in the current order)

    @property
    def title(self) -> str:
        return tr(self.title_zh, self.title_en)


@dataclass
class ReportResult:
    name: str
    title: str
    params: ReportParams
    param_lines: list[tuple[str, str]]  # (label, value) for the export header
    columns: list[Column]
    frame: pd.DataFrame
    totals: dict[str, Any] | None
    chart: ChartSpec | None
    drillable: bool
    generated_at: datetime
    generated_by: str
    notes: list[str] = field(default_factory=list)

    @property
    def visible_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.hidden]

    @property
    def row_count(self) -> int:
        return len(self.frame)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def fraction(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """numerator / denominator to 4 decimals (ROUND_HALF_UP), None when undefined."""
    from decimal import ROUND_HALF_UP

    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def per(amount: Decimal, number: int | Decimal | None) -> Decimal | None:
    """amount / number to the fen, half-up (averages of money); None when number is 0."""
    from decimal import ROUND_HALF_UP

    if not number:
        return None
    return (Decimal(amount) / Decimal(number)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def compute_totals(columns: Sequence[Column], frame: pd.DataFrame) -> dict[str, Any]:
    """The totals row: sums of summable columns, ratios of summed columns for percents."""
    totals: dict[str, Any] = {}
    for column in columns:
        if column.total == "sum" and column.key in frame:
            values = [v for v in frame[column.key].tolist() if v is not None and v == v]
            if column.kind is Kind.MONEY:
                totals[column.key] = sum((Decimal(v) for v in values), Decimal("0.00"))
            else:
                totals[column.key] = int(sum(int(v) for v in values))
    for column in columns:
        if column.ratio_of:
            numerator, denominator = column.ratio_of
            if numerator in totals and denominator in totals:
                totals[column.key] = fraction(totals[numerator], totals[denominator])
    return totals
