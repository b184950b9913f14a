"""What extract rows name, resolved to ids: units, staff, intermediaries (small, loaded
once), and customers, vehicles and policies (looked up per chunk, so memory stays flat)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from tui_crm.i18n import tr
from tui_crm.services.core.actor import Actor
from tui_crm.services.imports.values import CustomerKey, RowError
from tui_crm.storage.models import (
    Customer,
    CustomerExternalKey,
    Intermediary,
    OrgUnit,
    Policy,
    StaffUser,
    Vehicle,
)

CUSTOMER = Customer.__table__  # type: ignore[attr-defined]
EXTERNAL = CustomerExternalKey.__table__  # type: ignore[attr-defined]
POLICY = Policy.__table__  # type: ignore[attr-defined]
VEHICLE = Vehicle.__table__  # type: ignore[attr-defined]
IN_LIMIT = 900  # parameters per IN list (SQLite's limit is far above; PostgreSQL's too)


def chunks(values: list[Any], size: int = IN_LIMIT) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class Context:
    """One import's fixed facts: who imports, today, the source, the small code tables."""

    actor: Actor
    today: date
    source: str
    units: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)
    intermediaries: dict[str, tuple[int, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, connection: Connection, actor: Actor, today: date, source: str) -> "Context":
        ctx = cls(actor, today, source)
        for unit_id, code in connection.execute(select(OrgUnit.id, OrgUnit.code)):  # type: ignore[call-overload]
            ctx.units[code] = unit_id
        for staff_id, name in connection.execute(select(StaffUser.id, StaffUser.username)):  # type: ignore[call-overload]
            ctx.staff[name] = staff_id
        rows = connection.execute(select(Intermediary.id, Intermediary.code, Intermediary.kind))  # type: ignore[call-overload]
        for row_id, code, kind in rows:
            ctx.intermediaries[code] = (row_id, kind)
        return ctx

    def unit(self, code: str | None, column: str = "unit_code") -> int:
        if not code:
            return self.actor.unit_id
        unit_id = self.units.get(code)
        if unit_id is None:
            raise RowError(column, tr("未知机构代码 {c}", "Unknown unit code {c}", c=code))
        if not self.actor.in_scope(unit_id):
            raise RowError(
                column, tr("机构 {c} 不在您的范围内", "Unit {c} is outside your units", c=code)
            )
        return unit_id

    def staff_id(self, name: str | None, column: str) -> int | None:
        if not name:
            return None
        found = self.staff.get(name)
        if found is None:
            raise RowError(column, tr("未知员工 {n}", "Unknown staff member {n}", n=name))
        return found

    def intermediary(self, code: str | None) -> tuple[int | None, str]:
        if not code:
            return None, "direct"
        found = self.intermediaries.get(code)
        if found is None:
            raise RowError(
                "intermediary_code", tr("未知中介代码 {c}", "Unknown intermediary {c}", c=code)
            )
        return found


def customer_ids(
    connection: Connection, source: str, keys: Iterable[CustomerKey]
) -> dict[CustomerKey, int]:
    """The customers the keys name: ID numbers and credit codes by `id_number` (the oldest
    customer when a hand-made duplicate exists), a source's own numbers by its key table."""
    wanted = set(keys)
    numbers = sorted({k.value for k in wanted if k.kind != "external"})
    external = sorted({k.value for k in wanted if k.kind == "external"})
    by_number: dict[str, int] = {}
    for part in chunks(numbers):
        query = (
            select(CUSTOMER.c.id_number, func.min(CUSTOMER.c.id))
            .where(CUSTOMER.c.id_number.in_(part))
            .group_by(CUSTOMER.c.id_number)
        )
        by_number.update({n: i for n, i in connection.execute(query)})
    by_external: dict[str, int] = {}
    for part in chunks(external):
        query = select(EXTERNAL.c.key, EXTERNAL.c.customer_id).where(
            EXTERNAL.c.source == source, EXTERNAL.c.key.in_(part)
        )
        by_external.update({k: i for k, i in connection.execute(query)})
    found: dict[CustomerKey, int] = {}
    for key in wanted:
        hit = (by_external if key.kind == "external" else by_number).get(key.value)
        if hit is not None:
            found[key] = hit
    return found


def survivors(connection: Connection, ids: Iterable[int]) -> dict[int, int]:
    """Merged customer id → the survivor it now lives on (following merges of merges), for
    the ids that were merged away; the rule of `duplicates.checks.resolve`, per chunk."""
    out: dict[int, int] = {}
    wanted = sorted(set(ids))
    step: dict[int, int] = {}
    while wanted:
        found: dict[int, int] = {}
        for part in chunks(wanted):
            marks = ",".join(str(int(i)) for i in part)  # ids: inlined, no IN-list binding
            rows = connection.exec_driver_sql(
                "SELECT merged_id, survivor_id FROM customer_merge "
                f"WHERE unmerged_at IS NULL AND merged_id IN ({marks})"
            )
            found.update({m: s for m, s in rows.all()})
        step.update(found)
        wanted = sorted(set(found.values()) - set(step))
    for start in step:
        current, seen = start, {start}
        while current in step and step[current] not in seen:
            current = step[current]
            seen.add(current)
        out[start] = current
    return out


def living_customer_ids(
    connection: Connection, source: str, keys: Iterable[CustomerKey]
) -> dict[CustomerKey, int]:
    """`customer_ids`, a merged record's keys naming its survivor (policies, vehicles)."""
    found = customer_ids(connection, source, keys)
    merged = survivors(connection, found.values())
    return {key: merged.get(i, i) for key, i in found.items()}


def policy_ids(connection: Connection, numbers: Iterable[str]) -> dict[str, tuple[int, int]]:
    """policy_no → (policy id, customer id)."""
    out: dict[str, tuple[int, int]] = {}
    for part in chunks(sorted(set(numbers))):
        query = select(POLICY.c.policy_no, POLICY.c.id, POLICY.c.customer_id).where(
            POLICY.c.policy_no.in_(part)
        )
        out.update({n: (i, c) for n, i, c in connection.execute(query)})
    return out


def vehicle_ids(
    connection: Connection, vins: Iterable[str], plates: Iterable[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """VIN → vehicle id and plate → vehicle id (the newest vehicle holding the plate)."""
    by_vin: dict[str, int] = {}
    by_plate: dict[str, int] = {}
    for part in chunks(sorted(set(vins))):
        query = select(VEHICLE.c.vin, func.max(VEHICLE.c.id)).where(VEHICLE.c.vin.in_(part))
        by_vin.update({v: i for v, i in connection.execute(query.group_by(VEHICLE.c.vin))})
    for part in chunks(sorted(set(plates))):
        query = select(VEHICLE.c.plate, func.max(VEHICLE.c.id)).where(VEHICLE.c.plate.in_(part))
        by_plate.update({p: i for p, i in connection.execute(query.group_by(VEHICLE.c.plate))})
    return by_vin, by_plate
