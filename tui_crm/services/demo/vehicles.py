"""Vehicles of one chunk's customers: 浙F plates (some new-energy), valid VINs, models,
registration dates, and the run of yearly policy terms each vehicle had with us."""

from dataclasses import dataclass

import numpy as np

from tui_crm.services.demo.catalogue import MODEL_NEV, MODELS, ctpl_base_yuan, models_of
from tui_crm.services.demo.identities import fuel_plates, nev_plates, vins
from tui_crm.services.demo.people import ACTIVE, LAPSED, Context, People, chain_terms

# use → (model groups, commercial-premium factor); by owner kind: (use, share)
USE_GROUPS = {
    "family": (["car", "mpv"], 1.0),
    "taxi": (["car"], 2.2),
    "truck": (["light_truck", "heavy_truck"], 1.3),
    "business_truck": (["heavy_truck", "light_truck"], 2.0),
    "motorcycle": (["motorcycle"], 0.25),
    "enterprise": (["car", "mpv"], 1.1),
    "government": (["car", "mpv"], 1.0),
    "coach": (["coach"], 1.8),
    "bus": (["bus"], 1.6),
    "special": (["special"], 1.2),
}
USES_BY_KIND = [
    [("family", 0.94), ("taxi", 0.01), ("truck", 0.03), ("motorcycle", 0.02)],
    [("enterprise", 0.55), ("truck", 0.18), ("business_truck", 0.15), ("taxi", 0.05),
     ("coach", 0.03), ("special", 0.02), ("bus", 0.02)],
    [("government", 0.85), ("truck", 0.08), ("special", 0.04), ("bus", 0.03)],
]  # fmt: skip
PLANTS = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ0123456789"))
LARGE_GROUPS = {"heavy_truck", "coach", "bus", "special", "light_truck"}


@dataclass
class Fleet:
    rows: list[tuple]
    count: int


def vehicle_counts(rng: np.random.Generator, kind: np.ndarray, status: np.ndarray) -> np.ndarray:
    n = len(kind)
    counts = np.where(
        kind == 0,
        rng.choice(3, size=n, p=[0.12, 0.80, 0.08]),
        np.where(kind == 1, np.minimum(rng.geometric(0.38, size=n), 40), rng.integers(1, 7, n)),
    )
    counts[(kind == 1) & (rng.random(n) < 0.1)] = 0
    insured = (status == ACTIVE) | (status == LAPSED)
    return np.where(insured, counts, 0)


def draw_fleet(ctx: Context, rng: np.random.Generator, people: People, counts: np.ndarray) -> Fleet:
    owner_pos = np.repeat(np.arange(len(people.ids)), counts)
    n = len(owner_pos)
    ids = np.arange(ctx.counters.vehicle, ctx.counters.vehicle + n, dtype=np.int64)
    ctx.counters.vehicle += n
    kind = people.kind[owner_pos]
    status = people.status[owner_pos]
    use = np.empty(n, dtype=object)
    model = np.zeros(n, dtype=np.int64)
    for k, shares in enumerate(USES_BY_KIND):
        mine = np.flatnonzero(kind == k)
        uses = [u for u, _ in shares]
        p = np.array([s for _, s in shares])
        picked = rng.choice(len(uses), size=len(mine), p=p / p.sum())
        for j, name in enumerate(uses):
            sel = mine[picked == j]
            use[sel] = name
            index, weight = models_of(USE_GROUPS[name][0])
            model[sel] = rng.choice(index, size=len(sel), p=weight)
    nev = MODEL_NEV[model]
    age_years = np.minimum(rng.exponential(4.5, size=n), np.where(nev, 6.0, 15.0))
    age_years = np.where(status == LAPSED, np.maximum(age_years, 2.5 + rng.random(n)), age_years)
    reg = np.datetime64(ctx.as_of, "D") - (age_years * 365.25).astype("timedelta64[D]")
    reg_days = (reg - np.datetime64("2000-01-01", "D")).astype(np.int64)
    start0, terms = chain_terms(ctx, rng, reg, status)
    commercial = rng.random(n) < np.where(use == "motorcycle", 0.2, np.where(kind == 0, 0.88, 0.93))
    plates = _plates(ctx, model, nev)
    years = reg.astype("datetime64[Y]").astype(np.int64) + 1970
    wmi = np.array([m[2] for m in MODELS], dtype=object)[model]
    serial = np.arange(ctx.counters.vin_serial, ctx.counters.vin_serial + n, dtype=np.int64)
    ctx.counters.vin_serial += n
    vin = vins(wmi, years, PLANTS[serial // 10**6 % len(PLANTS)], serial)
    ctpl, comm = _base_premiums(rng, use, model)
    per_vehicle = terms * (1 + commercial)
    pid0 = ctx.counters.policy + np.concatenate([[0], np.cumsum(per_vehicle)[:-1]])
    ctx.counters.policy += int(per_vehicle.sum())
    # a customer joined a little before their first policy
    first = np.full(len(people.ids), np.iinfo(np.int64).max)
    np.minimum.at(first, owner_pos, start0)
    has = first < np.iinfo(np.int64).max
    people.created[has] = np.minimum(people.created[has], first[has])
    rows = list(
        zip(
            ids.tolist(), people.ids[owner_pos].tolist(), plates, vin, model.tolist(),
            use.tolist(), reg_days.tolist(), start0.tolist(), terms.tolist(),
            commercial.astype(int).tolist(), ctpl.tolist(), comm.tolist(), pid0.tolist(),
            [p[::-1] for p in plates], [v[::-1] for v in vin],
            rng.integers(0, 1 << 62, size=n, dtype=np.int64).tolist(), strict=True,
        )
    )  # fmt: skip
    return Fleet(rows, n)


def _plates(ctx: Context, model: np.ndarray, nev: np.ndarray) -> list[str]:
    n = len(model)
    out: list[str] = [""] * n
    fuel_pos = np.flatnonzero(~nev)
    nev_pos = np.flatnonzero(nev)
    c = ctx.counters
    fuel = fuel_plates(np.arange(c.fuel_plate, c.fuel_plate + len(fuel_pos)))
    c.fuel_plate += len(fuel_pos)
    large = np.array([MODELS[m][3] in LARGE_GROUPS for m in model[nev_pos].tolist()], dtype=bool)
    green = nev_plates(np.arange(c.nev_plate, c.nev_plate + len(nev_pos)), large)
    c.nev_plate += len(nev_pos)
    for pos, plate in zip(fuel_pos.tolist(), fuel, strict=True):
        out[pos] = plate
    for pos, plate in zip(nev_pos.tolist(), green, strict=True):
        out[pos] = plate
    return out


def _base_premiums(
    rng: np.random.Generator, use: np.ndarray, model: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """交强险 base (fen) by use/size, and a first-year commercial premium (fen) by price."""
    n = len(use)
    ctpl = np.zeros(n, dtype=np.int64)
    factor = np.ones(n)
    for name, (_groups, f) in USE_GROUPS.items():
        sel = use == name
        if not sel.any():
            continue
        factor[sel] = f
        for m in np.unique(model[sel]).tolist():
            _b, _mm, _w, _g, seats, litres, _f, _p, tonnage, _wt = MODELS[m]
            ctpl[sel & (model == m)] = ctpl_base_yuan(name, seats, tonnage, litres) * 100
    price = np.array([m[7] for m in MODELS], dtype=float)[model]
    commercial = (price * 0.022 + 650) * factor * rng.uniform(0.85, 1.15, n)
    return ctpl, (commercial * 100).astype(np.int64)
