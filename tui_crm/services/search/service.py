"""Customer search as you type, from any fragment: names (one character and up), pinyin,
ID numbers, phones, plates, VINs, policy and claim numbers, credit codes.

`search_query` reads the fragments, `search_sql` turns each reading into an index-driven
query; this module picks the most selective token to drive, checks the others on the
rows it finds, ranks (exact identifiers, then name prefixes, then the rest — each in the
order of its index), caps the count of broad queries ("1,000+"), and describes one page
of customers masked for the acting user. Nothing here loads more than a page of rows
beyond the ids.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from time import perf_counter
from typing import Any

from tui_crm.i18n import tr
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.text import name_pinyin, within
from tui_crm.services.search.cursor import open_cursor
from tui_crm.services.search.hints import outside_scope_hint, plate_hint, too_short_hint
from tui_crm.services.search.hits import (
    Checks,
    Found,
    Rows,
    SearchHit,
    describe,
    describe_sql,
    describe_sqlite,
)
from tui_crm.services.search.merged import resolve_found, resolve_ids
from tui_crm.services.search.page import DirectHit, SearchPage
from tui_crm.services.search.query import (
    CONTAINS,
    MAX_QUERY,
    NAME,
    ParsedQuery,
    Probe,
    Token,
    parse,
)
from tui_crm.services.search.sql import (
    Sql,
    fts_overflow,
    ids_where,
    pg_contains_ids,
    run,
    scan_sql,
    scope_sql,
    stream,
    union,
)
from tui_crm.storage.db import Database

PAGE = 50
COUNT_CAP = 1000  # broad queries say "1,000+" instead of counting everything
SCAN_BUDGET = 200_000  # customer ids scanned per page for a 1–2 character name fragment
SCAN_WINDOW = 20_000  # ids per scan query (a newer keystroke stops it between them)
FTS_BOUND = 2_000  # trigram matches checked against scope on a keystroke (deep: all)


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
        cancelled: Callable[[], bool] | None = None,
    ) -> SearchPage:
        """One page of customers in the actor's scope matching every fragment of `query`.

        Index paths only, unless `deep`: then one or two characters are also looked for
        inside names by a bounded scan (`SearchPage.pending` says when that could add
        rows; the screen asks for it right after showing the first rows)."""
        actor.require(Permission.CUSTOMER_READ)
        started = perf_counter()
        within(query or "", MAX_QUERY, field="query", label=("查询内容", "The search text"))
        parsed = parse(query)
        limit = max(1, min(limit, 200))
        offset = max(0, offset)
        if not parsed.searchable:
            hint = too_short_hint(parsed) if parsed.compact else None
            return SearchPage(parsed.text, [], offset, hint=hint)
        need = offset + limit + 1
        with self._cursor() as cursor:
            scope = self._scope(cursor, actor)
            manager = actor.id if mine else None
            found = None
            if parsed.whole is not None:
                found = self._collect(
                    cursor, (parsed.whole,), need, scope, manager, deep, cancelled
                )
            if found is None or not found.ids:
                found = self._collect(cursor, parsed.tokens, need, scope, manager, deep, cancelled)
            resolve_found(lambda sql: self._run(cursor, sql), found.ids)
            ordered = list(found.ids)
            total = found.total
            hits = self._describe(cursor, ordered[offset : offset + limit], found)
            hint = None
            if not ordered and scope is not None:
                hint = self._outside_scope_hint(cursor, parsed)
            if not ordered and hint is None:
                hint = plate_hint(parsed)
        return SearchPage(
            query=parsed.text,
            hits=hits,
            offset=offset,
            total=total,
            total_capped=not found.complete or found.pending or total > COUNT_CAP,
            count_cap=COUNT_CAP,
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
            ids = resolve_ids(
                lambda sql: self._run(cursor, sql), self._ids(cursor, probe, scope, limit=5)
            )
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
            return self._describe(cursor, ids, Found(), scope)

    # ------------------------------------------------------------------ internals
    @property
    def _dialect(self) -> str:
        return self.database.dialect

    def _cursor(self) -> AbstractContextManager[Any]:
        return open_cursor(self.database)

    def _run(self, cursor: Any, statement: Sql, *, prepare: bool = False) -> list[Any]:
        return run(cursor, statement, self._dialect, prepare=prepare)

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
        cancelled: Callable[[], bool] | None = None,
    ) -> Found:
        routable = [t for t in tokens if t.probes]
        found = Found(tokens=tokens)
        if not routable:
            return found
        driver = min(routable, key=lambda t: t.cost)
        found.driver = driver
        checks = Checks(
            others=[t.probes for t in routable if t is not driver],
            loose=[t.text for t in tokens if not t.probes],
            scope=scope,
            manager=manager,
        )
        fetched = self._streams(cursor, driver, need, checks, deep)
        for k, probe in enumerate(driver.probes):
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
                ids, done = self._scan(cursor, probe, wanted + 1, need, checks, cancelled)
                found.complete = found.complete and done and len(ids) <= wanted
                for customer_id in ids:
                    found.ids.setdefault(customer_id, []).append((probe, None))
                continue
            if probe.field == NAME and probe.mode == CONTAINS and self._dialect != "sqlite":
                rows = self._contains_pg(cursor, probe, need, checks, deep)
            else:
                rows = fetched[k]
            found.pending = found.pending or rows.pending
            found.beyond += rows.beyond
            found.complete = found.complete and rows.matched <= COUNT_CAP
            for customer_id, value in rows:
                found.ids.setdefault(customer_id, []).append((probe, value))
        return found

    def _streams(
        self,
        cursor: Any,
        driver: Token,
        need: int,
        checks: Checks,
        deep: bool,
    ) -> dict[int, Rows]:
        """Every index stream of the driving token in one statement (UNION ALL), then,
        in a second, the capped counts of those that filled a page and whether a bounded
        trigram stream saw all its matches: two round trips whatever the token means.
        A bounded trigram stream reads to the count cap in the first statement (its count
        is its length), so its matches are not looked up a second time."""
        sqlite = self._dialect == "sqlite"
        runs: dict[int, tuple[Probe, int | None]] = {}
        for k, probe in enumerate(driver.probes):
            if probe.is_scan or (probe.field == NAME and probe.mode == CONTAINS and not sqlite):
                continue
            fts = probe.field == NAME and probe.mode == CONTAINS
            runs[k] = (probe, FTS_BOUND if fts and checks.narrow and not deep else None)
        out = {k: Rows() for k in runs}
        if not runs:
            return out
        sql = Sql()
        where = checks.where(sql, self._dialect)
        limits = {k: need if bound is None else COUNT_CAP + 1 for k, (_, bound) in runs.items()}
        members = [
            (k, stream(probe, sql, self._dialect, limits[k], where, checks.scope, bound).text)
            for k, (probe, bound) in runs.items()
        ]
        for k, customer_id, value in self._run(cursor, union(sql, members), prepare=True):
            out[k].append((customer_id, value))
        sql = Sql()
        where = checks.where(sql, self._dialect)
        counts: list[tuple[int, str]] = []
        for k, (probe, bound) in runs.items():
            if bound is not None and len(out[k]) >= need:
                rows, out[k] = out[k], Rows(out[k][:need])
                out[k].matched, out[k].beyond = len(rows), len(rows) - need
            elif len(out[k]) >= need:
                text = stream(
                    probe, sql, self._dialect, COUNT_CAP + 1, where, checks.scope, bound
                ).text
                counts.append((k, f"SELECT count(*) FROM ({text}) q"))
            if bound is not None:
                counts.append((-1 - k, fts_overflow(probe, sql, bound).text))
        for k, counted in self._run(cursor, union(sql, counts), prepare=True) if counts else []:
            if k < 0:
                out[-1 - k].pending = counted > FTS_BOUND
                continue
            out[k].matched = counted
            out[k].beyond = counted - len(out[k])
        return out

    def _contains_pg(
        self,
        cursor: Any,
        probe: Probe,
        need: int,
        checks: Checks,
        deep: bool,
    ) -> "Rows":
        """Names containing 3+ characters on PostgreSQL: the ids pg_trgm finds (at most
        FTS_BOUND on a keystroke; PostgreSQL picks the trigram index for rare fragments
        and a scan that stops early for common ones), then the other conditions."""
        bound = None if deep else FTS_BOUND
        ids = sorted(row[0] for row in self._run(cursor, pg_contains_ids(probe, Sql(), bound)))
        out = Rows()
        if bound is not None and len(ids) > bound:
            out.pending = True
            ids = ids[:bound]
        sql = Sql()
        where = checks.where(sql, self._dialect)
        where += scope_sql(checks.scope)
        if where and ids:
            ids = [row[0] for row in self._run(cursor, ids_where(sql, ids, where))]
        out.extend((i, None) for i in ids[:need])
        out.matched = len(ids)
        out.beyond = max(0, len(ids) - need)
        return out

    def _scan(
        self,
        cursor: Any,
        probe: Probe,
        limit: int,
        need: int,
        checks: Checks,
        cancelled: Callable[[], bool] | None = None,
    ) -> tuple[list[int], bool]:
        """Names containing one or two characters, a window of ids at a time, stopped
        after `limit` matches or a budget of ids that grows with the page asked for."""
        top = self._run(cursor, Sql("SELECT max(id) FROM customer"))[0][0] or 0
        budget = SCAN_BUDGET * max(1, -(-need // PAGE))
        found: list[int] = []
        low = 0
        while low < top and low < budget and len(found) < limit:
            if cancelled is not None and cancelled():
                return found, False  # a newer keystroke: stop between windows
            high = min(low + SCAN_WINDOW, budget)
            sql = Sql()
            where = checks.where(sql, self._dialect)
            where += scope_sql(checks.scope)
            statement = scan_sql(probe, sql, self._dialect, low, high, limit - len(found), where)
            found.extend(row[0] for row in self._run(cursor, statement))
            low = high
        return found, low >= top

    def _describe(
        self,
        cursor: Any,
        ids: list[int],
        found: Found,
        scope: frozenset[int] | None = None,
    ) -> list[SearchHit]:
        if not ids:
            return []
        if self._dialect == "sqlite":
            rows = describe_sqlite(lambda sql: self._run(cursor, sql), ids, scope)
        else:
            rows = self._run(cursor, describe_sql(self._dialect, ids, scope), prepare=True)
        return describe(rows, ids, found)

    def _outside_scope_hint(self, cursor: Any, parsed: ParsedQuery) -> str | None:
        return outside_scope_hint(
            parsed,
            lambda probe: self._ids(cursor, probe, None, limit=5),
            lambda statement: self._run(cursor, statement),
        )
