"""Account managers of customers: one at a time, and whole books handed over when staff
leave (to one colleague, or spread over several by rule), with history and audit."""

from tui_crm.services.assignment.rules import RULES
from tui_crm.services.assignment.service import AssignmentService, Handover, StaffBook

__all__ = ["RULES", "AssignmentService", "Handover", "StaffBook"]
