"""Words the blacklist screens share: reason, status and decision labels (the vocabulary's)."""

from tui_crm.i18n.vocabulary import BLACKLIST_REASON, label, labels

REASON_CODES = list(BLACKLIST_REASON)


def reason_label(code: str) -> str:
    return label("blacklist_reason", code)


def reason_labels(codes: list[str]) -> str:
    return labels("blacklist_reason", codes)


def status_label(status: str | None) -> str:
    return label("nomination_status", status)


def decision_label(decision: str) -> str:
    return label("decision", decision)
