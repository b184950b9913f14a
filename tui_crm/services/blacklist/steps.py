"""Steps the blacklist workflow repeats: checking linked claims and evidence, and moving a
nomination from one state to the next with compare-and-set."""

from collections.abc import Sequence

from sqlalchemy import update
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.core.errors import Conflict, ValidationFailed
from tui_crm.services.core.text import clean_text, within
from tui_crm.storage.models import BlacklistNomination, Claim
from tui_crm.storage.models.classification import EVIDENCE_MAX


def linked_claims(session: Session, customer_id: int, claim_ids: Sequence[int]) -> list[int]:
    ids = sorted({int(i) for i in claim_ids})
    if not ids:
        return []
    found = set(
        session.exec(
            select(Claim.id).where(col(Claim.id).in_(ids), Claim.customer_id == customer_id)
        ).all()
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(
            tr(
                "赔案 {m} 不属于该客户",
                "Claims {m} do not belong to this customer",
                m=", ".join(map(str, missing)),
            ),
            field="claims",
        )
    return ids


def evidence_text(evidence: str) -> str:
    text = within(
        clean_text(evidence), EVIDENCE_MAX, field="evidence", label=("证据说明", "Evidence")
    )
    if not text:
        raise ValidationFailed(tr("请填写证据说明", "Describe the evidence"), field="evidence")
    return text


def check_version(nomination: BlacklistNomination, version: int | None) -> None:
    if version is not None and version != nomination.version:
        raise Conflict(
            tr(
                "提名已被他人更改，请刷新后再试",
                "The nomination changed meanwhile; reload and try again",
            ),
            code="stale_version",
        )


def transition(
    session: Session, nomination: BlacklistNomination, values: dict[str, object]
) -> None:
    """Compare-and-set on (status, version): two reviewers cannot both succeed."""
    result = session.execute(
        update(BlacklistNomination)
        .where(
            col(BlacklistNomination.id) == nomination.id,
            col(BlacklistNomination.version) == nomination.version,
            col(BlacklistNomination.status) == nomination.status,
        )
        .values(**values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            tr(
                "提名已被他人处理，请刷新后再试",
                "Someone else dealt with this nomination; reload",
            ),
            code="stale_version",
        )
    session.expire(nomination)
