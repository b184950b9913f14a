"""Customer service contacts: visits, calls, 95585 call-centre records, complaints.

Complaints carry a status (open → resolved with a resolution and satisfaction); the
summary counts contacts by kind and month and measures complaint handling.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from tui_crm.domain import ServiceKind
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label
from tui_crm.services.core import audit, repeat
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import BRANCH_TZ, Clock
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text, within
from tui_crm.storage.db import Database
from tui_crm.storage.models import Customer, ServiceContact, StaffUser
from tui_crm.storage.models.service import NOTES_MAX, SUBJECT_MAX

RECORD_WORDS = ("服务记录", "service record")


def kind_name(kind: str) -> str:
    return label("service_kind", kind)


@dataclass(frozen=True)
class ContactRecord:
    id: int
    customer_id: int
    customer_name: str
    kind: str
    occurred_at: datetime
    staff: str
    subject: str
    notes: str
    complaint_status: str | None
    resolved_at: datetime | None
    satisfaction: int | None


@dataclass(frozen=True)
class ServiceSummary:
    by_kind: dict[str, int]
    by_month: dict[str, int]
    complaints: int
    complaints_resolved: int
    average_days_to_resolve: float | None


class CustomerServiceLog:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def record(
        self,
        actor: Actor,
        customer_id: int,
        *,
        kind: str,
        subject: str,
        notes: str = "",
        occurred_at: datetime | None = None,
    ) -> ContactRecord:
        actor.require(Permission.SERVICE_RECORD)
        if kind not in {k.value for k in ServiceKind}:
            raise ValidationFailed(
                tr("未知的服务类型 {k}", "Unknown contact kind {k}", k=kind), field="kind"
            )
        subject = within(
            clean_text(subject), SUBJECT_MAX, field="subject", label=("事由", "Subject")
        )
        notes = within(clean_text(notes), NOTES_MAX, field="notes", label=("备注", "Notes"))
        if not subject:
            raise ValidationFailed(tr("请填写事由", "Enter a subject"), field="subject")
        digest = repeat.fingerprint(customer_id, kind, subject, notes, occurred_at)
        with self.database.session() as session:
            claimed = repeat.claim(
                session, actor, "service_contact", digest, self.clock.now(), RECORD_WORDS
            )
            customer = _customer_in_scope(session, actor, customer_id)
            contact = ServiceContact(
                customer_id=customer_id,
                kind=kind,
                subject=subject,
                notes=notes,
                staff_id=actor.id,
                occurred_at=occurred_at or self.clock.now(),
                complaint_status="open" if kind == ServiceKind.COMPLAINT else None,
            )
            session.add(contact)
            session.flush()
            repeat.made(session, claimed, contact.id)
            audit.record(
                session,
                actor,
                "create",
                entity="service_contact",
                entity_id=contact.id,
                after={"customer_id": customer_id, "kind": kind},
            )
            session.commit()
            return _record(contact, customer.name, actor.display_name)

    def for_customer(
        self, actor: Actor, customer_id: int, *, limit: int = 200
    ) -> list[ContactRecord]:
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            customer = _customer_in_scope(session, actor, customer_id)
            rows = session.exec(
                select(ServiceContact, StaffUser.display_name)
                .join(StaffUser, col(StaffUser.id) == ServiceContact.staff_id, isouter=True)
                .where(ServiceContact.customer_id == customer_id)
                .order_by(col(ServiceContact.occurred_at).desc())
                .limit(limit)
            ).all()
            return [_record(c, customer.name, staff or "") for c, staff in rows]

    def complaints(
        self, actor: Actor, *, status: str | None = "open", limit: int = 500
    ) -> list[ContactRecord]:
        """Complaints of customers in the actor's scope, oldest open first."""
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            query = (
                select(ServiceContact, Customer.name, StaffUser.display_name)
                .join(Customer, col(Customer.id) == ServiceContact.customer_id)
                .join(StaffUser, col(StaffUser.id) == ServiceContact.staff_id, isouter=True)
                .where(ServiceContact.kind == ServiceKind.COMPLAINT.value)
                .where(col(Customer.unit_id).in_(actor.scope_unit_ids))
                .order_by(col(ServiceContact.occurred_at))
                .limit(limit)
            )
            if status:
                query = query.where(ServiceContact.complaint_status == status)
            return [_record(c, name, staff or "") for c, name, staff in session.exec(query).all()]

    def resolve(
        self, actor: Actor, contact_id: int, *, resolution: str, satisfaction: int | None = None
    ) -> ContactRecord:
        actor.require(Permission.SERVICE_RECORD)
        resolution = within(
            clean_text(resolution), NOTES_MAX, field="resolution", label=("处理结果", "Resolution")
        )
        if not resolution:
            raise ValidationFailed(
                tr("请填写处理结果", "Enter how it was resolved"), field="resolution"
            )
        if satisfaction is not None and not 1 <= satisfaction <= 5:
            raise ValidationFailed(tr("满意度为 1–5", "Satisfaction is 1–5"), field="satisfaction")
        with self.database.session() as session:
            contact = session.get(ServiceContact, contact_id)
            if contact is None or contact.kind != ServiceKind.COMPLAINT.value:
                raise NotFound(tr("没有该投诉", "No such complaint"))
            customer = _customer_in_scope(session, actor, contact.customer_id)
            if contact.complaint_status == "resolved":
                from tui_crm.services.core.errors import Conflict

                raise Conflict(tr("该投诉已处理", "Already resolved"))
            contact.complaint_status = "resolved"
            contact.resolved_at = self.clock.now()
            contact.satisfaction = satisfaction
            contact.notes = (
                (contact.notes + "\n" if contact.notes else "")
                + tr("处理结果：", "Resolution: ")
                + resolution
            )
            audit.record(
                session,
                actor,
                "resolve",
                entity="service_contact",
                entity_id=contact_id,
                after={"resolution": resolution, "satisfaction": satisfaction},
            )
            session.commit()
            return _record(contact, customer.name, actor.display_name)

    def summary(self, actor: Actor, *, start: date, end: date) -> ServiceSummary:
        """Contacts by kind and month in [start, end] (local dates), complaint handling."""
        actor.require(Permission.CUSTOMER_READ)
        since = datetime.combine(start, time.min, BRANCH_TZ)
        until = datetime.combine(end + timedelta(days=1), time.min, BRANCH_TZ)
        with self.database.session() as session:
            rows = session.exec(
                select(
                    ServiceContact.kind,
                    ServiceContact.occurred_at,
                    ServiceContact.complaint_status,
                    ServiceContact.resolved_at,
                )
                .join(Customer, col(Customer.id) == ServiceContact.customer_id)
                .where(col(Customer.unit_id).in_(actor.scope_unit_ids))
                .where(col(ServiceContact.occurred_at) >= since)
                .where(col(ServiceContact.occurred_at) < until)
            ).all()
        by_kind: Counter[str] = Counter()
        by_month: Counter[str] = Counter()
        days: list[float] = []
        complaints = resolved = 0
        for kind, occurred, status, resolved_at in rows:
            by_kind[kind] += 1
            by_month[occurred.astimezone(BRANCH_TZ).strftime("%Y-%m")] += 1
            if kind == ServiceKind.COMPLAINT.value:
                complaints += 1
                if status == "resolved" and resolved_at:
                    resolved += 1
                    days.append((resolved_at - occurred).total_seconds() / 86400)
        return ServiceSummary(
            by_kind=dict(sorted(by_kind.items())),
            by_month=dict(sorted(by_month.items())),
            complaints=complaints,
            complaints_resolved=resolved,
            average_days_to_resolve=round(sum(days) / len(days), 1) if days else None,
        )


def _customer_in_scope(session: Session, actor: Actor, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(
            tr("没有编号为 {i} 的客户", "No customer {i}", i=customer_id), field="customer"
        )
    actor.require_scope(customer.unit_id)
    return customer


def _record(contact: ServiceContact, customer_name: str, staff: str) -> ContactRecord:
    return ContactRecord(
        id=contact.id or 0,
        customer_id=contact.customer_id,
        customer_name=customer_name,
        kind=contact.kind,
        occurred_at=contact.occurred_at,
        staff=staff,
        subject=contact.subject,
        notes=contact.notes,
        complaint_status=contact.complaint_status,
        resolved_at=contact.resolved_at,
        satisfaction=contact.satisfaction,
    )
