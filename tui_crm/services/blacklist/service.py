"""Blacklist workflow: nominate → review (approve / reject / return) → lift.

States of a nomination: pending → approved | rejected | returned; a returned nomination
goes back to pending when its nominator resubmits it. Rules every front end gets:
nominating needs blacklist.nominate and the customer in scope; one open (pending or
returned) nomination per customer and none for a customer already blacklisted; reviewing
needs blacklist.review, the customer in scope, someone else's nomination, a pending one
(a second review is refused) and, when given, the version the reviewer saw; rejecting
and returning need a comment. Approval writes a `blacklist_entry` (active while
`lifted_at` IS NULL) and re-evaluates the customer, so the class becomes blacklist with
a history row (source `blacklist`); a lift by a supervisor with a reason closes the entry
and re-evaluates again, restoring the computed class (source `lift`). Every step is
audited in the same transaction.
"""

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from tui_crm.domain import NominationStatus
from tui_crm.i18n import tr
from tui_crm.services.blacklist.common import (
    DECISIONS,
    OPEN,
    STATUS_NAMES,
    check_reasons,
    parse_codes,
    status_name,
)
from tui_crm.services.blacklist.steps import (
    check_version,
    evidence_text,
    linked_claims,
    transition,
)
from tui_crm.services.classification.engine import reclassify
from tui_crm.services.classification.rules import ClassThresholds
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import Conflict, Forbidden, NotFound, ValidationFailed

__all__ = [
    "DECISIONS",
    "OPEN",
    "STATUS_NAMES",
    "BlacklistService",
    "active_entry",
    "check_reasons",
    "parse_codes",
    "status_name",
]
from tui_crm.services.core.text import clean_text, within
from tui_crm.storage.db import Database
from tui_crm.storage.models import (
    BlacklistEntry,
    BlacklistNomination,
    BlacklistReview,
    Customer,
)
from tui_crm.storage.models.classification import EVIDENCE_MAX


def active_entry(session: Session, customer_id: int) -> BlacklistEntry | None:
    return session.exec(
        select(BlacklistEntry).where(
            BlacklistEntry.customer_id == customer_id, col(BlacklistEntry.lifted_at).is_(None)
        )
    ).first()


def already_blacklisted() -> Conflict:
    return Conflict(
        tr("该客户已在黑名单中", "This customer is already blacklisted"),
        code="already_blacklisted",
    )


def refuse_open_nomination(session: Session, customer_id: int) -> None:
    """One open (pending or returned) nomination per customer."""
    open_one = session.exec(
        select(BlacklistNomination.id).where(
            BlacklistNomination.customer_id == customer_id,
            col(BlacklistNomination.status).in_(OPEN),
        )
    ).first()
    if open_one is not None:
        raise Conflict(
            tr(
                "该客户已有未完成的提名 #{i}",
                "This customer already has an open nomination #{i}",
                i=open_one,
            ),
            code="duplicate",
        )


class BlacklistService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    # --- nominate / resubmit ---------------------------------------------------------
    def nominate(
        self,
        actor: Actor,
        customer_id: int,
        reasons: Sequence[str],
        evidence: str,
        linked_claim_ids: Sequence[int] = (),
    ) -> int:
        """A new pending nomination; returns its id."""
        actor.require(Permission.BLACKLIST_NOMINATE)
        codes = check_reasons(reasons)
        evidence = evidence_text(evidence)
        with self.database.session() as session:
            customer = self._customer(session, actor, customer_id)
            if active_entry(session, customer_id) is not None:
                raise already_blacklisted()
            refuse_open_nomination(session, customer_id)
            claims = linked_claims(session, customer_id, linked_claim_ids)
            now = self.clock.now()
            nomination = BlacklistNomination(
                customer_id=customer_id,
                unit_id=actor.unit_id,
                nominated_by_id=actor.id,
                nominated_at=now,
                submitted_at=now,
                reasons=",".join(codes),
                evidence=evidence,
                linked_claim_ids=",".join(str(i) for i in claims),
                status=NominationStatus.PENDING.value,
            )
            session.add(nomination)
            try:
                session.flush()
            except IntegrityError:
                # Another nominator got in between the check and the insert: the open-
                # nomination index refused it; say so the way the check above does.
                session.rollback()
                refuse_open_nomination(session, customer_id)
                raise
            audit.record(
                session,
                actor,
                "blacklist_nominate",
                entity="blacklist_nomination",
                entity_id=nomination.id,
                after={
                    "customer_id": customer.id,
                    "reasons": codes,
                    "claims": claims,
                    "evidence": evidence,
                },
            )
            session.commit()
            assert nomination.id is not None
            return nomination.id

    def resubmit(
        self,
        actor: Actor,
        nomination_id: int,
        *,
        version: int | None = None,
        reasons: Sequence[str] | None = None,
        evidence: str | None = None,
        linked_claim_ids: Sequence[int] | None = None,
    ) -> int:
        """A returned nomination back to pending, by its nominator; returns the version."""
        actor.require(Permission.BLACKLIST_NOMINATE)
        with self.database.session() as session:
            nomination = self._nomination(session, nomination_id)
            if nomination.nominated_by_id != actor.id:
                raise Forbidden(
                    tr("只有提名人可以重新提交", "Only the nominator may resubmit"),
                    code="not_nominator",
                )
            if nomination.status != NominationStatus.RETURNED.value:
                raise Conflict(
                    tr(
                        "只有被退回的提名可以重新提交（当前：{s}）",
                        "Only a returned nomination can be resubmitted (now: {s})",
                        s=status_name(nomination.status),
                    ),
                    code="not_returned",
                )
            check_version(nomination, version)
            before = {"status": nomination.status, "reasons": nomination.reasons}
            values: dict[str, object] = {
                "status": NominationStatus.PENDING.value,
                "version": nomination.version + 1,
                "submitted_at": self.clock.now(),
            }
            if reasons is not None:
                values["reasons"] = ",".join(check_reasons(reasons))
            if evidence is not None:
                values["evidence"] = evidence_text(evidence)
            if linked_claim_ids is not None:
                claims = linked_claims(session, nomination.customer_id, linked_claim_ids)
                values["linked_claim_ids"] = ",".join(str(i) for i in claims)
            transition(session, nomination, values)
            audit.record(
                session,
                actor,
                "blacklist_resubmit",
                entity="blacklist_nomination",
                entity_id=nomination_id,
                before=before,
                after={"status": "pending", "reasons": values.get("reasons", before["reasons"])},
            )
            session.commit()
            return int(values["version"])  # type: ignore[call-overload]

    # --- review ----------------------------------------------------------------------
    def review(
        self,
        actor: Actor,
        nomination_id: int,
        decision: str,
        comment: str = "",
        *,
        version: int | None = None,
    ) -> str:
        """Approve, reject or return a pending nomination; returns the new status."""
        actor.require(Permission.BLACKLIST_REVIEW)
        if decision not in DECISIONS:
            raise ValidationFailed(
                tr(
                    "决定须为 approve、reject 或 return",
                    "Decision must be approve, reject or return",
                ),
                field="decision",
            )
        comment = within(
            clean_text(comment), EVIDENCE_MAX, field="comment", label=("意见", "Comment")
        )
        with self.database.session() as session:
            nomination = self._nomination(session, nomination_id)
            customer = session.get(Customer, nomination.customer_id)
            assert customer is not None
            actor.require_scope(customer.unit_id)
            if nomination.nominated_by_id == actor.id:
                raise Forbidden(
                    tr("不能审核本人提交的提名", "You cannot review your own nomination"),
                    code="own_nomination",
                )
            if nomination.status != NominationStatus.PENDING.value:
                raise Conflict(
                    tr(
                        "该提名已处理（当前：{s}），不能再次审核",
                        "This nomination was already dealt with (now: {s})",
                        s=status_name(nomination.status),
                    ),
                    code="already_reviewed",
                )
            check_version(nomination, version)
            if decision != "approve" and not comment:
                raise ValidationFailed(
                    tr("拒绝或退回时请填写意见", "Give a comment when rejecting or returning"),
                    field="comment",
                )
            status = DECISIONS[decision]
            now = self.clock.now()
            transition(session, nomination, {"status": status, "version": nomination.version + 1})
            session.add(
                BlacklistReview(
                    nomination_id=nomination_id,
                    reviewer_id=actor.id,
                    decision=decision,
                    comment=comment,
                    reviewed_at=now,
                )
            )
            after: dict[str, object] = {"status": status, "comment": comment}
            if decision == "approve":
                if active_entry(session, customer.id or 0) is not None:
                    raise already_blacklisted()
                session.add(
                    BlacklistEntry(
                        customer_id=nomination.customer_id,
                        nomination_id=nomination_id,
                        reasons=nomination.reasons,
                        approved_by_id=actor.id,
                        approved_at=now,
                    )
                )
                try:
                    session.flush()
                except IntegrityError:
                    # The active-entry index: another approval landed first.
                    session.rollback()
                    raise already_blacklisted() from None
                after["class"] = self._reclassify(session, nomination.customer_id, "blacklist")
            audit.record(
                session,
                actor,
                "blacklist_review",
                entity="blacklist_nomination",
                entity_id=nomination_id,
                before={"status": NominationStatus.PENDING.value},
                after=after,
                detail=decision,
            )
            session.commit()
            return status

    # --- lift ------------------------------------------------------------------------
    def lift(self, actor: Actor, customer_id: int, reason: str) -> str:
        """Close the customer's active entry; returns the class restored by the rules."""
        actor.require(Permission.BLACKLIST_LIFT)
        reason = within(clean_text(reason), EVIDENCE_MAX, field="reason", label=("理由", "Reason"))
        if not reason:
            raise ValidationFailed(
                tr("请填写解除理由", "Give a reason for lifting"), field="reason"
            )
        with self.database.session() as session:
            self._customer(session, actor, customer_id)
            entry = active_entry(session, customer_id)
            if entry is None:
                raise Conflict(
                    tr("该客户不在黑名单中", "This customer is not blacklisted"),
                    code="not_blacklisted",
                )
            entry.lifted_by_id = actor.id
            entry.lifted_at = self.clock.now()
            entry.lift_reason = reason
            session.add(entry)
            session.flush()
            restored = self._reclassify(session, customer_id, "lift")
            audit.record(
                session,
                actor,
                "blacklist_lift",
                entity="customer",
                entity_id=customer_id,
                before={"class": "blacklist", "entry_id": entry.id},
                after={"class": restored, "reason": reason},
            )
            session.commit()
            return restored

    # --- helpers ---------------------------------------------------------------------
    def _reclassify(self, session: Session, customer_id: int, source: str) -> str:
        thresholds = ClassThresholds.load(session)
        reclassify(
            session.connection(),
            [customer_id],
            self.clock.today(),
            source=source,
            thresholds=thresholds,
        )
        session.expire_all()
        customer = session.get(Customer, customer_id)
        assert customer is not None
        return customer.customer_class

    def _customer(self, session: Session, actor: Actor, customer_id: int) -> Customer:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(
                tr("没有客户 {i}", "No customer {i}", i=customer_id), field="customer_id"
            )
        actor.require_scope(customer.unit_id)
        return customer

    def _nomination(self, session: Session, nomination_id: int) -> BlacklistNomination:
        nomination = session.get(BlacklistNomination, nomination_id)
        if nomination is None:
            raise NotFound(
                tr("没有提名 {i}", "No nomination {i}", i=nomination_id), field="nomination_id"
            )
        return nomination
