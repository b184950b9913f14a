"""Vocabulary of the blacklist workflow: states, decisions, reason codes and their checks."""

from collections.abc import Iterable

from tui_crm.domain import BlacklistReason, NominationStatus
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import NOMINATION_STATUS, label
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.core.text import clean_text

OPEN = (NominationStatus.PENDING.value, NominationStatus.RETURNED.value)
DECISIONS = {
    "approve": NominationStatus.APPROVED.value,
    "reject": NominationStatus.REJECTED.value,
    "return": NominationStatus.RETURNED.value,
}


STATUS_NAMES = NOMINATION_STATUS


def status_name(status: str) -> str:
    return label("nomination_status", status)


def parse_codes(text: str) -> list[str]:
    return [code for code in (text or "").split(",") if code]


def check_reasons(reasons: Iterable[str]) -> list[str]:
    codes: list[str] = []
    valid = {r.value for r in BlacklistReason}
    for raw in reasons:
        code = clean_text(raw).lower()
        if code not in valid:
            raise ValidationFailed(
                tr(
                    "未知的理由“{c}”，可选：{v}",
                    "Unknown reason '{c}'; choose from {v}",
                    c=raw,
                    v=", ".join(r.value for r in BlacklistReason),
                ),
                field="reasons",
            )
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ValidationFailed(
            tr("请至少选择一个理由", "Choose at least one reason"), field="reasons"
        )
    return codes


def reason_names(codes: Iterable[str]) -> str:
    """Reason codes as words in the interface language ("频繁出险、欺诈倾向")."""
    from tui_crm.services.classification.rules import REASON_LABELS

    names = [tr(*REASON_LABELS.get(c, (c, c))) for c in codes]
    return tr("、", ", ").join(names)
