"""Worklists driven by the data: renewals of expiring policies, care after a claim and
other follow-up tasks, complaint deadlines."""

from tui_crm.services.worklists.renewals import STATUSES, WINDOWS, RenewalItem, RenewalService

__all__ = ["STATUSES", "WINDOWS", "RenewalItem", "RenewalService"]
