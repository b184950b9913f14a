"""Describing a page of search results: one query for the customers with their phones,
plates and VINs, what each matched (for `matched_on` and the highlighted name), masked
for every role (resident ID numbers and phones; a company's credit code is public).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui_crm.services.core.masking import mask_id_number, mask_phone
from tui_crm.services.core.text import name_pinyin
from tui_crm.services.search.query import (
    CLAIM_NO,
    CREDIT_CODE,
    EXACT,
    ID_NUMBER,
    NAME,
    PHONE,
    PINYIN_FULL,
    PINYIN_INITIALS,
    PLATE,
    POLICY_NO,
    PREFIX,
    SUFFIX,
    VIN,
    Probe,
    Token,
)
from tui_crm.services.search.sql import Sql, filters, id_list

PERSONAL_ID_KINDS = ("individual",)


@dataclass(slots=True)
class SearchHit:
    id: int
    name: str
    kind: str
    customer_class: str
    id_number_masked: str | None
    phone_masked: str | None
    plate: str | None
    unit_code: str
    unit_name: str
    account_manager: str | None
    matched_on: list[str]
    matched_value: str | None = None  # the (masked) identifier that matched, if not the name
    name_spans: list[tuple[int, int]] = field(default_factory=list)  # matched part of name
    flag_key: bool = False
    flag_blacklist: bool = False
    flag_renewal_due: bool = False


class Rows(list[Any]):
    """Rows of a stream with what the stream knows about the rest."""

    pending = False
    matched = 0
    beyond = 0


@dataclass(frozen=True)
class Checks:
    """What the rows the driving token finds must also satisfy: the other tokens, words
    no index serves, the clerk's units (None: every unit) and the "my book" manager."""

    others: list[tuple[Probe, ...]]
    loose: list[str]
    scope: frozenset[int] | None
    manager: int | None

    @property
    def narrow(self) -> bool:
        """Whether anything beyond the driving token filters its rows."""
        unfiltered = self.scope is None and self.manager is None
        return bool(self.others or self.loose) or not unfiltered

    def where(self, sql: Sql, dialect: str) -> list[str]:
        """Conditions on `c` for the other tokens and the manager (not the scope)."""
        return filters(sql, dialect, tokens=self.others, loose=self.loose, manager_id=self.manager)


@dataclass
class Found:
    ids: dict[int, list[tuple[Probe, Any]]] = field(default_factory=dict)
    complete: bool = True
    pending: bool = False  # a deep search could add rows (scan not run)
    beyond: int = 0  # matches counted but not fetched (past the page)
    driver: Token | None = None
    tokens: tuple[Token, ...] = ()

    @property
    def total(self) -> int:
        return len(self.ids) + self.beyond


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


class Detail:
    """One described customer: the row of `describe_sql` with its lists split."""

    def __init__(self, row: Any) -> None:
        self.row = row
        self.name: str = row[1]
        self.id_number: str | None = row[4]
        self.pinyin: str = row[5] or ""
        self.initials: str = row[6] or ""
        self.phone: str | None = row[14]
        self.phones = _split(row[15])
        self.plate: str | None = row[16]
        self.plates = _split(row[17])
        self.vins = _split(row[18])


def _compare(value: str | None, probe: Probe) -> bool:
    if not value:
        return False
    if probe.mode == EXACT:
        return value == probe.value
    if probe.mode == PREFIX:
        return value.startswith(probe.value)
    if probe.mode == SUFFIX:
        return value.endswith(probe.value)
    return probe.value.lower() in value.lower()


def check(probe: Probe, detail: Detail) -> tuple[bool, Any]:
    """Does the described customer match the probe (for `matched_on`), and on what value."""
    f = probe.field
    if f == NAME:
        hit = (
            detail.name.lower().startswith(probe.value.lower())
            if probe.mode == PREFIX
            else probe.value.lower() in detail.name.lower()
        )
        return hit, None
    if f == PINYIN_INITIALS:
        return _compare(detail.initials, probe), None
    if f == PINYIN_FULL:
        return _compare(detail.pinyin, probe), None
    if f in (ID_NUMBER, CREDIT_CODE):
        return _compare(detail.id_number, probe), detail.id_number
    candidates = {PHONE: detail.phones, PLATE: detail.plates, VIN: detail.vins}.get(f, [])
    for value in candidates:
        if _compare(value, probe):
            return True, value
    return False, None


def build_hit(detail: Detail, found: Found) -> SearchHit:
    row = detail.row
    matched: list[tuple[Probe, Any]] = list(found.ids.get(row[0], []))
    for token in found.tokens:
        if token is found.driver:
            continue
        for probe in token.probes:
            if probe.field in (POLICY_NO, CLAIM_NO):
                continue
            ok, value = check(probe, detail)
            if ok:
                matched.append((probe, value))
    matched.sort(key=lambda pv: pv[0].tier)
    codes = list(dict.fromkeys(p.field for p, _ in matched))
    shown = next(((p, v) for p, v in matched if p.is_identifier and v), None)
    spans: list[tuple[int, int]] = []
    for probe, _ in matched:
        spans.extend(name_spans(detail.name, probe))
    personal = row[2] in PERSONAL_ID_KINDS
    return SearchHit(
        id=row[0],
        name=detail.name,
        kind=row[2],
        customer_class=row[3],
        id_number_masked=mask_id_number(detail.id_number) if personal else detail.id_number,
        phone_masked=mask_phone(detail.phone),
        plate=detail.plate,
        unit_code=row[11],
        unit_name=row[12],
        account_manager=row[13],
        matched_on=codes,
        matched_value=shown_value(shown, personal),
        name_spans=sorted(set(spans)),
        flag_key=bool(row[7]),
        flag_blacklist=bool(row[8]),
        flag_renewal_due=bool(row[9]),
    )


def shown_value(shown: tuple[Probe, Any] | None, personal: bool) -> str | None:
    if shown is None:
        return None
    probe, value = shown
    if probe.field == PHONE:
        return mask_phone(value)
    if probe.field in (ID_NUMBER, CREDIT_CODE) and personal:
        return mask_id_number(value)
    return str(value)


def name_spans(name: str, probe: Probe) -> list[tuple[int, int]]:
    """Where in the name a name or pinyin probe matched (character offsets)."""
    if probe.field == NAME:
        needle = probe.value.lower()
        haystack = name.lower()
        if probe.mode == PREFIX:
            return [(0, len(needle))] if haystack.startswith(needle) else []
        return [
            (m.start(), m.start() + len(needle)) for m in re.finditer(re.escape(needle), haystack)
        ]
    if probe.field not in (PINYIN_INITIALS, PINYIN_FULL):
        return []
    typed = probe.value
    consumed = 0
    start: int | None = None
    for match in re.finditer(r"[A-Za-z0-9]+|.", name):
        full, initial = name_pinyin(match.group())
        piece = initial if probe.field == PINYIN_INITIALS else full
        if not piece:
            continue
        if start is None:
            start = match.start()
        consumed += len(piece)
        if consumed >= len(typed):
            return [(start, match.end())]
    return []


DESCRIBE = """SELECT c.id, c.name, c.kind, c.customer_class, c.id_number, c.name_pinyin,
    c.name_initials, c.flag_key, c.flag_blacklist, c.flag_renewal_due, c.unit_id,
    u.code, u.name, m.display_name,
    (SELECT x.value_norm FROM contact x WHERE x.customer_id = c.id
        AND x.value_norm IS NOT NULL ORDER BY x.is_primary DESC, x.id LIMIT 1),
    (SELECT {agg}(x.value_norm, ',') FROM contact x WHERE x.customer_id = c.id),
    (SELECT v.plate FROM vehicle v WHERE v.owner_customer_id = c.id
        AND v.plate IS NOT NULL ORDER BY v.id LIMIT 1),
    (SELECT {agg}(v.plate, ',') FROM vehicle v WHERE v.owner_customer_id = c.id),
    (SELECT {agg}(v.vin, ',') FROM vehicle v WHERE v.owner_customer_id = c.id)
FROM customer c JOIN org_unit u ON u.id = c.unit_id
LEFT JOIN staff_user m ON m.id = c.account_manager_id
WHERE c.id IN ({ids}){scope}"""


def describe_sql(dialect: str, ids: list[int], scope: frozenset[int] | None) -> Sql:
    """One statement for a page of customers (ids are integers from the database; on
    PostgreSQL an array parameter, so the statement's text — and its plan — repeats)."""
    in_scope = "" if scope is None else f" AND c.unit_id IN ({id_list(sorted(scope))})"
    if dialect == "sqlite":
        return Sql(DESCRIBE.format(agg="group_concat", ids=id_list(ids), scope=in_scope))
    text = DESCRIBE.replace("c.id IN ({ids})", "c.id = ANY(:ids)")
    return Sql(text.format(agg="string_agg", scope=in_scope), {"ids": list(ids)})


SQLITE_BASE = (
    DESCRIBE[: DESCRIBE.index(",\n    (SELECT")] + DESCRIBE[DESCRIBE.index("\nFROM customer c") :]
)
SQLITE_PHONES = """SELECT customer_id, value_norm FROM contact
WHERE customer_id IN ({ids}) AND value_norm IS NOT NULL
ORDER BY customer_id, is_primary DESC, id"""
SQLITE_VEHICLES = """SELECT owner_customer_id, plate, vin FROM vehicle
WHERE owner_customer_id IN ({ids}) ORDER BY owner_customer_id, id"""


def describe_sqlite(
    run: Callable[[Sql], list[Any]], ids: list[int], scope: frozenset[int] | None
) -> list[Any]:
    """SQLite: three index lookups by id lists (no round trips to save there, and cheaper
    than a correlated subquery per row), shaped like the rows of `describe_sql`."""
    listed = id_list(ids)
    in_scope = "" if scope is None else f" AND c.unit_id IN ({id_list(sorted(scope))})"
    rows = run(Sql(SQLITE_BASE.format(ids=listed, scope=in_scope)))
    phones: dict[int, list[str]] = {}
    for customer_id, value in run(Sql(SQLITE_PHONES.format(ids=listed))):
        phones.setdefault(customer_id, []).append(value)
    plates: dict[int, list[str]] = {}
    vins: dict[int, list[str]] = {}
    for customer_id, plate, vin in run(Sql(SQLITE_VEHICLES.format(ids=listed))):
        if plate:
            plates.setdefault(customer_id, []).append(plate)
        if vin:
            vins.setdefault(customer_id, []).append(vin)
    out = []
    for row in rows:
        p, v, n = phones.get(row[0], []), plates.get(row[0], []), vins.get(row[0], [])
        first_plate = v[0] if v else None
        out.append((*row, p[0] if p else None, ",".join(p), first_plate, ",".join(v), ",".join(n)))
    return out


def describe(rows: list[Any], ids: list[int], found: "Found") -> list[SearchHit]:
    """Hits in the order of `ids` from the rows of `describe_sql`."""
    by_id = {row[0]: row for row in rows}
    return [build_hit(Detail(by_id[i]), found) for i in ids if i in by_id]
