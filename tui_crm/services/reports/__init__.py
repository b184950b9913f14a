"""The case study's analyses as named reports (one module per analysis) and their service.

`ReportService.run(actor, name, raw_params)` validates the parameters, cuts the unit
subtree to the actor's scope, pushes the aggregation down to SQL and returns a
`ReportResult` (pandas DataFrame + column metadata + chart spec); `drill` lists the
customers behind a row; `export` writes .xlsx/.csv/.txt and audits it.
"""

from tui_crm.services.reports.derived import DerivedRefresh, refresh_derived
from tui_crm.services.reports.engine.base import Column, Kind, LossRatio, ParamType, ReportResult
from tui_crm.services.reports.engine.cancel import CancelToken, ReportCancelled
from tui_crm.services.reports.engine.params import PRESETS, preset_period, shift_period
from tui_crm.services.reports.export.cells import format_cell, json_value
from tui_crm.services.reports.export.writer import (
    ExportService,
    ExportSummary,
    render_text,
    tabulate_cjk,
)
from tui_crm.services.reports.registry import NAMES, Report, all_reports, get
from tui_crm.services.reports.service import ReportService

__all__ = [
    "NAMES",
    "PRESETS",
    "CancelToken",
    "Column",
    "DerivedRefresh",
    "ExportService",
    "ExportSummary",
    "Kind",
    "LossRatio",
    "ParamType",
    "Report",
    "ReportCancelled",
    "ReportResult",
    "ReportService",
    "all_reports",
    "format_cell",
    "get",
    "json_value",
    "preset_period",
    "refresh_derived",
    "render_text",
    "shift_period",
    "tabulate_cjk",
]
