"""Prospect facts, one row each, never overwritten: `intent` (a date and a note) and `lost`
(to which competitor, why, when). Anyone who records customer service (`prospect.record`)
records them for customers of their units, audited; the customer's class is evaluated
again at once, so the class history says why the customer became a prospect. A loss
marked on the renewal worklist comes through `record_lost_in`, the one place a loss is
written."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from tui_crm.domain import ProspectFactKind
from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text, within
from tui_crm.storage.db import Database
from tui_crm.storage.models import Customer, OrgUnit, Policy, ProspectFact, StaffUser

# (session, customer id, as-of date, history source) -> the customer's class afterwards
Reclassify = Callable[[Session, int, date, str], str]

EARLIEST = timedelta(days=366 * 5)  # a fact older than five years is a typing slip
LIST_LIMIT = 500


@dataclass(frozen=True)
class ProspectFactRow:
    id: int
    customer_id: int
    customer_name: str
    unit_code: str
    kind: str
    fact_date: date
    note: str | None
    competitor: str | None
    reason: str | None
    policy_no: str | None
    recorded_by: str
    recorded_at: datetime
    customer_class: str


class ProspectService:
    def __init__(self, database: Database, clock: Clock, reclassify: Reclassify) -> None:
        self.database = database
        self.clock = clock
        self.reclassify = reclassify

    def declare_intent(
        self, actor: Actor, customer_id: int, *, day: date | None = None, note: str = ""
    ) -> ProspectFactRow:
        """The customer said they will insure with us (on `day`, today by default)."""
        actor.require(Permission.PROSPECT_RECORD)
        day = self._day(day)
        text = within(clean_text(note), 200, field="note", label=("备注", "Note")) or None
        with self.database.session() as session:
            self._customer(session, actor, customer_id)
            fact = ProspectFact(
                customer_id=customer_id,
                kind=ProspectFactKind.INTENT.value,
                fact_date=day,
                note=text,
                created_by_id=actor.id,
                created_at=self.clock.now(),
            )
            fact_id = self._write(session, actor, fact, "prospect_intent")
            session.commit()
        return self._one(actor, fact_id)

    def record_lost(
        self,
        actor: Actor,
        customer_id: int,
        *,
        competitor: str | None,
        reason: str | None,
        day: date | None = None,
    ) -> ProspectFactRow:
        """The customer went to a competitor (on `day`, today by default)."""
        actor.require(Permission.PROSPECT_RECORD)
        with self.database.session() as session:
            fact_id = self.record_lost_in(
                session, actor, customer_id, competitor=competitor, reason=reason, day=day
            )
            session.commit()
        return self._one(actor, fact_id)

    def record_lost_in(
        self,
        session: Session,
        actor: Actor,
        customer_id: int,
        *,
        competitor: str | None,
        reason: str | None,
        day: date | None = None,
        policy_id: int | None = None,
    ) -> int:
        """A loss inside the caller's transaction (the renewal worklist, which checked its
        own permission); the caller commits."""
        day = self._day(day)
        rival = within(
            clean_text(competitor), 60, field="competitor", label=("竞争对手", "Competitor")
        )
        why = within(clean_text(reason), 200, field="reason", label=("原因", "Reason"))
        if not (rival or why):
            raise ValidationFailed(
                tr("流失请填写竞争对手或原因", "Say to whom or why the customer was lost"),
                field="competitor",
            )
        self._customer(session, actor, customer_id)
        fact = ProspectFact(
            customer_id=customer_id,
            kind=ProspectFactKind.LOST.value,
            fact_date=day,
            competitor=rival or None,
            reason=why or None,
            policy_id=policy_id,
            created_by_id=actor.id,
            created_at=self.clock.now(),
        )
        return self._write(session, actor, fact, "prospect_lost")

    def facts(self, actor: Actor, customer_id: int) -> list[ProspectFactRow]:
        """The prospect facts of one customer, newest first."""
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            self._customer(session, actor, customer_id)
            query = _query(actor).where(col(ProspectFact.customer_id) == customer_id)
            return [_row(*r) for r in session.execute(query).all()]

    def rows(
        self,
        actor: Actor,
        *,
        unit_code: str | None = None,
        kind: str | None = None,
        limit: int = LIST_LIMIT,
    ) -> list[ProspectFactRow]:
        """The newest prospect facts of the customers of the user's units (or one unit)."""
        actor.require(Permission.CUSTOMER_READ)
        if kind is not None and kind not in set(ProspectFactKind):
            raise ValidationFailed(
                tr("类型应为 intent 或 lost", "The kind is intent or lost"), field="kind"
            )
        with self.database.session() as session:
            query = _query(actor)
            if unit_code:
                unit = session.exec(
                    select(OrgUnit).where(OrgUnit.code == unit_code.strip())
                ).first()
                if unit is None:
                    raise NotFound(tr("没有机构 {c}", "No unit {c}", c=unit_code), field="unit")
                actor.require_scope(unit.id)
                query = query.where(col(Customer.unit_id) == unit.id)
            if kind:
                query = query.where(col(ProspectFact.kind) == kind)
            return [_row(*r) for r in session.execute(query.limit(max(1, limit))).all()]

    # --- helpers ---------------------------------------------------------------------
    def _day(self, day: date | None) -> date:
        today = self.clock.today()
        if day is None:
            return today
        if day > today:
            raise ValidationFailed(
                tr("日期不能晚于今天", "The date cannot be after today"), field="date"
            )
        if day < today - EARLIEST:
            raise ValidationFailed(
                tr("日期不能早于五年前", "The date cannot be more than five years ago"),
                field="date",
            )
        return day

    def _customer(self, session: Session, actor: Actor, customer_id: int) -> Customer:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(tr("没有客户 {i}", "No customer {i}", i=customer_id), field="customer")
        actor.require_scope(customer.unit_id)
        return customer

    def _write(self, session: Session, actor: Actor, fact: ProspectFact, action: str) -> int:
        session.add(fact)
        session.flush()
        klass = self.reclassify(session, fact.customer_id, self.clock.today(), "prospect")
        audit.record(
            session,
            actor,
            action,
            entity="prospect_fact",
            entity_id=fact.id,
            after={
                "customer_id": fact.customer_id,
                "kind": fact.kind,
                "date": fact.fact_date.isoformat(),
                "note": fact.note,
                "competitor": fact.competitor,
                "reason": fact.reason,
                "policy_id": fact.policy_id,
                "class": klass,
            },
        )
        assert fact.id is not None
        return fact.id

    def _one(self, actor: Actor, fact_id: int) -> ProspectFactRow:
        with self.database.session() as session:
            row = session.execute(_query(actor).where(col(ProspectFact.id) == fact_id)).one()
            return _row(*row)


def _query(actor: Actor) -> Any:  # a Select of the fact and five columns
    return (
        sql_select(
            ProspectFact,
            col(Customer.name),
            col(OrgUnit.code),
            col(Policy.policy_no),
            col(StaffUser.username),
            col(Customer.customer_class),
        )
        .join(Customer, col(Customer.id) == col(ProspectFact.customer_id))
        .join(OrgUnit, col(OrgUnit.id) == col(Customer.unit_id))
        .join(StaffUser, col(StaffUser.id) == col(ProspectFact.created_by_id))
        .outerjoin(Policy, col(Policy.id) == col(ProspectFact.policy_id))
        .where(col(Customer.unit_id).in_(actor.scope_unit_ids))
        .order_by(col(ProspectFact.fact_date).desc(), col(ProspectFact.id).desc())
    )


def _row(
    fact: ProspectFact, name: str, unit: str, policy_no: str | None, by: str, klass: str
) -> ProspectFactRow:
    return ProspectFactRow(
        fact.id or 0, fact.customer_id, name, unit, fact.kind, fact.fact_date, fact.note,
        fact.competitor, fact.reason, policy_no, by, fact.created_at, klass,
    )  # fmt: skip
