"""Individual customers of one chunk as demo_customer rows: names, birthplaces, valid
resident ID numbers and contacts, drawn column-wise like the rest of the chunk."""

import numpy as np

from tui_crm.services.demo.contacts import contact_columns
from tui_crm.services.demo.identities import resident_ids
from tui_crm.services.demo.names import person_names
from tui_crm.services.demo.people import Context, People, ymd_parts

OTHER_PROVINCES = {"34": 30, "32": 12, "36": 12, "41": 14, "51": 10, "52": 8, "42": 6, "43": 5,
                   "37": 5, "53": 4}  # fmt: skip


def individual_rows(
    ctx: Context, rng: np.random.Generator, people: People, mask: np.ndarray, pid0: np.ndarray
) -> list[tuple]:
    """demo_customer rows of the individuals in `mask` (ID numbers valid and unique)."""
    idx = np.flatnonzero(mask)
    n = len(idx)
    male = rng.random(n) < 0.5
    names, full, initials = person_names(rng, male)
    age_days = (18 * 365.25 + rng.beta(2.2, 3.0, size=n) * 62 * 365.25).astype(np.int64)
    birth = np.datetime64(ctx.as_of, "D") - age_days.astype("timedelta64[D]")
    by, bm, bd = ymd_parts(birth)
    birth_ymd = by * 10000 + bm * 100 + bd
    region = _regions(ctx, rng, people.county[idx], by)
    sequence = ctx.ids.assign(region, birth_ymd, male)
    numbers, reversed_numbers = resident_ids(region, birth_ymd, sequence)
    birth_iso = np.datetime_as_string(birth).tolist()
    return list(
        zip(
            people.ids[idx].tolist(), names.tolist(), numbers, birth_iso,
            np.where(male, "M", "F").tolist(), full.tolist(), initials.tolist(),
            people.unit[idx].tolist(), _none0(people.manager[idx]),
            _none0(people.intermediary[idx]), people.status[idx].tolist(),
            people.created[idx].tolist(), people.nm_lines[idx].tolist(),
            people.nm_start[idx].tolist(), people.nm_terms[idx].tolist(),
            pid0[idx].tolist(), reversed_numbers, people.r[idx].tolist(),
            people.risk[idx].tolist(), *contact_columns(ctx, rng, people, idx, company=False),
            strict=True,
        )
    )  # fmt: skip


def _none0(values: np.ndarray) -> list[int | None]:
    return [v or None for v in values.tolist()]


def _regions(
    ctx: Context, rng: np.random.Generator, county: np.ndarray, birth_year: np.ndarray
) -> np.ndarray:
    """Birthplace codes: mostly the customer's own county, then Jiaxing, Zhejiang, migrants."""
    n = len(county)
    county_codes = np.array([int(c.code) for c in ctx.org.counties], dtype=np.int64)
    u = rng.random(n)
    local = np.where(birth_year < 1980, 0.85, 0.62)
    out = county_codes[county].copy()
    other_jx = (u >= local) & (u < local + 0.12)
    out[other_jx] = rng.choice(county_codes, size=int(other_jx.sum()))
    zj = (u >= local + 0.12) & (u < local + 0.20)
    out[zj] = rng.choice(ctx.zhejiang_other, size=int(zj.sum()))
    far = u >= local + 0.20
    provinces = list(OTHER_PROVINCES)
    weights = np.array([OTHER_PROVINCES[p] for p in provinces], dtype=float)
    pick = rng.choice(len(provinces), size=int(far.sum()), p=weights / weights.sum())
    sizes = np.array([len(ctx.regions[p]) for p in provinces])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    every = np.concatenate([ctx.regions[p] for p in provinces])
    out[far] = every[offsets[pick] + (rng.random(len(pick)) * sizes[pick]).astype(np.int64)]
    retired = rng.random(n) < 0.004  # old IDs of 嘉兴市辖区 keep a retired code
    out[retired & (birth_year < 1985)] = 330401
    return out
