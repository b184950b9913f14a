"""The renewal worklist of one unit on an existing book (the 1M demo book, a copy of it).

    python bench/renewal_bench.py --url sqlite:///copy.db [--unit 330402] [--user supervisor]
                                  [--today 2026-11-25] [--limit 500] [--plan]

Times `RenewalService.worklist` for the next 30, 60 and 90 days (first page, median and
worst of 5, after one warm-up), with wall and CPU time, and with `--plan` prints SQLite's
`EXPLAIN QUERY PLAN` of the ids query. Reads only: run it on a copy all the same.
"""

import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.storage.db import Database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--unit", default="330402")
    parser.add_argument("--user", default="supervisor")
    parser.add_argument("--today", default="2026-11-25")
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--plan", action="store_true")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    database = Database.from_url(args.url)
    today = date.fromisoformat(args.today)
    clock = FixedClock(datetime(today.year, today.month, today.day, 10, 0))
    services = make_services(database, clock=clock, fast_hash=True)
    actor = services.auth.actor_for(args.user)
    if args.plan:
        _plan(services, actor, args.unit, today)
    for days in (30, 60, 90):
        services.renewals.worklist(actor, days=days, unit=args.unit, limit=args.limit)
        walls, cpus = [], []
        for _ in range(5):
            wall, cpu = time.perf_counter(), time.process_time()
            items = services.renewals.worklist(actor, days=days, unit=args.unit, limit=args.limit)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        walls.sort()
        cpus.sort()
        print(
            f"renewals, unit {args.unit}, next {days} days, first {args.limit}: "
            f"{len(items):,} rows, wall median {walls[2] * 1000:.0f} ms "
            f"(worst {walls[-1] * 1000:.0f}), CPU median {cpus[2] * 1000:.0f} ms"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    database.dispose()


def _plan(services, actor, unit: str, today: date) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import col

    from tui_crm.services.worklists.renewals import _details, _ids_query
    from tui_crm.storage.models import Policy

    units = services.renewals.org.subtree_ids(actor, unit)
    query = _ids_query(today, today + timedelta(days=60), units, None, None).limit(500)
    with services.database.connect() as connection:
        ids = [i for (i,) in connection.execute(query)]
    _explain(services, query)
    _explain(services, _details().where(col(Policy.id).in_(ids)))


def _explain(services, query) -> None:  # type: ignore[no-untyped-def]
    with services.database.connect() as connection:
        compiled = query.compile(connection, compile_kwargs={"literal_binds": True})
        prefix = "EXPLAIN QUERY PLAN " if services.database.is_sqlite else "EXPLAIN "
        for row in connection.exec_driver_sql(prefix + str(compiled)):
            print("  plan:", *row[-1:])


if __name__ == "__main__":
    main()
