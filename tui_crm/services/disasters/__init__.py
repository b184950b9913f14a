"""Disaster events (typhoon, flood, hail, snow): dates and the districts struck, and the
customers to call after one."""

from tui_crm.services.disasters.service import (
    KINDS,
    AffectedCustomer,
    Disaster,
    DisasterInput,
    DisasterService,
)

__all__ = ["KINDS", "AffectedCustomer", "Disaster", "DisasterInput", "DisasterService"]
