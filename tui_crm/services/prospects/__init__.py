"""Prospect facts (准客户): an intention to insure declared, a customer lost to a
competitor. They make a customer without a policy in force a prospect; a loss marked on
the renewal worklist is recorded here."""

from tui_crm.services.prospects.service import (
    ProspectFactRow,
    ProspectService,
    Reclassify,
)

__all__ = ["ProspectFactRow", "ProspectService", "Reclassify"]
