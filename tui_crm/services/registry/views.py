"""What the registry shows: prospect lists per unit and account manager (masked,
exportable with audit), and the conflicts between our own units for managers."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from tui_crm.services.core.masking import mask_id_number
from tui_crm.storage.models import Customer, OrgUnit, Policy, RegistryRecord, StaffUser, Vehicle

PROSPECT_STATUSES = ("lapsed", "not_insured")
SORTS = ("renewal", "unit", "manager", "owner")


@dataclass(frozen=True)
class Prospect:
    customer_id: int
    owner_name: str
    owner_id_masked: str | None
    plate: str | None
    vin: str | None
    make_model: str | None
    registration_year: int | None
    renewal_due: date | None  # when the policy elsewhere probably ends
    status: str  # lapsed / not_insured
    unit_code: str
    account_manager: str | None


@dataclass
class Conflict:
    kind: str  # vehicle_two_units / customer_two_units / prospect_insured_elsewhere
    subject: str  # plate or customer name
    units: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    account_managers: list[str] = field(default_factory=list)


def renewal_due(registered: date | None, today: date) -> date | None:
    """The next registration anniversary from today, the day before it: the probable
    end of a yearly policy bought when the car was registered."""
    if registered is None:
        return None
    for year in (today.year, today.year + 1):
        try:
            anniversary = registered.replace(year=year)
        except ValueError:  # 29 February
            anniversary = date(year, 3, 1)
        end = anniversary - timedelta(days=1)
        if end >= today:
            return end
    return None


def prospects(
    session: Session, units: list[int], manager_id: int | None, today: date, sort: str
) -> list[Prospect]:
    query = (
        select(RegistryRecord, OrgUnit.code, StaffUser.display_name)
        .join(OrgUnit, col(OrgUnit.id) == col(RegistryRecord.unit_id))
        .join(Customer, col(Customer.id) == col(RegistryRecord.customer_id))
        .outerjoin(StaffUser, col(StaffUser.id) == col(Customer.account_manager_id))
        .where(col(RegistryRecord.status).in_(PROSPECT_STATUSES))
        .where(col(RegistryRecord.unit_id).in_(units))
    )
    if manager_id is not None:
        query = query.where(col(Customer.account_manager_id) == manager_id)
    out = [
        Prospect(
            r.customer_id,
            r.owner_name,
            mask_id_number(r.owner_id_number),
            r.plate,
            r.vin,
            r.make_model,
            r.registration_date.year if r.registration_date else None,
            renewal_due(r.registration_date, today),
            r.status,
            code,
            manager,
        )
        for r, code, manager in session.exec(query).all()
    ]
    keys = {
        "renewal": lambda p: (p.renewal_due or date.max, p.customer_id),
        "unit": lambda p: (p.unit_code, p.renewal_due or date.max),
        "manager": lambda p: (p.account_manager or "", p.renewal_due or date.max),
        "owner": lambda p: (p.owner_name, p.customer_id),
    }
    return sorted(out, key=keys[sort])


def conflicts(session: Session, scope: frozenset[int], today: date) -> list[Conflict]:
    """Conflicts touching the actor's units (`scope`)."""
    year_ago = today - timedelta(days=365)
    units = {u.id: u.code for u in session.exec(select(OrgUnit)).all()}
    staff = {s.id: s.display_name for s in session.exec(select(StaffUser)).all()}
    recent = session.exec(
        select(Policy, Customer.id_number, Customer.name, Vehicle.plate)
        .join(Customer, col(Customer.id) == col(Policy.customer_id))
        .outerjoin(Vehicle, col(Vehicle.id) == col(Policy.vehicle_id))
        .where(col(Policy.start_date) > year_ago, col(Policy.status) != "cancelled")
    ).all()
    by_vehicle: dict[object, list[tuple[Policy, str]]] = defaultdict(list)
    by_owner: dict[object, list[tuple[Policy, str]]] = defaultdict(list)
    for policy, id_number, name, plate in recent:
        if policy.vehicle_id is not None:
            by_vehicle[policy.vehicle_id].append((policy, plate or str(policy.vehicle_id)))
        if id_number:
            by_owner[id_number].append((policy, name))
    out: list[Conflict] = []
    for kind, groups in (("vehicle_two_units", by_vehicle), ("customer_two_units", by_owner)):
        for items in groups.values():
            sold = {p.unit_id for p, _ in items}
            if len(sold) > 1 and sold & scope:
                out.append(_conflict(kind, items[0][1], [p for p, _ in items], units, staff))
    out.extend(_prospects_insured_elsewhere(session, scope, today, units, staff))
    return out


def _prospects_insured_elsewhere(
    session: Session, scope: frozenset[int], today: date, units: dict, staff: dict
) -> list[Conflict]:
    rows = session.exec(
        select(RegistryRecord, Policy)
        .join(Customer, col(Customer.id_number) == col(RegistryRecord.owner_id_number))
        .join(Policy, col(Policy.customer_id) == col(Customer.id))
        .where(col(RegistryRecord.status).in_(PROSPECT_STATUSES))
        .where(col(Policy.start_date) <= today, col(Policy.end_date) >= today)
        .where(col(Policy.status) != "cancelled")
        .where(col(Policy.unit_id) != col(RegistryRecord.unit_id))
    ).all()
    found: dict[int, tuple[RegistryRecord, list[Policy]]] = {}
    for record, policy in rows:
        if record.unit_id in scope or policy.unit_id in scope:
            found.setdefault(record.id or 0, (record, []))[1].append(policy)
    out = []
    for record, policies in found.values():
        conflict = _conflict(
            "prospect_insured_elsewhere", record.owner_name, policies, units, staff
        )
        conflict.units.insert(0, units.get(record.unit_id, ""))
        out.append(conflict)
    return out


def _conflict(
    kind: str, subject: str, policies: list[Policy], units: dict, staff: dict
) -> Conflict:
    return Conflict(
        kind,
        subject,
        sorted({units.get(p.unit_id, "") for p in policies}),
        sorted(p.policy_no for p in policies),
        sorted({staff[p.account_manager_id] for p in policies if p.account_manager_id in staff}),
    )
