"""What the report screens share: their style sheet and the report service they use."""

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.reports import ReportService

CSS = str(Path(__file__).resolve().parents[2] / "styles" / "reports.tcss")


def report_service(services: "Services") -> "ReportService":
    existing = getattr(services, "reports", None)
    if existing is not None:
        return existing
    from tui_crm.services.reports import ReportService

    return ReportService(services.database, services.clock)
