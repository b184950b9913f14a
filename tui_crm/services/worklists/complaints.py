"""Complaint deadlines: received → assigned → resolved → confirmed with the customer.

A complaint (a `service_contact` of kind complaint) is due `complaint.resolve_days` days
after it was logged; assigning names the person who handles it and the cause; resolving
stays `CustomerServiceLog.resolve`; confirming records that the customer agreed. Overdue
means not resolved by the due date. The analysis counts complaints by cause, by unit and
by month, with how many ran over.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import BRANCH_TZ, Clock
from tui_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text
from tui_crm.services.core.thresholds import threshold_int
from tui_crm.storage.db import Database
from tui_crm.storage.models import ComplaintTrack, Customer, OrgUnit, ServiceContact, StaffUser

CAUSES = ("claim_speed", "claim_amount", "service_attitude", "renewal", "sales", "other")


@dataclass(frozen=True)
class ComplaintItem:
    id: int
    customer_id: int
    customer_name: str
    subject: str
    received_at: datetime
    stage: str  # received/assigned/resolved/confirmed
    cause: str
    assignee: str
    due_date: date
    overdue: bool


@dataclass(frozen=True)
class ComplaintAnalysis:
    total: int
    overdue: int
    by_cause: dict[str, int]
    by_unit: dict[str, int]
    by_month: dict[str, int]


class ComplaintDesk:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def queue(self, actor: Actor, *, include_closed: bool = False) -> list[ComplaintItem]:
        """Complaints in the actor's units, the nearest deadline first."""
        actor.require(Permission.CUSTOMER_READ)
        today = self.clock.today()
        with self.database.session() as session:
            days = threshold_int(session, "complaint.resolve_days")
            items = [
                _item(c, name, track, assignee, days, today)
                for c, name, track, assignee in _rows(session, actor)
            ]
        if not include_closed:
            items = [i for i in items if i.stage in ("received", "assigned")]
        return sorted(items, key=lambda i: (i.due_date, i.id))

    def assign(self, actor: Actor, contact_id: int, *, assignee: str, cause: str) -> ComplaintItem:
        actor.require(Permission.SERVICE_RECORD)
        if cause not in CAUSES:
            raise ValidationFailed(
                tr("未知的投诉原因 {c}", "Unknown complaint cause {c}", c=cause), field="cause"
            )
        with self.database.session() as session:
            contact = _complaint(session, actor, contact_id)
            staff = session.exec(
                select(StaffUser).where(StaffUser.username == clean_text(assignee))
            ).first()
            if staff is None or not actor.in_scope(staff.unit_id):
                raise NotFound(tr("没有用户 {u}", "No user {u}", u=assignee), field="assignee")
            track = self._track(session, contact)
            track.assignee_id, track.cause = staff.id, cause
            track.assigned_at = self.clock.now()
            if track.stage == "received":
                track.stage = "assigned"
            audit.record(
                session,
                actor,
                "complaint_assign",
                entity="service_contact",
                entity_id=contact_id,
                after={"assignee": staff.username, "cause": cause},
            )
            session.commit()
        return self._one(actor, contact_id)

    def confirm(self, actor: Actor, contact_id: int) -> ComplaintItem:
        """The customer confirmed the resolution: the complaint is closed."""
        actor.require(Permission.SERVICE_RECORD)
        with self.database.session() as session:
            contact = _complaint(session, actor, contact_id)
            if contact.complaint_status != "resolved":
                raise Conflict(
                    tr("投诉尚未处理完毕", "The complaint is not resolved yet"), field="complaint"
                )
            track = self._track(session, contact)
            track.stage, track.confirmed_at = "confirmed", self.clock.now()
            audit.record(
                session, actor, "complaint_confirm", entity="service_contact", entity_id=contact_id
            )
            session.commit()
        return self._one(actor, contact_id)

    def analysis(self, actor: Actor, *, start: date, end: date) -> ComplaintAnalysis:
        actor.require(Permission.CUSTOMER_READ)
        if end < start:
            raise ValidationFailed(tr("结束日期早于开始日期", "End before start"), field="end")
        first = datetime.combine(start, time(), tzinfo=BRANCH_TZ)
        last = datetime.combine(end + timedelta(days=1), time(), tzinfo=BRANCH_TZ)
        items = [i for i in self.queue(actor, include_closed=True) if first <= i.received_at < last]
        with self.database.session() as session:
            units = dict(
                session.exec(
                    select(Customer.id, OrgUnit.code)
                    .join(OrgUnit, col(OrgUnit.id) == Customer.unit_id)
                    .where(col(Customer.id).in_({i.customer_id for i in items}))
                ).all()
            )
        return ComplaintAnalysis(
            total=len(items),
            overdue=sum(1 for i in items if i.overdue),
            by_cause=dict(Counter(i.cause for i in items).most_common()),
            by_unit=dict(sorted(Counter(units.get(i.customer_id, "") for i in items).items())),
            by_month=dict(
                sorted(
                    Counter(
                        i.received_at.astimezone(BRANCH_TZ).strftime("%Y-%m") for i in items
                    ).items()
                )
            ),
        )

    def _track(self, session: Session, contact: ServiceContact) -> ComplaintTrack:
        track = session.get(ComplaintTrack, contact.id)
        if track is None:
            days = threshold_int(session, "complaint.resolve_days")
            track = ComplaintTrack(
                contact_id=contact.id or 0, due_date=_received(contact) + timedelta(days=days)
            )
            session.add(track)
        return track

    def _one(self, actor: Actor, contact_id: int) -> ComplaintItem:
        return next(i for i in self.queue(actor, include_closed=True) if i.id == contact_id)


def _received(contact: ServiceContact) -> date:
    return contact.occurred_at.astimezone(BRANCH_TZ).date()


def _complaint(session: Session, actor: Actor, contact_id: int) -> ServiceContact:
    contact = session.get(ServiceContact, contact_id)
    customer = session.get(Customer, contact.customer_id) if contact else None
    if contact is None or contact.kind != "complaint" or customer is None:
        raise NotFound(tr("没有该投诉", "No such complaint"), field="complaint")
    actor.require_scope(customer.unit_id)
    return contact


def _rows(session: Session, actor: Actor) -> Sequence[Any]:
    return session.exec(
        select(ServiceContact, Customer.name, ComplaintTrack, StaffUser.display_name)
        .join(Customer, col(Customer.id) == ServiceContact.customer_id)
        .outerjoin(ComplaintTrack, col(ComplaintTrack.contact_id) == ServiceContact.id)
        .outerjoin(StaffUser, col(StaffUser.id) == ComplaintTrack.assignee_id)
        .where(ServiceContact.kind == "complaint")
        .where(col(Customer.unit_id).in_(actor.scope_unit_ids))
    ).all()


def _item(
    contact: ServiceContact,
    name: str,
    track: ComplaintTrack | None,
    assignee: str | None,
    days: int,
    today: date,
) -> ComplaintItem:
    due = track.due_date if track else _received(contact) + timedelta(days=days)
    if track and track.stage == "confirmed":
        stage = "confirmed"
    elif contact.complaint_status == "resolved":
        stage = "resolved"
    else:
        stage = track.stage if track else "received"
    resolved_on = contact.resolved_at.astimezone(BRANCH_TZ).date() if contact.resolved_at else None
    overdue = (resolved_on or today) > due
    return ComplaintItem(
        id=contact.id or 0,
        customer_id=contact.customer_id,
        customer_name=name,
        subject=contact.subject,
        received_at=contact.occurred_at,
        stage=stage,
        cause=track.cause if track else "other",
        assignee=assignee or "",
        due_date=due,
        overdue=overdue,
    )
