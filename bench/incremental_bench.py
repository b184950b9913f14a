"""Incremental refresh bench: on a demo book, change N policies and M claims (a nightly
import's worth), then time the refresh of the derived data by the change log and the next
report, against a full rebuild.

Build the book first, e.g.
    python bench/build_demo.py --customers 1000000 --sqlite /tmp/demo1m.db --keep
then
    python bench/incremental_bench.py --sqlite /tmp/demo1m.db [--policies 10000]
        [--claims 2000] [--seed 1] [--skip-rebuild]

The book is changed in place (a copy is advised). Steps, each timed:
1. the change log's triggers installed and the cube and customer facts rebuilt
   (`--skip-rebuild`: only brought up to date, which rebuilds a store of an older layout);
2. the changes written (cancellations, premium and date changes, policies moved to
   another customer; claims paid and closed), with the triggers logging them;
3. the incremental refresh (`ReportService.refresh_derived`), with what it applied;
4. the next reports: the product report (cube) and the customer value report (customer
   facts) for the 12 whole months before the as-of month.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Connection, bindparam, func, select, update

from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.reports import ReportService
from tui_crm.services.reports.engine.params import default_period
from tui_crm.services.reports.engine.tables import CL, P
from tui_crm.storage.db import Database
from tui_crm.storage.models import DerivedChange


def change(connection: Connection, policies: int, claims: int, seed: int) -> None:
    rng = random.Random(seed)
    top = connection.execute(select(func.max(P.c.id))).scalar_one()
    chosen = rng.sample(range(1, top + 1), policies)
    rows = connection.execute(
        select(P.c.id, P.c.start_date, P.c.premium, P.c.customer_id).where(P.c.id.in_(chosen))
    ).all()
    customers = [r.customer_id for r in rows]
    cancelled, repriced, moved = [], [], []
    for number, row in enumerate(rows):
        if number % 3 == 0:  # cancelled a month or more after its start
            cancelled.append({"pid": row.id, "day": row.start_date + timedelta(days=30)})
        elif number % 3 == 1:  # premium and start date corrected
            repriced.append(
                {
                    "pid": row.id,
                    "premium": (row.premium * Decimal("1.1")).quantize(Decimal("0.01")),
                    "start": row.start_date + timedelta(days=rng.randint(-20, 20)),
                }
            )
        else:  # moved to another customer
            moved.append({"pid": row.id, "customer": rng.choice(customers)})
    pid = P.c.id == bindparam("pid")
    if cancelled:
        statement = update(P).where(pid).values(status="cancelled", cancelled_on=bindparam("day"))
        connection.execute(statement, cancelled)
    if repriced:
        values = {"premium": bindparam("premium"), "start_date": bindparam("start")}
        connection.execute(update(P).where(pid).values(**values), repriced)
    if moved:
        connection.execute(update(P).where(pid).values(customer_id=bindparam("customer")), moved)
    claim_top = connection.execute(select(func.max(CL.c.id))).scalar_one()
    paid = [
        {"cid": i, "paid": Decimal(rng.randint(10_000, 3_000_000)) / 100}
        for i in rng.sample(range(1, claim_top + 1), claims)
    ]
    connection.execute(
        update(CL)
        .where(CL.c.id == bindparam("cid"))
        .values(paid=bindparam("paid"), outstanding=Decimal("0.00"), status="closed"),
        paid,
    )


def timed(label: str, started: tuple[float, float], extra: str = "") -> None:
    """Print wall and CPU seconds since `started` and the load average now."""
    wall = time.perf_counter() - started[0]
    cpu = time.process_time() - started[1]
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU (load {load}){extra}", flush=True)


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def cube_rows(database: Database) -> str:
    """How many rows the cube holds, and how many of its cells are repeated or all zero."""
    from tui_crm.services.reports.cube.store import CUBE, MEASURES

    keys = [CUBE.c.month, CUBE.c.cancel_month, CUBE.c.unit_id, CUBE.c.line_code]
    keys += [CUBE.c[n] for n in ("channel", "kind", "industry", "ownership", "gender")]
    keys += [CUBE.c[n] for n in ("v_use", "intermediary_id", "im_kind", "manager_id", "group_id")]
    zero = [CUBE.c[m] == 0 for m in MEASURES]
    with database.connect() as connection:
        rows = connection.execute(select(func.count()).select_from(CUBE)).scalar_one()
        cells = connection.execute(
            select(func.count()).select_from(select(*keys).group_by(*keys).subquery())
        ).scalar_one()
        zeros = connection.execute(select(func.count()).select_from(CUBE).where(*zero)).scalar_one()
    return f"cube: {rows:,} rows, {cells:,} cells, {zeros:,} rows all zero"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", help="path of a SQLite demo book")
    parser.add_argument("--pg", help="PostgreSQL URL of a demo book")
    parser.add_argument("--policies", type=int, default=10_000)
    parser.add_argument("--claims", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 25))
    parser.add_argument("--skip-rebuild", action="store_true")
    args = parser.parse_args()
    url = args.pg or f"sqlite:///{args.sqlite}"
    database = Database.from_url(url)
    as_of = args.as_of
    services = make_services(
        database, clock=FixedClock(datetime(as_of.year, as_of.month, as_of.day, 12))
    )
    actor = services.auth.actor_for("manager")
    service = ReportService(database, services.clock)
    with database.connect() as connection:
        customers = connection.execute(select(func.count()).select_from(P)).scalar_one()
    print(f"{database.dialect}: {customers:,} policies")
    database.create_schema()  # the change log and its triggers on an older book
    started = clocks()
    done = service.refresh_derived(actor, full=not args.skip_rebuild)
    # --skip-rebuild: derived data of an older layout is rebuilt here all the same.
    timed(f"refresh before the changes ({done.cube}, {done.facts})", started)
    print(cube_rows(database), flush=True)
    started = clocks()
    with database.connect() as connection:
        change(connection, args.policies, args.claims, args.seed)
        log = DerivedChange.__table__  # type: ignore[attr-defined]
        logged = connection.execute(select(func.count()).select_from(log)).scalar_one()
    timed(
        f"changed {args.policies:,} policies and {args.claims:,} claims "
        f"(triggers logged {logged:,} rows)",
        started,
    )
    started = clocks()
    done = service.refresh_derived(actor)
    timed("incremental refresh", started, f" {done.as_json()}")
    print(cube_rows(database), flush=True)
    start, end = default_period(as_of)
    year = {"from": start.isoformat(), "to": end.isoformat()}
    for name in ("product", "customer_value", "product"):
        started = clocks()
        service.run(actor, name, year)
        timed(f"next report {name} (one year)", started)
    database.dispose()


if __name__ == "__main__":
    main()
