"""Customer search on a large book: service latency per fragment kind, and keystroke →
rows on screen in the TUI.

    python bench/search_bench.py DATABASE_URL [--per-kind 100] [--tui]

Queries are drawn from the data (seeded): 1,000+ in all across the fragment kinds of the
search (names of 1, 2 and 3+ characters, pinyin initials and full pinyin, ID number full /
first digits / last digits, phone full / last 4, plate with and without province, VIN full
/ last 6, policy and claim numbers full / last 8, credit codes, combined fragments).
Each runs as a county counter (org-scope filter on) and as a centre manager (every unit,
no filter). Prints p50 / p95 / max wall-clock milliseconds per kind, and the CPU time of
the call (what it costs when the machine is not shared), then the deep search (one or
two characters looked for inside names too, which the screen runs after the first rows).
Build a book first with `tui-crm demo --customers 1000000` (or bench/search_book.py).
"""

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from tui_crm.services.container import make_services
from tui_crm.storage.db import Database
from tui_crm.storage.models import OrgUnit, StaffUser

USERS = (("bench_counter", "counter", "330402"), ("bench_manager", "manager", "3304"))


def ensure_users(services: Any) -> list[Any]:
    from sqlmodel import select

    with services.database.session() as session:
        for username, role, unit in USERS:
            if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
                continue
            unit_id = session.exec(select(OrgUnit.id).where(OrgUnit.code == unit)).one()
            session.add(
                StaffUser(
                    username=username,
                    display_name=username,
                    role=role,
                    unit_id=unit_id,
                    password_hash="-",
                )
            )
        session.commit()
    return [services.auth.actor_for(u) for u, _, _ in USERS]


def sample_queries(database: Database, per_kind: int, seed: int = 5) -> dict[str, list[str]]:
    rng = random.Random(seed)
    with database.connect() as c:
        top = c.execute(text("SELECT max(id) FROM customer")).scalar() or 1

        def rows(sql: str, n: int) -> list[Any]:
            out: list[Any] = []
            while len(out) < n:
                ids = [rng.randrange(1, top + 1) for _ in range(n)]
                marks = ",".join(str(i) for i in ids)
                out += c.execute(text(sql.format(ids=marks))).all()
            rng.shuffle(out)
            return out[:n]

        people = rows(
            "SELECT name, name_pinyin, name_initials, id_number FROM customer "
            "WHERE id IN ({ids}) AND kind = 'individual'",
            per_kind,
        )
        firms = rows(
            "SELECT name, name_initials, id_number FROM customer "
            "WHERE id IN ({ids}) AND kind <> 'individual' AND id_number IS NOT NULL",
            per_kind,
        )
        phones = rows(
            "SELECT value_norm, (SELECT substr(name, 1, 1) FROM customer WHERE id = customer_id)"
            " FROM contact WHERE customer_id IN ({ids}) AND value_norm IS NOT NULL",
            per_kind,
        )
        cars = rows(
            "SELECT plate, vin FROM vehicle"
            " WHERE owner_customer_id IN ({ids}) AND plate IS NOT NULL",
            per_kind,
        )
        policies = rows("SELECT policy_no FROM policy WHERE customer_id IN ({ids})", per_kind)
        claims = rows("SELECT claim_no FROM claim WHERE customer_id IN ({ids})", per_kind)

    def middle(name: str, size: int) -> str:
        start = rng.randrange(0, max(1, len(name) - size))
        return name[start : start + size]

    return {
        "name 1 char": [p[0][0] for p in people],
        "name 2 chars": [p[0][:2] for p in people],
        "name 3+ chars": [p[0] for p in people if len(p[0]) >= 3][:per_kind]
        + [middle(f[0], 4) for f in firms][: per_kind // 3],
        "company 2 chars (middle)": [middle(f[0], 2) for f in firms],
        "pinyin initials": [p[2] for p in people],
        "pinyin full": [p[1] for p in people],
        "ID full": [p[3] for p in people],
        "ID first 6-10": [p[3][: rng.randrange(6, 11)] for p in people],
        "ID last 4-6": [p[3][-rng.randrange(4, 7) :] for p in people],
        "phone full": [p[0] for p in phones],
        "phone last 4 (+ID/plate)": [p[0][-4:] for p in phones],
        "plate 浙F12345": [c[0] for c in cars],
        "plate F12345 (no province)": [c[0][1:].lower() for c in cars],
        "VIN full": [c[1] for c in cars],
        "VIN last 6-8": [c[1][-rng.randrange(6, 9) :] for c in cars],
        "policy no. full": [p[0] for p in policies],
        "policy no. last 8": [p[0][-8:] for p in policies],
        "claim no. full": [c[0] for c in claims],
        "credit code": [f[2] for f in firms],
        "surname + phone last 4": [f"{p[1]} {p[0][-4:]}" for p in phones],
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_service(services: Any, actors: list[Any], queries: dict[str, list[str]]) -> None:
    search = services.search
    for actor in actors:
        for kind_queries in queries.values():  # warm caches and statement compilation
            for q in kind_queries[:5]:
                search.search(actor, q)
        print(f"\n-- {actor.username} ({actor.role}, {len(actor.scope_unit_ids)} units in scope)")
        print(
            f"{'fragment kind':28} {'n':>5} {'p50':>7} {'p95':>7} {'max':>7}"
            f" {'cpu p50':>8} {'cpu p95':>8} {'rows':>5}"
        )
        every: list[float] = []
        every_cpu: list[float] = []
        for kind, kind_queries in queries.items():
            times, cpu, hits = [], [], []
            for q in kind_queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                page = search.search(actor, q)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                hits.append(len(page.hits))
            every += times
            every_cpu += cpu
            print(
                f"{kind:28} {len(times):5d} {statistics.median(times):7.2f}"
                f" {percentile(times, 0.95):7.2f} {max(times):7.2f}"
                f" {statistics.median(cpu):8.2f} {percentile(cpu, 0.95):8.2f}"
                f" {statistics.median(hits):5.0f}"
            )
        print(
            f"{'ALL':28} {len(every):5d} {statistics.median(every):7.2f}"
            f" {percentile(every, 0.95):7.2f} {max(every):7.2f}"
            f" {statistics.median(every_cpu):8.2f} {percentile(every_cpu, 0.95):8.2f}"
        )
        deep = [q for q in queries["name 1 char"] + queries["company 2 chars (middle)"]]
        times = []
        for q in deep:
            started = time.perf_counter()
            search.search(actor, q, deep=True)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{'(deep: + inside names)':28} {len(times):5d} {statistics.median(times):7.2f}"
            f" {percentile(times, 0.95):7.2f} {max(times):7.2f}"
        )


async def run_tui(services: Any, queries: dict[str, list[str]], samples: int = 60) -> None:
    """Keystroke → rows on screen, on the real app with the Pilot: the time from the key
    press of the last character of a query to the first paint of the results table
    after the rows for that query arrived (its `render_line`, i.e. the frame)."""
    from tui_crm.app import make_app
    from tui_crm.config import Settings
    from tui_crm.screens.search import SearchScreen
    from tui_crm.widgets.results_table import ResultsTable

    marks: dict[str, float] = {}
    render_line = ResultsTable.render_line
    on_done = SearchScreen.on_search_screen_done

    def painted(self: Any, y: int) -> Any:
        if "rows" in marks and "painted" not in marks:
            marks["painted"] = time.perf_counter()
            marks["painted_cpu"] = time.process_time()
        return render_line(self, y)

    def done(self: Any, message: Any) -> None:
        on_done(self, message)
        if self.shown_query == self.page_query():
            marks.setdefault("rows", time.perf_counter())

    ResultsTable.render_line = painted  # type: ignore[method-assign]
    SearchScreen.on_search_screen_done = done  # type: ignore[method-assign]
    actor = services.auth.actor_for("bench_counter")
    app = make_app(Settings(database_url="sqlite://"), services.database, services=services)
    rng = random.Random(3)
    mix = [q for qs in queries.values() for q in qs if " " not in q]
    rng.shuffle(mix)
    latencies: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=(140, 40)) as pilot:
        app.actor = actor
        screen = SearchScreen(services, actor)
        await app.push_screen(screen)
        await pilot.pause(0.3)
        for query in mix[:samples]:
            screen.box.value = query[:-1]  # typed so far; then a pause as between keys
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            marks.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            await pilot.press(query[-1])
            while "painted" not in marks and time.perf_counter() - started < 5:
                await asyncio.sleep(0.001)
            latencies.append((marks.get("painted", time.perf_counter()) - started) * 1000)
            cpu.append((marks.get("painted_cpu", time.process_time()) - started_cpu) * 1000)
    print(f"\n-- TUI keystroke → rows on screen ({len(latencies)} keystrokes, Pilot, 140×40)")
    print(
        f"wall: p50 {statistics.median(latencies):.0f} ms  p95 {percentile(latencies, 0.95):.0f}"
        f" ms  max {max(latencies):.0f} ms"
    )
    print(
        f"CPU of the process meanwhile (all threads): p50 {statistics.median(cpu):.0f} ms"
        f"  p95 {percentile(cpu, 0.95):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="database URL (default TUI_CRM_DATABASE_URL)")
    parser.add_argument("--per-kind", type=int, default=60)
    parser.add_argument("--tui", action="store_true", help="also measure keystroke → rows")
    parser.add_argument("--tui-only", action="store_true", help="only keystroke → rows")
    args = parser.parse_args()
    import os

    url = args.url or os.environ.get("TUI_CRM_DATABASE_URL")
    if not url:
        print(__doc__)
        return
    database = Database.from_url(url)
    services = make_services(database, fast_hash=True)
    with database.connect() as c:
        count = c.execute(text("SELECT count(*) FROM customer")).scalar()
    print(f"{database.dialect}: {count:,} customers")
    actors = ensure_users(services)
    queries = sample_queries(database, args.per_kind)
    print(f"{sum(len(q) for q in queries.values()):,} queries per user")
    if not args.tui_only:
        run_service(services, actors, queries)
    if args.tui or args.tui_only:
        asyncio.run(run_tui(services, queries))


if __name__ == "__main__":
    main()
