"""Customer search as you type, from any fragment: names (one character and up), pinyin,
ID numbers, phones, plates, VINs, policy and claim numbers, credit codes.

`search_query` reads the fragments, `search_sql` turns each reading into an index-driven
query; this module picks the most selective token to drive, checks the others on the
rows it finds, ranks (exact identifiers, then name prefixes, then the rest — each in the
order of its index), caps the count of broad queries ("1,000+"), and describes one page
of customers masked for the acting user. Nothing here loads more than a page of rows
beyond the ids.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

from tui_crm.i18n import tr
from tui_crm.services.actor import Actor, Permission
from tui_crm.services.masking import mask_id_number, mask_phone
from tui_crm.services.search_query import (
    CLAIM_NO,
    CONTAINS,
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
    TIER_EXACT,
    VIN,
    ParsedQuery,
    Probe,
    Token,
    parse,
)
from tui_crm.services.search_sql import (
    DESCRIBE,
    PHONES,
    VEHICLES,
    Sql,
    filters,
    fts_overflow,
    id_list,
    run,
    scan_sql,
    scope_sql,
    stream,
)
from tui_crm.services.text import name_pinyin
from tui_crm.storage.db import Database

PAGE = 50
COUNT_CAP = 1000  # broad queries say "1,000+" instead of counting everything
SCAN_BUDGET = 200_000  # customer ids scanned per page for a 1–2 character name fragment
SCAN_WINDOW = 50_000
FTS_BOUND = 4_000  # trigram matches checked against scope on a keystroke (deep: all)
SQLITE_MMAP = 4 << 30  # bytes of the database file SQLite may map for reading
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


@dataclass(frozen=True)
class SearchPage:
    query: str
    hits: list[SearchHit]
    offset: int = 0
    total: int = 0
    total_capped: bool = False  # `total` is a lower bound: show "1,000+"
    has_more: bool = False
    pending: bool = False  # `deep=True` could add matches found inside names
    hint: str | None = None
    elapsed_ms: float = 0.0

    @property
    def total_label(self) -> str:
        shown = min(self.total, COUNT_CAP)
        return f"{shown:,}+" if self.total_capped else f"{self.total:,}"


@dataclass(frozen=True)
class DirectHit:
    """Enter on a full ID or phone number: the one customer, or why not."""

    customer_id: int | None
    count: int
    message: str | None = None


@dataclass
class _Found:
    ids: dict[int, list[tuple[Probe, Any]]] = field(default_factory=dict)
    complete: bool = True
    pending: bool = False  # a deep search could add rows (scan not run)
    beyond: int = 0  # matches counted but not fetched (past the page)
    driver: Token | None = None
    tokens: tuple[Token, ...] = ()

    @property
    def total(self) -> int:
        return len(self.ids) + self.beyond


class SearchService:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._unit_count: int | None = None

    # ------------------------------------------------------------------ public
    def search(
        self,
        actor: Actor,
        query: str,
        *,
        offset: int = 0,
        limit: int = PAGE,
        mine: bool = False,
        deep: bool = False,
    ) -> SearchPage:
        """One page of customers in the actor's scope matching every fragment of `query`.

        Index paths only, unless `deep`: then one or two characters are also looked for
        inside names by a bounded scan (`SearchPage.pending` says when that could add
        rows; the screen asks for it right after showing the first rows)."""
        actor.require(Permission.CUSTOMER_READ)
        started = perf_counter()
        parsed = parse(query)
        limit = max(1, min(limit, 200))
        offset = max(0, offset)
        if not parsed.searchable:
            hint = _too_short_hint(parsed) if parsed.compact else None
            return SearchPage(parsed.text, [], offset, hint=hint)
        need = offset + limit + 1
        with self._cursor() as cursor:
            scope = self._scope(cursor, actor)
            manager = actor.id if mine else None
            found = None
            if parsed.whole is not None:
                found = self._collect(cursor, (parsed.whole,), need, scope, manager, deep)
            if found is None or not found.ids:
                found = self._collect(cursor, parsed.tokens, need, scope, manager, deep)
            ordered = list(found.ids)
            total = found.total
            hits = self._describe(cursor, ordered[offset : offset + limit], found)
            hint = None
            if not ordered and scope is not None:
                hint = self._outside_scope_hint(cursor, parsed)
        return SearchPage(
            query=parsed.text,
            hits=hits,
            offset=offset,
            total=total,
            total_capped=not found.complete or found.pending or total > COUNT_CAP,
            pending=found.pending and len(ordered) <= offset + limit,
            has_more=total > offset + limit
            or (not found.complete and bool(hits))
            or (found.pending and bool(hits)),
            hint=hint,
            elapsed_ms=(perf_counter() - started) * 1000,
        )

    def open_direct(self, actor: Actor, query: str) -> DirectHit | None:
        """A full resident ID / credit code or phone number typed (or read by an ID-card
        reader) and Enter: the customer when exactly one in scope has it."""
        actor.require(Permission.CUSTOMER_READ)
        parsed = parse(query)
        probe = parsed.direct_open
        if probe is None:
            return None
        with self._cursor() as cursor:
            scope = self._scope(cursor, actor)
            ids = self._ids(cursor, probe, scope, limit=5)
            if len(ids) == 1:
                return DirectHit(ids[0], 1)
            if not ids:
                hint = self._outside_scope_hint(cursor, parsed) if scope else None
                return DirectHit(None, 0, hint or tr("没有找到该客户", "No such customer"))
        return DirectHit(
            None,
            len(ids),
            tr(
                "{n} 位客户使用此号码，请选择",
                "{n} customers share this number: pick one",
                n=len(ids),
            ),
        )

    def warm(self) -> None:
        """Load what the first keystroke would otherwise wait for: the pinyin tables and
        a connection with its memory map."""
        name_pinyin("张三")
        with self._cursor() as cursor:
            self._run(cursor, Sql("SELECT count(*) FROM org_unit"))

    def describe(self, actor: Actor, ids: list[int]) -> list[SearchHit]:
        """Result rows for known customer ids (recently viewed), in that order, in scope."""
        actor.require(Permission.CUSTOMER_READ)
        if not ids:
            return []
        with self._cursor() as cursor:
            scope = self._scope(cursor, actor)
            return self._describe(cursor, ids, _Found(), scope)

    # ------------------------------------------------------------------ internals
    @property
    def _dialect(self) -> str:
        return self.database.dialect

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        """The driver's cursor inside one short read transaction."""
        with self.database.connect() as connection:
            raw: Any = connection.connection.driver_connection
            cursor = raw.cursor()
            if self._dialect == "sqlite":
                # Read pages through a memory map: random index lookups across a
                # multi-gigabyte book cost a copy less each (≈2–3× faster searches).
                cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP}")
            try:
                yield cursor
            finally:
                cursor.close()

    def _run(self, cursor: Any, statement: Sql) -> list[Any]:
        return run(cursor, statement, self._dialect)

    def _scope(self, cursor: Any, actor: Actor) -> frozenset[int] | None:
        """The actor's units, or None when they cover every unit (no filter needed)."""
        if self._unit_count is None:
            self._unit_count = self._run(cursor, Sql("SELECT count(*) FROM org_unit"))[0][0]
        if len(actor.scope_unit_ids) >= (self._unit_count or 0):
            return None
        return actor.scope_unit_ids

    def _ids(
        self, cursor: Any, probe: Probe, scope: frozenset[int] | None, limit: int
    ) -> list[int]:
        rows = self._run(cursor, stream(probe, Sql(), self._dialect, limit, [], scope))
        return list(dict.fromkeys(row[0] for row in rows))

    def _collect(
        self,
        cursor: Any,
        tokens: tuple[Token, ...],
        need: int,
        scope: frozenset[int] | None,
        manager: int | None,
        deep: bool = False,
    ) -> _Found:
        routable = [t for t in tokens if t.probes]
        found = _Found(tokens=tokens)
        if not routable:
            return found
        driver = min(routable, key=lambda t: t.cost)
        found.driver = driver
        others = [t.probes for t in routable if t is not driver]
        loose = [t.text for t in tokens if not t.probes]
        for probe in driver.probes:
            if len(found.ids) >= need and found.total > COUNT_CAP:
                found.complete = False  # the page is full and the count says "1,000+"
                break
            if probe.is_scan:
                if not deep:
                    found.pending = True
                    continue
                wanted = need - len(found.ids)
                if wanted <= 0:
                    found.complete = False
                    break
                ids, done = self._scan(
                    cursor, probe, wanted + 1, need, others, loose, scope, manager
                )
                rows: list[Any] = [(i, None) for i in ids]
                found.complete = found.complete and done and len(ids) <= wanted
            else:
                bound = None
                if not deep and probe.field == NAME and (scope is not None or others or loose):
                    bound = self._fts_bound(cursor, probe)
                    found.pending = found.pending or bound is not None
                rows = self._stream(cursor, probe, need, others, loose, scope, manager, bound=bound)
                if len(rows) >= need:  # more than a page: count them (capped), not fetch
                    counted = self._stream(
                        cursor,
                        probe,
                        COUNT_CAP + 1,
                        others,
                        loose,
                        scope,
                        manager,
                        count=True,
                        bound=bound,
                    )[0][0]
                    found.beyond += counted - len(rows)
                    if counted > COUNT_CAP:
                        found.complete = False
            for customer_id, value in rows:
                found.ids.setdefault(customer_id, []).append((probe, value))
        return found

    def _stream(
        self,
        cursor: Any,
        probe: Probe,
        limit: int,
        others: list[tuple[Probe, ...]],
        loose: list[str],
        scope: frozenset[int] | None,
        manager: int | None,
        *,
        count: bool = False,
        bound: int | None = None,
    ) -> list[Any]:
        sql = Sql()
        where = filters(sql, self._dialect, tokens=others, loose=loose, manager_id=manager)
        statement = stream(probe, sql, self._dialect, limit, where, scope, bound)
        if count:
            statement.text = f"SELECT count(*) FROM ({statement.text}) q"
        return self._run(cursor, statement)

    def _fts_bound(self, cursor: Any, probe: Probe) -> int | None:
        """FTS_BOUND when more names than that contain a 3+ character fragment (then a
        keystroke checks only those against the clerk's units; the deep search the rest)."""
        if self._dialect != "sqlite" or probe.mode != CONTAINS or probe.is_scan:
            return None
        counted = self._run(cursor, fts_overflow(probe, Sql(), FTS_BOUND))[0][0]
        return FTS_BOUND if counted > FTS_BOUND else None

    def _scan(
        self,
        cursor: Any,
        probe: Probe,
        limit: int,
        need: int,
        others: list[tuple[Probe, ...]],
        loose: list[str],
        scope: frozenset[int] | None,
        manager: int | None,
    ) -> tuple[list[int], bool]:
        """Names containing one or two characters, a window of ids at a time, stopped
        after `limit` matches or a budget of ids that grows with the page asked for."""
        top = self._run(cursor, Sql("SELECT max(id) FROM customer"))[0][0] or 0
        budget = SCAN_BUDGET * max(1, -(-need // PAGE))
        found: list[int] = []
        low = 0
        while low < top and low < budget and len(found) < limit:
            high = min(low + SCAN_WINDOW, budget)
            sql = Sql()
            where = filters(sql, self._dialect, tokens=others, loose=loose, manager_id=manager)
            where += scope_sql(scope)
            statement = scan_sql(probe, sql, self._dialect, low, high, limit - len(found), where)
            found.extend(row[0] for row in self._run(cursor, statement))
            low = high
        return found, low >= top

    def _describe(
        self,
        cursor: Any,
        ids: list[int],
        found: _Found,
        scope: frozenset[int] | None = None,
    ) -> list[SearchHit]:
        if not ids:
            return []
        listed = id_list(ids)
        in_scope = "" if scope is None else f" AND c.unit_id IN ({id_list(sorted(scope))})"
        rows = self._run(cursor, Sql(DESCRIBE.format(ids=listed, scope=in_scope)))
        phones: dict[int, list[str]] = {}
        for customer_id, value in self._run(cursor, Sql(PHONES.format(ids=listed))):
            phones.setdefault(customer_id, []).append(value)
        vehicles: dict[int, list[tuple[str | None, str | None]]] = {}
        for customer_id, plate, vin in self._run(cursor, Sql(VEHICLES.format(ids=listed))):
            vehicles.setdefault(customer_id, []).append((plate, vin))
        by_id = {row[0]: row for row in rows}
        hits = []
        for customer_id in ids:
            row = by_id.get(customer_id)
            if row is None:
                continue
            detail = _Detail(row, phones.get(customer_id, []), vehicles.get(customer_id, []))
            hits.append(_hit(detail, found))
        return hits

    def _outside_scope_hint(self, cursor: Any, parsed: ParsedQuery) -> str | None:
        """An exact identifier that belongs to a customer of another unit: say which unit
        (and nothing else), as the duplicate check does."""
        tokens = [parsed.whole] if parsed.whole else list(parsed.tokens)
        probes = [p for t in tokens if t for p in t.probes if p.tier == TIER_EXACT]
        units: set[str] = set()
        for probe in probes:
            ids = self._ids(cursor, probe, None, limit=5)
            if ids:
                statement = Sql(
                    "SELECT DISTINCT u.name FROM customer c JOIN org_unit u ON u.id = c.unit_id"
                    f" WHERE c.id IN ({id_list(ids)})"
                )
                units.update(row[0] for row in self._run(cursor, statement))
        if not units:
            return None
        return tr(
            "已是“{u}”的客户，不在您的机构范围内",
            "Already a customer of {u}, outside your units",
            u="、".join(sorted(units)),
        )


# ---------------------------------------------------------------------- describing hits


class _Detail:
    def __init__(self, row: Any, phones: list[str], vehicles: list[tuple[Any, Any]]) -> None:
        self.row = row
        self.name: str = row[1]
        self.id_number: str | None = row[4]
        self.pinyin: str = row[5] or ""
        self.initials: str = row[6] or ""
        self.phones = phones
        self.plates = [p for p, _ in vehicles if p]
        self.vins = [v for _, v in vehicles if v]


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


def _check(probe: Probe, detail: _Detail) -> tuple[bool, Any]:
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


def _hit(detail: _Detail, found: _Found) -> SearchHit:
    row = detail.row
    matched: list[tuple[Probe, Any]] = list(found.ids.get(row[0], []))
    for token in found.tokens:
        if token is found.driver:
            continue
        for probe in token.probes:
            if probe.field in (POLICY_NO, CLAIM_NO):
                continue
            ok, value = _check(probe, detail)
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
        phone_masked=mask_phone(detail.phones[0]) if detail.phones else None,
        plate=detail.plates[0] if detail.plates else None,
        unit_code=row[11],
        unit_name=row[12],
        account_manager=row[13],
        matched_on=codes,
        matched_value=_shown_value(shown, personal),
        name_spans=sorted(set(spans)),
        flag_key=bool(row[7]),
        flag_blacklist=bool(row[8]),
        flag_renewal_due=bool(row[9]),
    )


def _shown_value(shown: tuple[Probe, Any] | None, personal: bool) -> str | None:
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


def _too_short_hint(parsed: ParsedQuery) -> str:
    if parsed.compact.isdigit():
        return tr("请至少输入4位数字（电话、证件或车牌尾号）", "Type at least 4 digits (a tail)")
    return tr("请继续输入", "Keep typing")
