"""Phones and addresses of one chunk's customers: mobiles with real prefixes, 0573
landlines, and addresses in the Jiaxing town of the unit that serves them."""

import csv
from functools import lru_cache

import numpy as np

from tui_crm.services.demo.identities import digit_codes, join_chars
from tui_crm.services.demo.names import ESTATES, ROADS
from tui_crm.services.demo.people import Context, People
from tui_crm.services.validation.verdict import DIVISIONS

MOBILE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186",
    "187", "188", "189", "191", "198", "199",
]  # fmt: skip
_PREFIX_CODES = np.array([[ord(c) for c in p] for p in MOBILE_PREFIXES], dtype=np.uint32)


@lru_cache(maxsize=1)
def towns_by_county() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with (DIVISIONS / "jiaxing_towns.csv").open("r", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["county_code"], []).append(row["name"])
    return out


def contact_columns(
    ctx: Context, rng: np.random.Generator, people: People, idx: np.ndarray, *, company: bool
) -> list[list[str | None]]:
    """mobile, its reversal, address, landline (digits) and its reversal, per customer."""
    n = len(idx)
    codes = np.concatenate(
        [_PREFIX_CODES[rng.integers(0, len(MOBILE_PREFIXES), n)],
         digit_codes(rng.integers(0, 10**8, n), 8)],
        axis=1,
    )  # fmt: skip
    has_mobile = (rng.random(n) >= 0.03) & (not company)
    mobile = _keep(join_chars(codes), has_mobile)
    mobile_rev = _keep(join_chars(np.ascontiguousarray(codes[:, ::-1])), has_mobile)
    line_codes = np.concatenate(
        [np.tile(np.array([ord(c) for c in "05738"], dtype=np.uint32), (n, 1)),
         digit_codes(rng.integers(0, 10**7, n), 7)],
        axis=1,
    )  # fmt: skip
    has_line = np.full(n, True) if company else rng.random(n) < 0.12
    landline = _keep(join_chars(line_codes), has_line)
    landline_rev = _keep(join_chars(np.ascontiguousarray(line_codes[:, ::-1])), has_line)
    return [mobile, mobile_rev, _addresses(ctx, rng, people.county[idx], company), landline,
            landline_rev]  # fmt: skip


def _keep(values: list[str], mask: np.ndarray) -> list[str | None]:
    return [v if m else None for v, m in zip(values, mask.tolist(), strict=True)]


def _addresses(
    ctx: Context, rng: np.random.Generator, county: np.ndarray, company: bool
) -> list[str | None]:
    n = len(county)
    towns = towns_by_county()
    names = [c.name for c in ctx.org.counties]
    per_county = [towns.get(c.code, ["城区"]) for c in ctx.org.counties]
    sizes = np.array([len(t) for t in per_county])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    every = [t for ts in per_county for t in ts]
    town = (offsets[county] + (rng.random(n) * sizes[county]).astype(np.int64)).tolist()
    road = rng.integers(0, len(ROADS), n).tolist()
    number = rng.integers(1, 389, n).tolist()
    county_list = county.tolist()
    if company:
        return [
            f"浙江省嘉兴市{names[c]}{every[t]}{ROADS[r]}{no}号"
            for c, t, r, no in zip(county_list, town, road, number, strict=True)
        ]
    estate = rng.integers(0, len(ESTATES), n).tolist()
    block = rng.integers(1, 21, n).tolist()
    floor = rng.integers(1, 19, n).tolist()
    room = rng.integers(1, 5, n).tolist()
    return [
        f"浙江省嘉兴市{names[c]}{every[t]}{ROADS[r]}{no}号{ESTATES[e]}{b}幢{f}0{rm}室"
        for c, t, r, no, e, b, f, rm in zip(
            county_list, town, road, number, estate, block, floor, room, strict=True
        )
    ]
