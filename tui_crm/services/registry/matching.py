"""Matching registry rows against the book, a chunk of rows at a time: a few indexed,
set-based queries per chunk read the book's keys (VIN, plate, owner ID) as plain tuples,
and the chunk's new customers, new records and changed records are written with one
statement each (executemany), so a snapshot of half a million vehicles is a hundred
chunks and no query per row.

Order: VIN, then plate (a plate without its province is taken as one of ours), then the
owner's ID (a 15-digit ID in its 18-digit form) or credit code. A registry vehicle ends
insured (a policy in force on the snapshot date for the vehicle matched), lapsed (policies
before, none in force) or not insured (never insured with us). An owner not on file
becomes one floating customer of the unit covering the district, source `registry`; a
lapsed vehicle marks its customer as lost to a competitor, which makes them a prospect.
A later snapshot updates the records it changes and adds none twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from tui_crm.i18n import tr
from tui_crm.services.core.text import name_pinyin, reverse
from tui_crm.services.registry.rows import RegistryRow
from tui_crm.storage.models import (
    Customer,
    CustomerMerge,
    OrgUnit,
    RegistryRecord,
    Vehicle,
)

CHUNK = 5000
UPDATED = ("vin", "plate", "owner_name", "owner_id_number", "registration_date", "use",
           "make_model", "district_code", "unit_id", "status", "matched_on", "vehicle_id",
           "customer_id")  # fmt: skip


@dataclass
class Counts:
    read: int = 0
    insured: int = 0
    lapsed: int = 0
    not_insured: int = 0
    rejected: int = 0
    conflicts: int = 0
    changed: int = 0
    new_customers: int = 0
    rejects: list[tuple[int, dict[str, str], str]] = field(default_factory=list)


@dataclass
class Context:
    session: Session
    batch_id: int
    snapshot: date
    units: dict[str, int]  # district or unit code -> unit id
    owners: dict[str, int] = field(default_factory=dict)  # owner id -> customer, this import


def unit_codes(session: Session) -> dict[str, int]:
    return {u.code: u.id for u in session.exec(select(OrgUnit)).all() if u.id is not None}


def unit_for(units: dict[str, int], district: str) -> int | None:
    """The unit whose code is the district (330402), else the nearest above it (3304)."""
    for length in (6, 4, 2):
        if district[:length] in units:
            return units[district[:length]]
    return None


@dataclass(frozen=True)
class Known:
    """A vehicle of the book, as the matching needs it."""

    id: int
    vin: str | None
    plate: str | None
    owner_customer_id: int


def match_chunk(ctx: Context, rows: list[RegistryRow], counts: Counts) -> None:
    session = ctx.session
    rows = list({r.key: r for r in rows}.values())  # the last of a key in one chunk wins
    existing = _records(session, [r.key for r in rows])
    vehicles = _vehicles(session, rows)
    owners = _owners(session, rows)
    ids = [v.id for v, _ in vehicles.values() if v is not None]
    in_force, ever, shared = _policy_facts(session, ids, ctx.snapshot)
    _new_customers(ctx, [r for r in rows if vehicles[r.key][0] is None], owners, counts)
    lost: set[int] = set()
    fresh: list[dict[str, Any]] = []  # new records: one INSERT for the chunk
    changed: list[dict[str, Any]] = []  # changed records: one UPDATE (executemany)
    for r in rows:
        unit_id = unit_for(ctx.units, r.district_code)
        if unit_id is None:
            counts.rejected += 1
            reason = tr("区县 {d} 不在本公司范围", "District {d} is not ours", d=r.district_code)
            counts.rejects.append((r.line, _as_read(r), reason))
            continue
        vehicle, how = vehicles[r.key]
        vid = vehicle.id if vehicle else None
        status = "insured" if vid in in_force else ("lapsed" if vid in ever else "not_insured")
        setattr(counts, status, getattr(counts, status) + 1)
        counts.conflicts += vid in shared
        customer_id = vehicle.owner_customer_id if vehicle else owners.get(r.owner_id)
        if customer_id is None:
            customer_id = ctx.owners[r.owner_id]
        record = existing.get(r.key)
        if how is None and r.owner_id in owners:
            # An owner this registry brought in the first time stays "not matched".
            kept = record is not None and record["customer_id"] == owners[r.owner_id]
            how = record["matched_on"] if record is not None and kept else "owner_id"
        values: dict[str, Any] = {
            "vin": r.vin or (vehicle.vin if vehicle else None),
            "plate": r.plate or (vehicle.plate if vehicle else None), "owner_name": r.owner_name,
            "owner_id_number": r.owner_id, "registration_date": r.registration_date,
            "use": r.use, "make_model": r.make_model, "district_code": r.district_code,
            "unit_id": unit_id, "status": status, "matched_on": how, "vehicle_id": vid,
            "customer_id": customer_id,
        }  # fmt: skip
        if record is None:
            fresh.append({"key": r.key, "first_batch_id": ctx.batch_id,
                          "last_batch_id": ctx.batch_id, **values})  # fmt: skip
            counts.changed += 1
        elif any(record[k] != v for k, v in values.items()):
            changed.append({"record_id": record["id"], "last_batch_id": ctx.batch_id, **values})
            counts.changed += 1
        if status == "lapsed":
            lost.add(customer_id)
    _lost_to_competitor(session, lost)
    _write(session, fresh, changed)


def _write(session: Session, fresh: list[dict[str, Any]], changed: list[dict[str, Any]]) -> None:
    table = RegistryRecord.__table__  # type: ignore[attr-defined]
    if fresh:
        session.execute(insert(table), fresh)
    if changed:
        columns = [*UPDATED, "last_batch_id"]
        session.execute(
            update(table)
            .where(table.c.id == bindparam("record_id"))
            .values({c: bindparam(c) for c in columns}),
            changed,
        )


def _as_read(r: RegistryRow) -> dict[str, str]:
    when = r.registration_date.isoformat() if r.registration_date else ""
    return {
        "plate": r.plate or "", "vin": r.vin or "", "owner_name": r.owner_name,
        "owner_id": r.owner_id_given, "registration_date": when, "use": r.use or "",
        "district_code": r.district_code,
    }  # fmt: skip


def _records(session: Session, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The registry records of these keys, as {key: {column: value}}."""
    if not keys:
        return {}
    table = RegistryRecord.__table__  # type: ignore[attr-defined]
    columns = [table.c.id, table.c.key, *(table.c[c] for c in UPDATED)]
    rows = session.execute(sa_select(*columns).where(table.c.key.in_(sorted(set(keys)))))
    return {row.key: row._asdict() for row in rows}


def _vehicles(
    session: Session, rows: list[RegistryRow]
) -> dict[str, tuple[Known | None, str | None]]:
    """Each row's vehicle of the book and how it was found: by VIN, else by plate (the
    first vehicle of a VIN or plate when the book has two)."""
    by_vin = _known(session, Vehicle.vin, [r.vin for r in rows if r.vin])
    by_plate = _known(session, Vehicle.plate, [r.plate for r in rows if r.plate])
    out: dict[str, tuple[Known | None, str | None]] = {}
    for r in rows:
        if r.vin and r.vin in by_vin:
            out[r.key] = (by_vin[r.vin], "vin")
        elif r.plate and r.plate in by_plate:
            out[r.key] = (by_plate[r.plate], "plate")
        else:
            out[r.key] = (None, None)
    return out


def _known(session: Session, column: Any, keys: Iterable[str]) -> dict[str, Known]:
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    found = session.execute(
        sa_select(
            col(Vehicle.id), col(Vehicle.vin), col(Vehicle.plate), col(Vehicle.owner_customer_id)
        )
        .where(col(column).in_(wanted))
        .order_by(col(Vehicle.id))
    )
    name = column.key
    out: dict[str, Known] = {}
    for vehicle_id, vin, plate, owner in found:
        known = Known(vehicle_id, vin, plate, owner)
        out.setdefault(getattr(known, name), known)
    return out


def _owners(session: Session, rows: list[RegistryRow]) -> dict[str, int]:
    """Owner ID (18-digit form) -> our customer with it (or its 15-digit form), the
    survivor when that record was merged."""
    forms: dict[str, str] = {}
    for r in rows:
        forms[r.owner_id] = r.owner_id
        forms[r.owner_id_given] = r.owner_id
        if len(r.owner_id) == 18 and r.owner_id[:17].isdigit() and r.owner_id[6:8] == "19":
            forms[r.owner_id[:6] + r.owner_id[8:17]] = r.owner_id
    found = session.exec(
        select(Customer.id_number, Customer.id)
        .where(col(Customer.id_number).in_(sorted(forms)))
        .order_by(col(Customer.id))
    ).all()
    merged = dict(
        session.exec(
            select(CustomerMerge.merged_id, CustomerMerge.survivor_id).where(
                col(CustomerMerge.unmerged_at).is_(None),
                col(CustomerMerge.merged_id).in_([i for _, i in found]),
            )
        ).all()
    )
    out: dict[str, int] = {}
    for number, customer_id in found:
        if number is not None and customer_id is not None:
            out.setdefault(forms[number], merged.get(customer_id, customer_id))
    return out


def _policy_facts(
    session: Session, vehicle_ids: list[int], day: date
) -> tuple[set[int], set[int], set[int]]:
    """(vehicles with a policy in force on `day`, with any policy, sold by two or more of
    our units in the year before `day`)."""
    if not vehicle_ids:
        return set(), set(), set()
    policy = SQLModel.metadata.tables["policy"].c
    rows = session.execute(
        sa_select(
            policy.vehicle_id, policy.unit_id, policy.start_date, policy.end_date, policy.status
        ).where(policy.vehicle_id.in_(vehicle_ids))
    ).all()
    in_force: set[int] = set()
    ever: set[int] = set()
    units: dict[int, set[int]] = {}
    year_ago = day - timedelta(days=365)
    for vehicle_id, unit_id, start, end, status in rows:
        ever.add(vehicle_id)
        if status != "cancelled" and start <= day <= end:
            in_force.add(vehicle_id)
        if start > year_ago:
            units.setdefault(vehicle_id, set()).add(unit_id)
    shared = {v for v, u in units.items() if len(u) > 1}
    return in_force, ever, shared


def _new_customers(
    ctx: Context, rows: list[RegistryRow], owners: dict[str, int], counts: Counts
) -> None:
    """One floating customer per owner not on file (the first row of an owner gives the
    name and the unit)."""
    now = datetime.now(UTC)
    added: dict[str, dict[str, Any]] = {}
    for r in rows:
        unit_id = unit_for(ctx.units, r.district_code)
        if unit_id is None or r.owner_id in owners or r.owner_id in ctx.owners:
            continue
        if r.owner_id in added:
            continue
        full, initials = name_pinyin(r.owner_name, person=not r.corporate)
        added[r.owner_id] = {
            "kind": "corporate" if r.corporate else "individual", "name": r.owner_name,
            "name_pinyin": full, "name_initials": initials,
            "id_type": "credit_code" if r.corporate else "resident_id",
            "id_number": r.owner_id, "id_number_rev": reverse(r.owner_id), "unit_id": unit_id,
            "source": "registry", "customer_class": "floating", "created_at": now,
            "updated_at": now,
        }  # fmt: skip
    if not added:
        return
    # executemany with RETURNING is sent as multi-row INSERTs (SQLAlchemy's "insert many
    # values"): SQLite's full-text index, filled by a trigger, then writes its pending terms
    # once per statement rather than once per row; the ids come back with the ID numbers.
    table = Customer.__table__  # type: ignore[attr-defined]
    written = ctx.session.execute(
        insert(table).returning(table.c.id, table.c.id_number), list(added.values())
    )
    for customer_id, id_number in written:
        ctx.owners[id_number] = customer_id
    counts.new_customers += len(added)


def _lost_to_competitor(session: Session, customer_ids: set[int]) -> None:
    """Lapsed vehicles on the road: their customers went to a competitor (a prospect
    unless a better class holds)."""
    if not customer_ids:
        return
    session.execute(
        update(Customer)
        .where(
            col(Customer.id).in_(sorted(customer_ids)),
            col(Customer.lapsed_to_competitor).is_(False),
        )
        .values(
            lapsed_to_competitor=True,
            customer_class=func.coalesce(_prospect_unless_better(), Customer.customer_class),
        )
        .execution_options(synchronize_session=False)
    )


def _prospect_unless_better() -> object:
    return case((col(Customer.customer_class) == "floating", "prospect"), else_=None)
