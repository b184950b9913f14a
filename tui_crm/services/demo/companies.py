"""Companies, government bodies and village collectives of one chunk, with corporate groups
(a head and its subsidiaries sharing the brand) and each company's contact person."""

import numpy as np

from tui_crm.services.core.text import name_pinyin
from tui_crm.services.demo.contacts import contact_columns, towns_by_county
from tui_crm.services.demo.identities import credit_codes
from tui_crm.services.demo.names import (
    BRAND_WORDS,
    COMPANY_SUFFIXES,
    GOVERNMENT_BODIES,
    INDUSTRIES,
    OWNERSHIP,
    pinyin_pool,
)
from tui_crm.services.demo.people import Context, People

BRAND_CHARS = list(
    "华泰恒力金禾天成永兴宏达鑫源瑞丰联创顺发东方博远海盛鸿运富春万通安星河佳盛世明辉"
    "长城信和润宝欣荣汇锦程立新振四中环旭日正同君远航达宇诚致凯越嘉祥瑞隆昌茂晟德"
)
TOWN_BODIES = ["人民政府", "中心小学", "卫生院", "社区卫生服务中心"]


Pool = list[np.ndarray]  # words, full pinyin, initials (object arrays of equal length)


def _pick(pool: tuple[np.ndarray, ...], index: np.ndarray) -> Pool:
    return [column[index] for column in pool]


def _combine(parts: list[Pool]) -> tuple[list[str], list[str], list[str]]:
    """Join the pieces of each name, with their pinyin."""
    name, full, initials = (column.copy() for column in parts[0])
    for words, w_full, w_init in parts[1:]:
        name = name + words
        full = full + w_full
        initials = initials + w_init
    return name.tolist(), full.tolist(), initials.tolist()


def company_rows(
    ctx: Context, rng: np.random.Generator, people: People, mask: np.ndarray, pid0: np.ndarray
) -> tuple[list[tuple], list[tuple]]:
    """demo_customer rows of the companies in `mask`, and the corporate_group rows."""
    idx = np.flatnonzero(mask)
    n = len(idx)
    county = people.county[idx]
    county_names = [c.name for c in ctx.org.counties]
    # prefix: 嘉兴市南湖区 / 海宁市 / 嘉兴 / 浙江
    style = rng.choice(3, size=n, p=[0.55, 0.35, 0.10])
    prefix = pinyin_pool([place_prefix(c) for c in county_names] + ["嘉兴", "浙江"])
    prefix_index = np.where(style == 0, county, len(county_names) + style - 1)
    chars = pinyin_pool(BRAND_CHARS)
    words = pinyin_pool(BRAND_WORDS)
    b1, b2 = rng.integers(0, len(BRAND_CHARS), (2, n))
    use_word = rng.random(n) < 0.35
    bw = rng.integers(0, len(BRAND_WORDS), n)
    brand: Pool = [
        np.where(use_word, w[bw], c[b1] + c[b2]) for w, c in zip(words, chars, strict=True)
    ]
    industry_index = rng.integers(0, len(INDUSTRIES), n)
    size_factor = np.array([i[2] for i in INDUSTRIES])[industry_index]
    group_rows, group_of, parent_of, brand = _groups(ctx, rng, people.ids[idx], size_factor, brand)
    industry = pinyin_pool([i[0] for i in INDUSTRIES])
    suffix_words = [s for s, _ in COMPANY_SUFFIXES]
    suffix_p = np.array([w for _, w in COMPANY_SUFFIXES], dtype=float)
    suffix_index = rng.choice(len(suffix_words), size=n, p=suffix_p / suffix_p.sum())
    suffix = pinyin_pool(suffix_words)
    names, full, initials = _combine(
        [
            _pick(prefix, prefix_index),
            brand,
            _pick(industry, industry_index),
            _pick(suffix, suffix_index),
        ]
    )
    kinds = people.kind[idx]
    industry_code = np.array([i[1] for i in INDUSTRIES], dtype=object)[industry_index]
    owners = [o for o, _ in OWNERSHIP]
    owner_p = np.array([w for _, w in OWNERSHIP], dtype=float)
    ownership = np.array(owners, dtype=object)[
        rng.choice(len(owners), n, p=owner_p / owner_p.sum())
    ]
    # A few collectives: village-level economic co-operatives (credit code N2…).
    collective = (kinds == 1) & (rng.random(n) < 0.03)
    towns = _towns(ctx)
    registrant = np.where(kinds == 2, "11", np.where(collective, "N2", "91"))
    for i in np.flatnonzero(collective).tolist():
        town = towns[county[i]][int(rng.integers(0, len(towns[county[i]])))]
        village = BRAND_CHARS[int(b1[i])] + BRAND_CHARS[int(b2[i])]
        names[i] = f"{town}{village}村股份经济合作社"
        full[i], initials[i] = name_pinyin(names[i])
        industry_code[i], ownership[i] = "农业", "collective"
    for i in np.flatnonzero(kinds == 2).tolist():
        names[i] = _government_name(ctx, county_names, towns, county[i])
        full[i], initials[i] = name_pinyin(names[i])
        industry_code[i], ownership[i] = "公共管理", "state"
    region = np.array([int(ctx.org.counties[c].code) for c in county.tolist()], dtype=np.int64)
    codes = np.empty(n, dtype=object)
    for reg in ("91", "11", "N2"):
        sel = registrant == reg
        if sel.any():
            codes[sel] = credit_codes(region[sel], rng, registrant=reg)
    size_yuan = np.exp(rng.normal(9.0, 1.1, n)) * size_factor * np.where(kinds == 2, 1.8, 1.0)
    size_fen = (np.minimum(size_yuan, 900_000) * 100).astype(np.int64)
    tender = ((kinds == 2) & (rng.random(n) < 0.6)) | ((size_yuan > 40_000) & (rng.random(n) < 0.5))
    rows = list(
        zip(
            people.ids[idx].tolist(), np.where(kinds == 2, "government", "corporate").tolist(),
            names, codes.tolist(), full, initials, industry_code.tolist(), ownership.tolist(),
            people.unit[idx].tolist(), [m or None for m in people.manager[idx].tolist()],
            group_of, parent_of, [m or None for m in people.intermediary[idx].tolist()],
            people.status[idx].tolist(), people.created[idx].tolist(),
            people.nm_lines[idx].tolist(), people.nm_start[idx].tolist(),
            people.nm_terms[idx].tolist(), size_fen.tolist(), tender.astype(int).tolist(),
            pid0[idx].tolist(), [c[::-1] for c in codes.tolist()], people.r[idx].tolist(),
            people.risk[idx].tolist(), *contact_columns(ctx, rng, people, idx, company=True),
            _emails(rng, initials), strict=True,
        )
    )  # fmt: skip
    return rows, group_rows


def _emails(rng: np.random.Generator, initials: list[str]) -> list[str | None]:
    """Four companies in ten give an e-mail address."""
    n = len(initials)
    has = (rng.random(n) < 0.4).tolist()
    number = rng.integers(0, 1000, n).tolist()
    return [
        f"{i}{k:03d}@163.com" if h else None for i, k, h in zip(initials, number, has, strict=True)
    ]


def _groups(
    ctx: Context,
    rng: np.random.Generator,
    ids: np.ndarray,
    size: np.ndarray,
    brand: Pool,
) -> tuple[list[tuple], list[int | None], list[int | None], Pool]:
    """About 3% of companies head a group of 2–6 members sharing the head's brand."""
    n = len(ids)
    group_of: list[int | None] = [None] * n
    parent_of: list[int | None] = [None] * n
    rows: list[tuple] = []
    brand = [b.copy() for b in brand]
    free = list(rng.permutation(n).tolist())
    heads = [i for i in free[: max(0, n * 3 // 100)]]
    taken = set(heads)
    pool = [i for i in free if i not in taken]
    for head in heads:
        members = int(rng.integers(1, 6))
        subs, pool = pool[:members], pool[members:]
        if not subs:
            break
        group_id = ctx.counters.group
        ctx.counters.group += 1
        rows.append((group_id, f"{brand[0][head]}集团"))
        group_of[head] = group_id
        size[head] *= 3
        for sub in subs:
            group_of[sub], parent_of[sub] = group_id, int(ids[head])
            for column in brand:
                column[sub] = column[head]
    return rows, group_of, parent_of, brand


def place_prefix(county_name: str) -> str:
    """嘉兴市南湖区 for a district, 嘉善县 / 海宁市 for a county or county-level city."""
    return f"嘉兴市{county_name}" if county_name.endswith("区") else county_name


def _towns(ctx: Context) -> list[list[str]]:
    towns = towns_by_county()
    return [towns.get(c.code, ["城区"]) for c in ctx.org.counties]


def _government_name(
    ctx: Context, county_names: list[str], towns: list[list[str]], county: int
) -> str:
    """County bodies first, then town bodies of the same county: each appears once."""
    k = ctx.counters.government.get(county, 0)
    ctx.counters.government[county] = k + 1
    if k < len(GOVERNMENT_BODIES):
        return f"{place_prefix(county_names[county])}{GOVERNMENT_BODIES[k]}"
    k -= len(GOVERNMENT_BODIES)
    mine = towns[county]
    town, body = mine[k % len(mine)], TOWN_BODIES[(k // len(mine)) % len(TOWN_BODIES)]
    round_ = k // (len(mine) * len(TOWN_BODIES))
    return f"{town}{body}" + (f"（{round_ + 1}）" if round_ else "")
