"""Reinsurance and co-insurance marks on a policy, corrected by hand and audited."""

from tui_crm.services.policy_marks.service import FLAGS, SHARES, PolicyMarks, PolicyMarkService

__all__ = ["FLAGS", "SHARES", "PolicyMarkService", "PolicyMarks"]
