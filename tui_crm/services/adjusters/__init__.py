"""Loss adjusters on duty: the roster per unit, each unit's service phone, and whom a
claim's care SMS and care task name (the adjuster on duty at the report time, else the
claim's handler, else the unit's service phone)."""

from tui_crm.services.adjusters.on_duty import (
    ClaimContacts,
    Contact,
    claim_contact,
    on_duty_shift,
)
from tui_crm.services.adjusters.roster import AdjusterService, Shift, ShiftInput

__all__ = [
    "AdjusterService",
    "ClaimContacts",
    "Contact",
    "Shift",
    "ShiftInput",
    "claim_contact",
    "on_duty_shift",
]
