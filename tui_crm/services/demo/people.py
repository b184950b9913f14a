"""Customers of one chunk: who they are (individuals, companies, government bodies), where
they live, which unit serves them, who brought them, and their non-motor cover plan.

Everything is drawn column-wise from one `numpy.random.Generator` per chunk, so the same
(customers, seed, as-of date) always gives the same book.
"""

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from tui_crm.services.demo.identities import IdSequencer
from tui_crm.services.demo.org import Org
from tui_crm.services.validation.verdict import DIVISIONS

DAY0 = date(2000, 1, 1)  # day numbers count from here
POLICY_FROM = date(2021, 1, 1)  # the first policy year of the book
ACTIVE, FLOATING, INTENTION, LAPSED = 0, 1, 2, 3
# Non-motor lines as bits of a customer's plan (the order of demo_nmline).
NM_PROPERTY, NM_HOME, NM_CARGO, NM_LIABILITY, NM_ACCIDENT, NM_ENGINEERING, NM_HEALTH = (
    1 << i for i in range(7)
)
COUNTY_WEIGHTS = np.array([0.17, 0.14, 0.13, 0.10, 0.17, 0.12, 0.17])


def day_number(value: date) -> int:
    return (value - DAY0).days


def to_days(dates: np.ndarray) -> np.ndarray:
    return (dates - np.datetime64(DAY0, "D")).astype(np.int64)


def ymd_parts(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    return years, months, days


def make_dates(years: np.ndarray, months: np.ndarray, days: np.ndarray) -> np.ndarray:
    base = (years - 1970).astype("datetime64[Y]") + (months - 1).astype("timedelta64[M]")
    return base.astype("datetime64[D]") + (days - 1).astype("timedelta64[D]")


@dataclass
class Counters:
    customer: int = 1
    vehicle: int = 1
    policy: int = 1
    fuel_plate: int = 0
    nev_plate: int = 0
    registry_plate: int = 0
    vin_serial: int = 0
    group: int = 1
    relation: int = 1
    government: dict[int, int] = field(default_factory=dict)


@dataclass
class Context:
    org: Org
    as_of: date
    seed: int
    ts_suffix: str = " 02:00:00.000000"  # 10:00 in Jiaxing, stored as UTC
    counters: Counters = field(default_factory=Counters)
    ids: IdSequencer = field(default_factory=IdSequencer)
    regions: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        codes: dict[str, list[int]] = {}
        with (DIVISIONS / "county_areas.csv").open("r", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                codes.setdefault(row["provinceCode"], []).append(int(row["code"]))
        self.regions = {k: np.array(v, dtype=np.int64) for k, v in codes.items()}
        self.zhejiang_other = np.array(
            [c for c in self.regions["33"] if c // 100 != 3304], dtype=np.int64
        )

    @property
    def as_of_day(self) -> int:
        return day_number(self.as_of)


@dataclass
class People:
    """Column arrays of one chunk's customers, individuals first."""

    ids: np.ndarray
    kind: np.ndarray  # 0 individual, 1 corporate, 2 government
    status: np.ndarray
    county: np.ndarray
    unit: np.ndarray
    manager: np.ndarray  # 0 = none
    intermediary: np.ndarray  # 0 = none
    nm_lines: np.ndarray
    nm_start: np.ndarray  # day number of the first non-motor term (0 = none)
    nm_terms: np.ndarray
    created: np.ndarray  # day number; lowered later to the first policy
    r: np.ndarray  # random 62-bit integers the SQL side cuts into small numbers
    risk: np.ndarray  # 0–9: claim propensity (9 = the worst tenth)


def draw_people(ctx: Context, rng: np.random.Generator, n: int) -> People:
    kinds = rng.choice(3, size=n, p=[0.91, 0.088, 0.002])
    kinds.sort()
    ids = np.arange(ctx.counters.customer, ctx.counters.customer + n, dtype=np.int64)
    ctx.counters.customer += n
    u = rng.random(n)
    individual = kinds == 0
    status = np.where(
        u < np.where(individual, 0.04, 0.10),
        FLOATING,
        np.where(u < np.where(individual, 0.055, 0.12), INTENTION,
                 np.where(u < np.where(individual, 0.125, 0.17), LAPSED, ACTIVE)),
    )  # fmt: skip
    county = rng.choice(len(COUNTY_WEIGHTS), size=n, p=COUNTY_WEIGHTS)
    unit = np.zeros(n, dtype=np.int64)
    manager = np.zeros(n, dtype=np.int64)
    intermediary = np.zeros(n, dtype=np.int64)
    wants_manager = (kinds > 0) | (rng.random(n) < 0.25)
    brought = rng.random(n) < np.where(individual, 0.35, 0.30)
    via = rng.random(n)
    for c in ctx.org.counties:
        here = county == c.index
        units = np.array(c.unit_ids, dtype=np.int64)
        weights = np.where(units == c.unit_id, 0.5, 0.5 / max(1, len(units) - 1))
        unit[here] = rng.choice(units, size=int(here.sum()), p=weights / weights.sum())
        for unit_id in c.unit_ids:
            managers = c.account_managers.get(unit_id) or c.account_managers.get(c.unit_id, [])
            mask = here & (unit == unit_id) & wants_manager
            if managers and mask.any():
                manager[mask] = rng.choice(managers, size=int(mask.sum()))
        for kinds_wanted, low, high in (
            (("dealer",), 0.0, 0.6), (("agency",), 0.6, 0.85), (("bank",), 0.85, 1.0),
        ):  # fmt: skip
            pool = [i for k in kinds_wanted for i in c.intermediaries.get(k, [])]
            mask = here & brought & individual & (via >= low) & (via < high)
            if pool and mask.any():
                intermediary[mask] = rng.choice(pool, size=int(mask.sum()))
        pool = c.intermediaries.get("agency", []) + c.intermediaries.get("broker", [])
        mask = here & brought & ~individual
        if pool and mask.any():
            intermediary[mask] = rng.choice(pool, size=int(mask.sum()))
    insured = (status == ACTIVE) | (status == LAPSED)
    intermediary[~insured] = 0
    nm_lines = _non_motor_lines(rng, kinds) * insured
    nm_start, nm_terms = _non_motor_terms(ctx, rng, status)
    created = np.full(n, ctx.as_of_day, dtype=np.int64)
    uninsured = ~insured
    created[uninsured] -= rng.integers(20, 900, size=int(uninsured.sum()))
    r = rng.integers(0, 1 << 62, size=n, dtype=np.int64)
    risk = rng.integers(0, 10, size=n)
    return People(ids, kinds, status, county, unit, manager, intermediary, nm_lines, nm_start,
                  nm_terms, created, r, risk)  # fmt: skip


def _non_motor_lines(rng: np.random.Generator, kinds: np.ndarray) -> np.ndarray:
    n = len(kinds)
    r = rng.random((n, 7))
    person = kinds == 0
    company = kinds == 1
    lines = np.zeros(n, dtype=np.int64)
    lines |= np.where(~person & (r[:, 0] < np.where(company, 0.70, 0.5)), NM_PROPERTY, 0)
    lines |= np.where(~person & (r[:, 1] < 0.35), NM_LIABILITY, 0)
    lines |= np.where(company & (r[:, 2] < 0.20), NM_CARGO, 0)
    lines |= np.where(~person & (r[:, 3] < 0.30), NM_ACCIDENT, 0)
    lines |= np.where(company & (r[:, 4] < 0.05), NM_ENGINEERING, 0)
    lines |= np.where(person & (r[:, 5] < 0.05), NM_ACCIDENT, 0)
    lines |= np.where(person & (r[:, 6] < 0.03), NM_HOME, 0)
    lines |= np.where(person & (r[:, 0] < 0.02), NM_HEALTH, 0)
    return lines


def chain_terms(
    ctx: Context, rng: np.random.Generator, anniversary: np.ndarray, status: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """First-term start (day number) and number of yearly terms of a run of renewals.

    `anniversary` is a date in the past (registration or first cover); terms fall on its
    month/day from 2021 on, the last one in force today unless the customer lapsed.
    """
    years, months, days = ymd_parts(anniversary)
    days = np.where((months == 2) & (days == 29), 28, days)
    ay, am, ad = ctx.as_of.year, ctx.as_of.month, ctx.as_of.day
    before = (months < am) | ((months == am) & (days <= ad))
    current = np.where(before, ay, ay - 1)  # year of the term in force today
    first_possible = np.maximum(years, POLICY_FROM.year)
    span = np.maximum(current - first_possible + 1, 1)
    lapse = np.where(status == LAPSED, rng.integers(1, 4, size=len(status)), 0)
    lapse = np.minimum(lapse, span - 1)
    available = span - lapse
    wanted = rng.choice(6, size=len(status), p=[0.70, 0.17, 0.07, 0.03, 0.02, 0.01]) + 1
    terms = np.minimum(wanted, available)
    start_year = current - lapse - terms + 1
    return to_days(make_dates(start_year, months, days)), terms


def _non_motor_terms(
    ctx: Context, rng: np.random.Generator, status: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A run of yearly terms for each customer (used where they hold non-motor lines)."""
    n = len(status)
    anniversary = np.datetime64(ctx.as_of, "D") - rng.integers(0, 365 * 6, size=n).astype(
        "timedelta64[D]"
    )
    return chain_terms(ctx, rng, anniversary, status)


def settle_non_motor(
    ctx: Context, rng: np.random.Generator, people: People, vehicles: np.ndarray
) -> np.ndarray:
    """Customers without a vehicle hold at least personal accident cover; allocate the
    non-motor policy ids. Returns each customer's first non-motor policy id (0 = none)."""
    insured = (people.status == ACTIVE) | (people.status == LAPSED)
    bare = insured & (vehicles == 0) & (people.nm_lines == 0)
    people.nm_lines[bare] |= np.where(people.kind[bare] == 0, NM_ACCIDENT, NM_PROPERTY)
    has = people.nm_lines > 0
    people.nm_start = np.where(has, people.nm_start, 0)
    people.nm_terms = np.where(has, people.nm_terms, 0)
    bits = np.zeros(len(has), dtype=np.int64)
    for b in range(7):
        bits += people.nm_lines >> b & 1
    per_customer = people.nm_terms * bits
    pid0 = ctx.counters.policy + np.concatenate([[0], np.cumsum(per_customer)[:-1]])
    ctx.counters.policy += int(per_customer.sum())
    people.created = np.where(has, np.minimum(people.created, people.nm_start), people.created)
    people.created -= rng.integers(0, 30, size=len(has))
    return np.where(has, pid0, 0)


def years_ago(as_of: date, years: float) -> date:
    return as_of - timedelta(days=int(years * 365.25))
