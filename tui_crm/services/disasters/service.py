"""Disaster events (typhoon, flood, hail, snow): dates and the districts struck, kept by
the branch for the service worklists — who to call after the event. Everyone who reads
customers sees them; managers and administrators (`disaster.edit`) record and correct
them, audited."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, exists, func
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text
from tui_crm.storage.db import Database
from tui_crm.storage.models import CatastropheDistrict, CatastropheEvent, Customer, OrgUnit, Policy

KINDS = ("typhoon", "flood", "hail", "snow")
DISTRICT = re.compile(r"\d{6}")
AFFECTED_LIMIT = 500


@dataclass(frozen=True)
class DisasterInput:
    name: str
    kind: str
    start_date: date
    end_date: date
    districts: list[str] = field(default_factory=list)
    warned_on: date | None = None


@dataclass(frozen=True)
class Disaster:
    id: int
    name: str
    kind: str
    start_date: date
    end_date: date
    warned_on: date | None
    districts: list[str]


@dataclass(frozen=True)
class AffectedCustomer:
    id: int
    name: str
    unit_code: str


class DisasterService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def events(self, actor: Actor) -> list[Disaster]:
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            events = session.exec(
                select(CatastropheEvent).order_by(col(CatastropheEvent.start_date).desc())
            ).all()
            return [_disaster(session, e) for e in events]

    def save(self, actor: Actor, data: DisasterInput, *, event_id: int | None = None) -> Disaster:
        """Record an event, or correct event `event_id` (its districts replaced)."""
        actor.require(Permission.DISASTER_EDIT)
        return self._store(actor, data, event_id, "update" if event_id else "create")

    def declare(self, actor: Actor, data: DisasterInput) -> Disaster:
        """A new event recorded to warn its customers (`tui-crm warning declare`): who may
        run a campaign may record the event it warns of, never correct one."""
        actor.require(Permission.CAMPAIGN_RUN)
        return self._store(actor, data, None, "disaster_declare")

    def mark_warned(self, actor: Actor, event_id: int, on: date) -> None:
        """The warning went out `on` (kept when one went out before; never after the end)."""
        actor.require(Permission.CAMPAIGN_RUN)
        with self.database.session() as session:
            event = _event(session, event_id)
            if event.warned_on is not None or on > event.end_date:
                return
            event.warned_on = on
            audit.record(session, actor, "disaster_warned", entity="catastrophe_event",
                         entity_id=event_id, after={"warned_on": on})  # fmt: skip
            session.commit()

    def event(self, actor: Actor, event_id: int) -> Disaster:
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            return _disaster(session, _event(session, event_id))

    def _store(
        self, actor: Actor, data: DisasterInput, event_id: int | None, action: str
    ) -> Disaster:
        districts = _checked(data)
        with self.database.session() as session:
            event = CatastropheEvent(
                name="", kind="", start_date=data.start_date, end_date=data.end_date
            )
            before = None
            if event_id is not None:
                found = _event(session, event_id)
                event, before = found, _disaster(session, found)
            event.name, event.kind = clean_text(data.name), data.kind
            event.start_date, event.end_date = data.start_date, data.end_date
            event.warned_on = data.warned_on
            session.add(event)
            session.flush()
            assert event.id is not None
            session.execute(
                delete(CatastropheDistrict).where(col(CatastropheDistrict.event_id) == event.id)
            )
            for code in districts:
                session.add(CatastropheDistrict(event_id=event.id, district_code=code))
            session.flush()
            after = _disaster(session, event)
            audit.record(
                session,
                actor,
                action,
                entity="catastrophe_event",
                entity_id=event.id,
                before=_audit(before),
                after=_audit(after),
            )
            session.commit()
            return after

    def affected(self, actor: Actor, event_id: int) -> list[AffectedCustomer]:
        """Customers of the actor's units in the districts struck, with a policy in force
        when the event began: the service worklist (the first 500)."""
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            query = _affected(session, actor, _event(session, event_id))
            rows = session.exec(query.limit(AFFECTED_LIMIT)).all()
            return [AffectedCustomer(int(i or 0), n, c) for i, n, c in rows]

    def affected_ids(self, actor: Actor, event_id: int) -> list[int]:
        """Every affected customer's id, in id order (the warning campaign's list)."""
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            query = _affected(session, actor, _event(session, event_id))
            return [int(i or 0) for i, _name, _code in session.exec(query).all()]


def _event(session: Session, event_id: int) -> CatastropheEvent:
    event = session.get(CatastropheEvent, event_id)
    if event is None:
        raise NotFound(tr("没有事件 {i}", "No event {i}", i=event_id), field="event")
    return event


def _affected(session: Session, actor: Actor, event: CatastropheEvent) -> Any:
    districts = select(CatastropheDistrict.district_code).where(
        CatastropheDistrict.event_id == event.id
    )
    in_force = exists().where(
        col(Policy.customer_id) == col(Customer.id),
        col(Policy.start_date) <= event.start_date,
        col(Policy.end_date) >= event.start_date,
        col(Policy.status) == "active",
    )
    return (
        select(Customer.id, Customer.name, OrgUnit.code)
        .join(OrgUnit, col(OrgUnit.id) == col(Customer.unit_id))
        .where(col(Customer.unit_id).in_(actor.scope_unit_ids))
        .where(func.substr(OrgUnit.code, 1, 6).in_(districts))
        .where(in_force)
        .order_by(col(Customer.id))
    )


def _checked(data: DisasterInput) -> list[str]:
    if not clean_text(data.name) or len(clean_text(data.name)) > 60:
        raise ValidationFailed(tr("名称为 1–60 字", "The name is 1–60 characters"), field="name")
    if data.kind not in KINDS:
        raise ValidationFailed(
            tr("类型应为 {k}", "The kind is one of {k}", k=", ".join(KINDS)), field="kind"
        )
    if data.end_date < data.start_date:
        raise ValidationFailed(
            tr("结束日期不能早于开始日期", "The end is before the start"), field="end_date"
        )
    if data.warned_on is not None and data.warned_on > data.end_date:
        raise ValidationFailed(
            tr("预警日期不能晚于结束日期", "The warning is after the end"), field="warned_on"
        )
    codes = list(dict.fromkeys(c.strip() for c in data.districts if c.strip()))
    bad = [c for c in codes if not DISTRICT.fullmatch(c)]
    if bad or not codes:
        raise ValidationFailed(
            tr(
                "请填写受灾区县代码（6 位数字，如 330402）：{b}",
                "Give the districts struck as 6-digit county codes (330402): {b}",
                b=", ".join(bad),
            ),
            field="districts",
        )
    return codes


def _disaster(session: Session, event: CatastropheEvent) -> Disaster:
    codes = session.exec(
        select(CatastropheDistrict.district_code)
        .where(CatastropheDistrict.event_id == event.id)
        .order_by(col(CatastropheDistrict.district_code))
    ).all()
    return Disaster(
        event.id or 0,
        event.name,
        event.kind,
        event.start_date,
        event.end_date,
        event.warned_on,
        list(codes),
    )


def _audit(d: Disaster | None) -> dict[str, object] | None:
    if d is None:
        return None
    return {
        "name": d.name,
        "kind": d.kind,
        "start_date": d.start_date,
        "end_date": d.end_date,
        "warned_on": d.warned_on,
        "districts": d.districts,
    }
