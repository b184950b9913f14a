"""The named reports: each module defines one `Report`; the registry lists them in order."""

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select

from tui_crm.i18n import tr
from tui_crm.services.core.errors import NotFound
from tui_crm.services.reports.engine.base import ChartSpec, Column, Param, ReportParams
from tui_crm.services.reports.facts import Context


@dataclass
class Output:
    """What a report's `run` returns: rows as dicts keyed by column key."""

    columns: list[Column]
    rows: list[dict[str, Any]]
    chart: ChartSpec | None = None
    totals: bool = True
    notes: list[str] = field(default_factory=list)
    subtitle: str = ""


@dataclass(frozen=True)
class DrillSpec:
    """The customers behind a row: either policies matching `where` (the row's figures
    per customer), or customer ids from `ids` (a select of one column)."""

    label: str
    where: Sequence[ColumnElement[bool]] = ()
    needs: frozenset[str] = frozenset()
    ids: Select[Any] | None = None


@dataclass(frozen=True)
class Report:
    name: str
    zh: str
    en: str
    description_zh: str
    description_en: str
    params: tuple[Param, ...]
    run: Callable[[Context], Output]
    # The row's drill key → which customers; None when the report has no drill-down.
    drill: Callable[[Context, dict[str, Any]], DrillSpec | None] | None = None
    steps: Callable[[ReportParams], int] = lambda _params: 2

    @property
    def title(self) -> str:
        return tr(self.zh, self.en)

    @property
    def description(self) -> str:
        return tr(self.description_zh, self.description_en)

    def param(self, key: str) -> Param | None:
        return next((p for p in self.params if p.key == key), None)


NAMES = (
    "corporate",
    "individual",
    "intermediary",
    "customer_value",
    "structure",
    "loyalty",
    "risk_credit",
    "product",
    "account_manager",
    "key_customers",
    "classes",
)


def all_reports() -> list[Report]:
    return [get(name) for name in NAMES]


def get(name: str) -> Report:
    if name not in NAMES:
        raise NotFound(
            tr(
                "没有报表 {n}（可用：{all}）",
                "No report {n} (available: {all})",
                n=name,
                all=", ".join(NAMES),
            ),
            field="name",
        )
    module = importlib.import_module(f"tui_crm.services.reports.catalogue.{name}")
    report: Report = module.REPORT
    return report
