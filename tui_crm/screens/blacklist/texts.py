"""Words the blacklist screens share: reason and status labels in the interface language."""

from tui_crm.i18n import tr
from tui_crm.services.blacklist import STATUS_NAMES
from tui_crm.services.classification import REASON_LABELS

REASON_CODES = list(REASON_LABELS)
DECISIONS = {
    "approve": ("批准", "approve"),
    "reject": ("拒绝", "reject"),
    "return": ("退回", "send back"),
}


def reason_label(code: str) -> str:
    zh, en = REASON_LABELS.get(code, (code, code))
    return tr(zh, en)


def reason_labels(codes: list[str]) -> str:
    return tr("、", ", ").join(reason_label(c) for c in codes)


def status_label(status: str | None) -> str:
    if not status:
        return ""
    zh, en = STATUS_NAMES.get(status, (status, status))
    return tr(zh, en)


def decision_label(decision: str) -> str:
    zh, en = DECISIONS.get(decision, (decision, decision))
    return tr(zh, en)
