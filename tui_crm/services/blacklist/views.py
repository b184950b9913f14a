"""What the blacklist screens and commands show: candidates, queue, one nomination with
the customer's claims and loss-ratio picture, active entries, the yearly quota per unit,
and a customer's blacklist status (for the 360 view and `customer show`).

Read-only; same permission and org-scope rules as the workflow (services/blacklist.py).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

import tui_crm.services.blacklist.lists as blacklist_lists
from tui_crm.domain import NominationStatus
from tui_crm.i18n import tr
from tui_crm.services.blacklist.lists import Candidate, EntryLine, QuotaLine
from tui_crm.services.blacklist.service import OPEN, active_entry, parse_codes
from tui_crm.services.classification.engine import evaluate, parse_reasons
from tui_crm.services.classification.rules import ClassThresholds, Window
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.earned import (
    earned_loss_ratio,
    money_fen,
    simple_loss_ratio,
)
from tui_crm.services.core.errors import NotFound
from tui_crm.storage.db import Database
from tui_crm.storage.models import (
    BlacklistEntry,
    BlacklistNomination,
    BlacklistReview,
    Claim,
    Customer,
    OrgUnit,
    Policy,
    StaffUser,
)
from tui_crm.storage.types import from_fen


@dataclass(frozen=True)
class NominationItem:
    id: int
    customer_id: int
    customer_name: str
    customer_class: str
    unit_code: str
    reasons: list[str]
    status: str
    nominated_by: str
    nominated_at: datetime
    submitted_at: datetime
    version: int
    own: bool


@dataclass(frozen=True)
class ClaimLine:
    id: int
    claim_no: str
    report_date: date
    cause: str
    paid: Decimal
    outstanding: Decimal
    status: str
    fraud_suspected: bool
    hard_to_settle: bool
    linked: bool


@dataclass(frozen=True)
class ReviewLine:
    reviewer: str
    decision: str
    comment: str
    reviewed_at: datetime


@dataclass(frozen=True)
class LossPicture:
    """满期赔付率 over the year and cumulatively, and 简单赔付率 (paid / written), to D."""

    year_from: date
    as_of: date
    claims_year: int
    incurred_year: Decimal
    earned_year: Decimal
    earned_ratio_year: Decimal | None
    incurred_total: Decimal
    earned_total: Decimal
    earned_ratio_total: Decimal | None
    paid_total: Decimal
    written_total: Decimal
    simple_ratio: Decimal | None


@dataclass(frozen=True)
class NominationDetail:
    item: NominationItem
    evidence: str
    linked_claim_ids: list[int]
    claims: list[ClaimLine]
    reviews: list[ReviewLine]
    picture: LossPicture
    class_reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BlacklistStatus:
    """`status`: none | pending | returned | active | lifted (latest first)."""

    status: str
    reasons: list[str]
    approved_at: datetime | None
    lifted_at: datetime | None = None
    nomination_id: int | None = None


def blacklist_status(session: Session, customer_id: int) -> BlacklistStatus:
    """The customer's blacklist standing for underwriting checks (active entry wins)."""
    entry = active_entry(session, customer_id)
    if entry is not None:
        return BlacklistStatus(
            "active", parse_codes(entry.reasons), entry.approved_at, None, entry.nomination_id
        )
    nomination = session.exec(
        select(BlacklistNomination)
        .where(
            BlacklistNomination.customer_id == customer_id,
            col(BlacklistNomination.status).in_(OPEN),
        )
        .order_by(col(BlacklistNomination.id).desc())
    ).first()
    if nomination is not None:
        return BlacklistStatus(
            nomination.status, parse_codes(nomination.reasons), None, None, nomination.id
        )
    lifted = session.exec(
        select(BlacklistEntry)
        .where(BlacklistEntry.customer_id == customer_id)
        .order_by(col(BlacklistEntry.id).desc())
    ).first()
    if lifted is not None:
        return BlacklistStatus(
            "lifted",
            parse_codes(lifted.reasons),
            lifted.approved_at,
            lifted.lifted_at,
            lifted.nomination_id,
        )
    return BlacklistStatus("none", [], None)


def _claim_lines(session: Session, customer_id: int, linked: list[int]) -> list[ClaimLine]:
    claims = session.exec(
        select(Claim)
        .where(Claim.customer_id == customer_id)
        .order_by(col(Claim.report_date).desc(), col(Claim.id).desc())
        .limit(50)
    ).all()
    return [
        ClaimLine(
            c.id or 0,
            c.claim_no,
            c.report_date,
            c.cause,
            c.paid,
            c.outstanding,
            c.status,
            c.fraud_suspected,
            c.hard_to_settle,
            (c.id or 0) in linked,
        )
        for c in claims
    ]


def _whole(value: Any) -> int:
    """An integer fact from a pandas row (missing → 0)."""
    return 0 if value is None or value != value else int(value)


class BlacklistViews:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    # --- lists -------------------------------------------------------------------------
    def queue(
        self,
        actor: Actor,
        *,
        unit_code: str | None = None,
        reason: str | None = None,
        status: str = NominationStatus.PENDING.value,
    ) -> list[NominationItem]:
        """Nominations of customers in the reviewer's scope, oldest submission first."""
        actor.require(Permission.BLACKLIST_REVIEW)
        return self._items(actor, unit_code=unit_code, reason=reason, status=status)

    def mine(self, actor: Actor) -> list[NominationItem]:
        """The actor's own nominations, newest first (returned ones carry the comment)."""
        actor.require(Permission.BLACKLIST_NOMINATE)
        items = self._items(actor, status=None, nominated_by=actor.id)
        return sorted(items, key=lambda i: i.submitted_at, reverse=True)

    def _items(
        self,
        actor: Actor,
        *,
        unit_code: str | None = None,
        reason: str | None = None,
        status: str | None = None,
        nominated_by: int | None = None,
    ) -> list[NominationItem]:
        with self.database.session() as session:
            query = (
                sa_select(
                    BlacklistNomination,
                    col(Customer.name),
                    col(Customer.customer_class),
                    col(OrgUnit.code),
                    col(StaffUser.username),
                )
                .join(Customer, col(Customer.id) == BlacklistNomination.customer_id)
                .join(OrgUnit, col(OrgUnit.id) == Customer.unit_id)
                .join(StaffUser, col(StaffUser.id) == BlacklistNomination.nominated_by_id)
                .where(col(Customer.unit_id).in_(actor.scope_unit_ids))
                .order_by(col(BlacklistNomination.submitted_at), col(BlacklistNomination.id))
            )
            if status:
                query = query.where(col(BlacklistNomination.status) == status)
            if nominated_by is not None:
                query = query.where(col(BlacklistNomination.nominated_by_id) == nominated_by)
            if unit_code:
                unit = session.exec(select(OrgUnit).where(OrgUnit.code == unit_code)).first()
                if unit is None:
                    raise NotFound(tr("没有机构 {u}", "No unit {u}", u=unit_code), field="unit")
                query = query.where(col(OrgUnit.path).startswith(unit.path))
            rows = session.execute(query).all()
            items = [
                NominationItem(
                    id=n.id or 0,
                    customer_id=n.customer_id,
                    customer_name=name,
                    customer_class=klass,
                    unit_code=code,
                    reasons=parse_codes(n.reasons),
                    status=n.status,
                    nominated_by=username,
                    nominated_at=n.nominated_at,
                    submitted_at=n.submitted_at,
                    version=n.version,
                    own=n.nominated_by_id == actor.id,
                )
                for n, name, klass, code, username in rows
            ]
        if reason:
            items = [i for i in items if reason in i.reasons]
        return items

    def detail(self, actor: Actor, nomination_id: int) -> NominationDetail:
        if not (actor.can(Permission.BLACKLIST_REVIEW) or actor.can(Permission.BLACKLIST_NOMINATE)):
            actor.require(Permission.BLACKLIST_REVIEW)
        with self.database.session() as session:
            nomination = session.get(BlacklistNomination, nomination_id)
            if nomination is None:
                raise NotFound(tr("没有提名 {i}", "No nomination {i}", i=nomination_id))
            customer = session.get(Customer, nomination.customer_id)
            assert customer is not None
            actor.require_scope(customer.unit_id)
            item = next(
                i for i in self._items(actor, status=nomination.status) if i.id == nomination_id
            )
            linked = [int(i) for i in parse_codes(nomination.linked_claim_ids)]
            claims = _claim_lines(session, customer.id or 0, linked)
            reviews = session.exec(
                select(BlacklistReview, StaffUser.username)
                .join(StaffUser, col(StaffUser.id) == BlacklistReview.reviewer_id)
                .where(BlacklistReview.nomination_id == nomination_id)
                .order_by(col(BlacklistReview.id))
            ).all()
            picture = self._picture(session, customer.id or 0)
            return NominationDetail(
                item=item,
                evidence=nomination.evidence,
                linked_claim_ids=linked,
                claims=claims,
                reviews=[ReviewLine(u, r.decision, r.comment, r.reviewed_at) for r, u in reviews],
                picture=picture,
                class_reasons=[r.message for r in parse_reasons(customer.class_reasons)],
            )

    def _picture(self, session: Session, customer_id: int) -> LossPicture:
        window = Window(self.clock.today())
        thresholds = ClassThresholds.load(session)
        facts, _ = evaluate(session.connection(), thresholds, window, [customer_id])
        row = facts.iloc[0]

        def fen(name: str) -> Decimal:
            value = row.get(name)
            return from_fen(0 if value is None or value != value else int(value))

        paid = session.exec(
            select(func.coalesce(func.sum(money_fen(Claim.paid)), 0)).where(
                Claim.customer_id == customer_id, Claim.report_date <= window.as_of
            )
        ).one()
        written = session.exec(
            select(func.coalesce(func.sum(money_fen(Policy.premium)), 0)).where(
                Policy.customer_id == customer_id,
                Policy.start_date <= window.as_of,
                Policy.status != "cancelled",
            )
        ).one()
        incurred_year, earned_year = fen("incurred_year"), fen("earned_year")
        incurred_total, earned_total = fen("incurred_total"), fen("earned_total")
        return LossPicture(
            year_from=window.year_start,
            as_of=window.as_of,
            claims_year=_whole(row.get("claims_year")),
            incurred_year=incurred_year,
            earned_year=earned_year,
            earned_ratio_year=earned_loss_ratio(incurred_year, Decimal(0), earned_year),
            incurred_total=incurred_total,
            earned_total=earned_total,
            earned_ratio_total=earned_loss_ratio(incurred_total, Decimal(0), earned_total),
            paid_total=from_fen(int(paid)),
            written_total=from_fen(int(written)),
            simple_ratio=simple_loss_ratio(from_fen(int(paid)), from_fen(int(written))),
        )

    def candidates(self, actor: Actor, *, limit: int = 500) -> "list[Candidate]":
        """Customers in scope meeting the automatic blacklist rule today, not blacklisted."""
        return blacklist_lists.candidates(self.database, self.clock, actor, limit=limit)

    def entries(self, actor: Actor) -> "list[EntryLine]":
        """Active blacklist entries of customers in scope (for lifting)."""
        return blacklist_lists.entries(self.database, actor)

    def quota(self, actor: Actor, year: int | None = None) -> "list[QuotaLine]":
        """Per unit in scope: nominations by its staff in the calendar year vs the quota."""
        return blacklist_lists.quota(self.database, self.clock, actor, year)

    def customer_claims(self, actor: Actor, customer_id: int) -> list[ClaimLine]:
        """The customer's claims, newest first (to link them to a nomination)."""
        if not (actor.can(Permission.BLACKLIST_NOMINATE) or actor.can(Permission.BLACKLIST_REVIEW)):
            actor.require(Permission.BLACKLIST_NOMINATE)
        with self.database.session() as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise NotFound(
                    tr("没有客户 {i}", "No customer {i}", i=customer_id), field="customer_id"
                )
            actor.require_scope(customer.unit_id)
            return _claim_lines(session, customer_id, [])
