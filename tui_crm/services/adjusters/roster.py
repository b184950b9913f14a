"""The roster of loss adjusters on duty: who (a staff user or a named outside adjuster),
from when to when (local time in, UTC stored, end exclusive), phone and unit. Everyone
who reads customers sees the shifts of their units; `adjuster.edit` adds, corrects and
removes them, audited. One person is never on two shifts at once."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from tui_crm.formats import local_time
from tui_crm.i18n import tr
from tui_crm.services.adjusters.on_duty import units_up
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text, within
from tui_crm.services.validation import require
from tui_crm.storage.db import Database
from tui_crm.storage.models import AdjusterShift, OrgUnit, StaffUser, UnitServicePhone

LIST_LIMIT = 1000


@dataclass(frozen=True)
class ShiftInput:
    unit_code: str
    starts_at: datetime
    ends_at: datetime
    staff_username: str = ""  # a staff user, or
    name: str = ""  # a named adjuster (a staff user's display name when empty)
    phone: str = ""  # the staff user's phone when empty


@dataclass(frozen=True)
class Shift:
    id: int
    staff_username: str | None
    name: str
    phone: str
    unit_code: str
    unit_name: str
    starts_at: datetime
    ends_at: datetime


class AdjusterService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def shifts(
        self, actor: Actor, *, unit_code: str = "", since: datetime | None = None
    ) -> list[Shift]:
        """Shifts of the actor's units (or of `unit_code`'s subtree) ending after `since`
        (default: now), earliest first."""
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            units = _scope(session, actor, unit_code)
            rows = session.exec(
                _query()
                .where(col(AdjusterShift.unit_id).in_(units))
                .where(col(AdjusterShift.ends_at) > (since or self.clock.now()))
                .order_by(col(AdjusterShift.starts_at), col(AdjusterShift.id))
                .limit(LIST_LIMIT)
            ).all()
            return [_shift(*row) for row in rows]

    def on_duty(
        self, actor: Actor, *, at: datetime | None = None, unit_code: str = ""
    ) -> list[Shift]:
        """Who is on duty at `at` (default now): for `unit_code`, the shifts of that unit
        and of the units above it, nearest unit first; else every shift of the actor's
        units."""
        actor.require(Permission.CUSTOMER_READ)
        moment = at or self.clock.now()
        with self.database.session() as session:
            if unit_code:
                unit = _unit(session, actor, unit_code)
                chain = units_up(session, unit.id or 0)
            else:
                chain = sorted(actor.scope_unit_ids)
            rows = session.exec(
                _query()
                .where(col(AdjusterShift.unit_id).in_(chain))
                .where(col(AdjusterShift.starts_at) <= moment, col(AdjusterShift.ends_at) > moment)
                .order_by(col(AdjusterShift.starts_at), col(AdjusterShift.id))
            ).all()
            shifts = [_shift(*row) for row in rows]
            if unit_code:
                order = {uid: i for i, uid in enumerate(chain)}
                rank = {row[0].id: order[row[0].unit_id] for row in rows}
                shifts.sort(key=lambda s: rank[s.id])
            return shifts

    def save(self, actor: Actor, data: ShiftInput, *, shift_id: int | None = None) -> Shift:
        """Add a shift, or correct shift `shift_id`."""
        actor.require(Permission.ADJUSTER_EDIT)
        with self.database.session() as session:
            unit = _unit(session, actor, data.unit_code)
            staff, name, phone = _who(session, data)
            _check_times(data)
            before = None
            if shift_id is None:
                shift = AdjusterShift(
                    name=name, phone=phone, unit_id=unit.id or 0, starts_at=data.starts_at,
                    ends_at=data.ends_at, created_by_id=actor.id,
                )  # fmt: skip
            else:
                shift = _found(session, actor, shift_id)
                before = _audit(shift)
            _no_overlap(session, staff, name, data, shift_id)
            shift.staff_id = staff.id if staff else None
            shift.name, shift.phone, shift.unit_id = name, phone, unit.id or 0
            shift.starts_at, shift.ends_at = data.starts_at, data.ends_at
            session.add(shift)
            session.flush()
            audit.record(
                session,
                actor,
                "update" if before else "create",
                entity="adjuster_shift",
                entity_id=shift.id,
                before=before,
                after=_audit(shift),
            )
            session.commit()
            return _shift(shift, staff.username if staff else None, unit.code, unit.name)

    def remove(self, actor: Actor, shift_id: int) -> None:
        actor.require(Permission.ADJUSTER_EDIT)
        with self.database.session() as session:
            shift = _found(session, actor, shift_id)
            before = _audit(shift)
            session.delete(shift)
            audit.record(
                session, actor, "delete", entity="adjuster_shift", entity_id=shift_id, before=before
            )
            session.commit()

    def set_service_phone(self, actor: Actor, unit_code: str, phone: str) -> str:
        """A unit's service phone (the care SMS's last fallback); '' clears it."""
        actor.require(Permission.ADJUSTER_EDIT)
        with self.database.session() as session:
            unit = _unit(session, actor, unit_code)
            row = session.get(UnitServicePhone, unit.id)
            before = row.phone if row else None
            if phone.strip():
                typed = within(phone.strip(), 20, field="phone", label=("电话", "Phone"))
                number = require("phone", typed, field="phone")
                row = row or UnitServicePhone(unit_id=unit.id or 0, phone="", updated_by_id=0)
                row.phone, row.updated_by_id, row.updated_at = number, actor.id, self.clock.now()
                session.add(row)
            elif row is not None:
                session.delete(row)
                number = ""
            else:
                number = ""
            audit.record(
                session, actor, "update", entity="unit_service_phone", entity_id=unit.id,
                before={"phone": before}, after={"phone": number or None},
            )  # fmt: skip
            session.commit()
            return number


def _query():
    return (
        select(AdjusterShift, StaffUser.username, OrgUnit.code, OrgUnit.name)
        .join(OrgUnit, col(OrgUnit.id) == AdjusterShift.unit_id)
        .outerjoin(StaffUser, col(StaffUser.id) == AdjusterShift.staff_id)
    )


def _shift(shift: AdjusterShift, username: str | None, unit_code: str, unit_name: str) -> Shift:
    return Shift(
        id=shift.id or 0,
        staff_username=username,
        name=shift.name,
        phone=shift.phone,
        unit_code=unit_code,
        unit_name=unit_name,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
    )


def _scope(session: Session, actor: Actor, unit_code: str) -> list[int]:
    if not unit_code:
        return sorted(actor.scope_unit_ids)
    unit = _unit(session, actor, unit_code)
    ids = session.exec(select(OrgUnit.id).where(col(OrgUnit.path).startswith(unit.path))).all()
    return [i for i in ids if i is not None]


def _unit(session: Session, actor: Actor, unit_code: str) -> OrgUnit:
    code = clean_text(unit_code)
    unit = session.exec(select(OrgUnit).where(OrgUnit.code == code)).first() if code else None
    if unit is None:
        raise NotFound(
            tr("没有机构 {c}", "No unit {c}", c=within(code, 20, field="unit",
                                                     label=("机构", "Unit"))),
            field="unit",
        )  # fmt: skip
    actor.require_scope(unit.id)
    return unit


def _found(session: Session, actor: Actor, shift_id: int) -> AdjusterShift:
    shift = session.get(AdjusterShift, shift_id)
    if shift is None or not actor.in_scope(shift.unit_id):
        raise NotFound(tr("没有排班 {i}", "No shift {i}", i=shift_id), field="shift")
    return shift


def _who(session: Session, data: ShiftInput) -> tuple[StaffUser | None, str, str]:
    staff = None
    username = within(clean_text(data.staff_username), 40, field="staff",
                      label=("员工", "Staff user"))  # fmt: skip
    if username:
        staff = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
        if staff is None or not staff.active:
            raise NotFound(tr("没有员工 {u}", "No staff user {u}", u=username), field="staff")
    name = within(clean_text(data.name), 40, field="name", label=("查勘员", "Adjuster"))
    name = name or (staff.display_name if staff else "")
    if not name:
        raise ValidationFailed(
            tr("请填写查勘员姓名或员工账号", "Give the adjuster's name or staff user"),
            field="name",
        )
    phone = within(clean_text(data.phone), 20, field="phone", label=("电话", "Phone"))
    phone = phone or (staff.phone or "" if staff else "")
    if not phone:
        raise ValidationFailed(tr("请填写电话", "Give a phone number"), field="phone")
    return staff, name, require("phone", phone, field="phone")


def _check_times(data: ShiftInput) -> None:
    for value, field in ((data.starts_at, "starts_at"), (data.ends_at, "ends_at")):
        if value.tzinfo is None:
            raise ValidationFailed(tr("时间缺少时区", "The time has no zone"), field=field)
    if data.ends_at <= data.starts_at:
        raise ValidationFailed(
            tr("结束时间应晚于开始时间", "The end must be after the start"), field="ends_at"
        )


def _no_overlap(
    session: Session,
    staff: StaffUser | None,
    name: str,
    data: ShiftInput,
    shift_id: int | None,
) -> None:
    same_person = (
        col(AdjusterShift.staff_id) == staff.id
        if staff is not None
        else (col(AdjusterShift.staff_id).is_(None) & (col(AdjusterShift.name) == name))
    )
    query = select(AdjusterShift).where(
        same_person,
        col(AdjusterShift.starts_at) < data.ends_at,
        col(AdjusterShift.ends_at) > data.starts_at,
    )
    if shift_id is not None:
        query = query.where(col(AdjusterShift.id) != shift_id)
    other = session.exec(query.limit(1)).first()
    if other is not None:
        raise ValidationFailed(
            tr(
                "与同一人的排班 {i}（{a} 至 {b}）重叠",
                "Overlaps shift {i} of the same person ({a} to {b})",
                i=other.id,
                a=local_time(other.starts_at),
                b=local_time(other.ends_at),
            ),
            field="starts_at",
        )


def _audit(shift: AdjusterShift) -> dict[str, object]:
    return {
        "staff_id": shift.staff_id,
        "name": shift.name,
        "phone": shift.phone,
        "unit_id": shift.unit_id,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
    }
