"""Diagnostics for the administrator of the machine (`tui-crm doctor`): is the database
reachable and ready, does PostgreSQL have what search needs, is there disk, are the
database file and the export folder owner-only, is the config file sound — each as one
line saying what is wrong and how to fix it. Reads only; needs no staff user.
"""

from tui_crm.services.diagnostics.checks import Check, Status, Target, run_checks

__all__ = ["Check", "Status", "Target", "run_checks"]
