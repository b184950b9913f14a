"""Intermediaries the branch keeps: agencies, brokers, car dealers and banks, with their
codes, kind, licence and default commission rate."""

from tui_crm.services.intermediaries.service import (
    IntermediaryInput,
    IntermediaryRow,
    IntermediaryService,
)

__all__ = ["IntermediaryInput", "IntermediaryRow", "IntermediaryService"]
