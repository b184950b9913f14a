"""Who a care SMS or a care task names for a claim: the adjuster on duty at the claim's
report time for the claim's unit (that unit's roster, else the nearest unit above it
with one), else the claim's own adjuster (its handler), else the unit's service phone
(the nearest unit up the tree that has one). Read inside the caller's session."""

from dataclasses import dataclass
from datetime import datetime, time

from sqlmodel import Session, col, select

from tui_crm.services.core.clock import BRANCH_TZ
from tui_crm.storage.models import (
    AdjusterShift,
    Claim,
    OrgUnit,
    Policy,
    StaffUser,
    UnitServicePhone,
)

NOON = time(12, 0)


@dataclass(frozen=True)
class Contact:
    """Whom the customer can call about the claim, and where that came from
    (`roster`, `handler`, `service_phone`)."""

    name: str
    phone: str
    source: str


def units_up(session: Session, unit_id: int) -> list[int]:
    """The unit and the units above it, nearest first."""
    unit = session.get(OrgUnit, unit_id)
    if unit is None:
        return []
    prefixes = [unit.path[: i + 1] for i, ch in enumerate(unit.path) if ch == "/"]
    rows = session.exec(select(OrgUnit.id, OrgUnit.path).where(col(OrgUnit.path).in_(prefixes)))
    by_path = {path: uid for uid, path in rows}
    return [by_path[p] for p in reversed(prefixes) if by_path.get(p) is not None]  # type: ignore[misc]


def on_duty_shift(session: Session, unit_id: int, moment: datetime) -> AdjusterShift | None:
    """The shift covering `moment` for the unit, or the nearest unit above it."""
    return _on_duty(session, units_up(session, unit_id), moment)


def _on_duty(session: Session, chain: list[int], moment: datetime) -> AdjusterShift | None:
    if not chain:
        return None
    shifts = session.exec(
        select(AdjusterShift)
        .where(col(AdjusterShift.unit_id).in_(chain))
        .where(col(AdjusterShift.starts_at) <= moment, col(AdjusterShift.ends_at) > moment)
        .order_by(col(AdjusterShift.starts_at).desc(), col(AdjusterShift.id))
    ).all()
    for unit in chain:
        for shift in shifts:
            if shift.unit_id == unit:
                return shift
    return None


def _service_phone(session: Session, chain: list[int]) -> tuple[str, str] | None:
    """The unit's name and service phone: its own, else the nearest unit above it's."""
    rows = session.exec(
        select(UnitServicePhone, OrgUnit.name)
        .join(OrgUnit, col(OrgUnit.id) == UnitServicePhone.unit_id)
        .where(col(UnitServicePhone.unit_id).in_(chain))
    ).all()
    phones = {row.unit_id: (name, row.phone) for row, name in rows}
    return next((phones[u] for u in chain if u in phones), None)


def report_moment(claim: Claim) -> datetime:
    """The claim's report time: when it was entered, if that was on its report date (local),
    else noon of the report date."""
    created = claim.created_at
    if created is not None:
        local = (created if created.tzinfo else created.replace(tzinfo=BRANCH_TZ)).astimezone(
            BRANCH_TZ
        )
        if local.date() == claim.report_date:
            return local
    return datetime.combine(claim.report_date, NOON, tzinfo=BRANCH_TZ)


class ClaimContacts:
    """Whom to name for many claims read in one session: each unit's chain up the tree
    and its service phone are read once, the roster once per claim."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.chains: dict[int, list[int]] = {}
        self.phones: dict[int, tuple[str, str] | None] = {}

    def __call__(self, claim: Claim) -> Contact | None:
        """The adjuster to name for `claim`: roster, then handler, then service phone."""
        session = self.session
        policy = session.get(Policy, claim.policy_id)
        chain = self._chain(policy.unit_id) if policy is not None else []
        shift = _on_duty(session, chain, report_moment(claim))
        if shift is not None:
            return Contact(shift.name, shift.phone, "roster")
        handler = session.get(StaffUser, claim.handler_id) if claim.handler_id else None
        if handler is not None and handler.phone:
            return Contact(handler.display_name, handler.phone, "handler")
        unit_phone = self._phone(chain[0]) if chain else None
        if unit_phone is not None:
            name = handler.display_name if handler else unit_phone[0]
            return Contact(name, unit_phone[1], "service_phone")
        return None

    def _chain(self, unit_id: int) -> list[int]:
        if unit_id not in self.chains:
            self.chains[unit_id] = units_up(self.session, unit_id)
        return self.chains[unit_id]

    def _phone(self, unit_id: int) -> tuple[str, str] | None:
        if unit_id not in self.phones:
            self.phones[unit_id] = _service_phone(self.session, self._chain(unit_id))
        return self.phones[unit_id]


def claim_contact(session: Session, claim: Claim) -> Contact | None:
    """The adjuster to name for one claim (see `ClaimContacts`)."""
    return ClaimContacts(session)(claim)
