"""The case study's analyses as named reports (one module per analysis) and their service.

`ReportService.run(actor, name, raw_params)` validates the parameters, cuts the unit
subtree to the actor's scope, pushes the aggregation down to SQL and returns a
`ReportResult` (pandas DataFrame + column metadata + chart spec); `drill` lists the
customers behind a row; `export` writes .xlsx/.csv/.txt and audits it.
"""

from typing import TYPE_CHECKING, Any

from tui_crm.services.reports.engine.base import Column, Kind, LossRatio, ReportResult
from tui_crm.services.reports.engine.cancel import CancelToken, ReportCancelled
from tui_crm.services.reports.engine.registry import NAMES, Report, all_reports, get

if TYPE_CHECKING:
    from tui_crm.services.reports.engine.service import ReportService


def __getattr__(name: str) -> Any:
    # The service is loaded on first use: it needs the exporters, which need this
    # package's base types, so an eager import here would go round in a circle.
    if name == "ReportService":
        from tui_crm.services.reports.engine.service import ReportService

        return ReportService
    raise AttributeError(name)


__all__ = [
    "NAMES",
    "CancelToken",
    "Column",
    "Kind",
    "LossRatio",
    "Report",
    "ReportCancelled",
    "ReportResult",
    "ReportService",
    "all_reports",
    "get",
]
