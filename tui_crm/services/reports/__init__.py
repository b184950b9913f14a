"""The case study's analyses as named reports (one module per analysis) and their service.

`ReportService.run(actor, name, raw_params)` validates the parameters, cuts the unit
subtree to the actor's scope, pushes the aggregation down to SQL and returns a
`ReportResult` (pandas DataFrame + column metadata + chart spec); `drill` lists the
customers behind a row; `export` writes .xlsx/.csv/.txt and audits it.
"""

from tui_crm.services.reports.base import Column, Kind, LossRatio, ReportResult
from tui_crm.services.reports.cancel import CancelToken, ReportCancelled
from tui_crm.services.reports.registry import NAMES, Report, all_reports, get
from tui_crm.services.reports.service import ReportService

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
