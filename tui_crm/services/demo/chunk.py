"""The Python half of one chunk: customers and vehicles as rows for the work tables, plus
relations (company contact persons, spouses), corporate groups and registry rows of the
vehicles of people who are not yet our customers."""

from dataclasses import dataclass, field

import numpy as np

from tui_crm.services.demo.catalogue import MODELS, models_of
from tui_crm.services.demo.companies import company_rows
from tui_crm.services.demo.identities import FUEL_CAPACITY, fuel_plates, vins
from tui_crm.services.demo.individuals import individual_rows
from tui_crm.services.demo.people import (
    FLOATING,
    Context,
    draw_people,
    settle_non_motor,
)
from tui_crm.services.demo.vehicles import draw_fleet, vehicle_counts


@dataclass
class ChunkRows:
    individuals: list[tuple] = field(default_factory=list)
    companies: list[tuple] = field(default_factory=list)
    vehicles: list[tuple] = field(default_factory=list)
    groups: list[tuple] = field(default_factory=list)
    relations: list[tuple] = field(default_factory=list)
    registry: list[tuple] = field(default_factory=list)
    customers: tuple[int, int] = (0, -1)
    vehicle_span: tuple[int, int] = (0, -1)
    policy_span: tuple[int, int] = (0, -1)
    file: str | None = None  # customers and vehicles written to this SQLite file instead


def generate_chunk(ctx: Context, rng: np.random.Generator, n: int) -> ChunkRows:
    first_policy = ctx.counters.policy
    people = draw_people(ctx, rng, n)
    counts = vehicle_counts(rng, people.kind, people.status)
    first_vehicle = ctx.counters.vehicle
    fleet = draw_fleet(ctx, rng, people, counts)
    pid0 = settle_non_motor(ctx, rng, people, counts)
    out = ChunkRows(
        vehicles=fleet.rows,
        customers=(int(people.ids[0]), int(people.ids[-1])),
        vehicle_span=(first_vehicle, ctx.counters.vehicle - 1),
        policy_span=(first_policy, ctx.counters.policy - 1),
    )
    individual = people.kind == 0
    out.individuals = individual_rows(ctx, rng, people, individual, pid0)
    if (~individual).any():
        out.companies, out.groups = company_rows(ctx, rng, people, ~individual, pid0)
    out.relations = _relations(ctx, rng, out)
    out.registry = _registry(ctx, rng, out)
    return out


def _relations(ctx: Context, rng: np.random.Generator, rows: ChunkRows) -> list[tuple]:
    """Each company's contact person, and spouses among the individuals."""
    people = [r[0] for r in rows.individuals]
    if not people:
        return []
    out: list[tuple[int, int, str, str | None]] = []
    contacts = rng.choice(people, size=len(rows.companies)).tolist() if rows.companies else []
    for company, person in zip((r[0] for r in rows.companies), contacts, strict=True):
        out.append((company, person, "contact_person", "联系人"))
    chosen = np.flatnonzero(rng.random(len(people)) < 0.08)
    for a, b in zip(chosen[0::2].tolist(), chosen[1::2].tolist(), strict=False):
        out.append((people[a], people[b], "spouse", None))
    return out


def _registry(ctx: Context, rng: np.random.Generator, rows: ChunkRows) -> list[tuple]:
    """Registry rows for floating customers' vehicles (not insured with us)."""
    owners = [(r[1], r[2]) for r in rows.individuals if r[10] == FLOATING]
    owners += [(r[2], r[3]) for r in rows.companies if r[13] == FLOATING]
    if not owners:
        return []
    n = len(owners)
    c = ctx.counters
    index = FUEL_CAPACITY - 1 - np.arange(c.registry_plate, c.registry_plate + n)
    c.registry_plate += n
    plates = fuel_plates(index)
    cars, weights = models_of(["car", "mpv"])
    model = rng.choice(cars, size=n, p=weights)
    age = (rng.exponential(5.0, size=n) * 365.25).astype(np.int64)
    reg = np.datetime64(ctx.as_of, "D") - age.astype("timedelta64[D]")
    years = reg.astype("datetime64[Y]").astype(np.int64) + 1970
    serial = np.arange(c.vin_serial, c.vin_serial + n, dtype=np.int64)
    c.vin_serial += n
    wmi = np.array([m[2] for m in MODELS], dtype=object)[model]
    vin = vins(wmi, years, np.full(n, "R"), serial)
    imported = np.datetime64(ctx.as_of, "D") - rng.integers(0, 400, size=n).astype("timedelta64[D]")
    imported_at = [d + ctx.ts_suffix for d in np.datetime_as_string(imported).tolist()]
    reg_iso = np.datetime_as_string(reg).tolist()
    return [
        (plate, v, name, number, "family", MODELS[m][1], r, d)
        for (name, number), plate, v, m, r, d in zip(
            owners, plates, vin, model.tolist(), reg_iso, imported_at, strict=True
        )
    ]
