"""Incremental refresh bench: on a demo book, change N policies and M claims (a nightly
import's worth), then time the refresh of the derived data by the change log and the next
report, against a full rebuild.

Build the book first, e.g.
    python bench/build_demo.py --customers 1000000 --sqlite /tmp/demo1m.db --keep
then
    python bench/incremental_bench.py --sqlite /tmp/demo1m.db [--policies 10000]
        [--claims 2000] [--seed 1] [--skip-rebuild]

The book is changed in place (a copy is advised). Steps, each timed:
1. the change log's triggers installed and the cube and customer facts rebuilt (a book
   that has none; `--skip-rebuild` when they are already fresh);
2. the changes written (cancellations, premium and date changes, policies moved to
   another customer; claims paid and closed), with the triggers logging them;
3. the incremental refresh (`ReportService.refresh_derived`), with what it applied;
4. the next reports: the product report (cube) and the customer value report (customer
   facts) for the 12 whole months before the as-of month.
"""

import argparse
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
    started = time.perf_counter()
    database.create_schema()  # the change log and its triggers on an older book
    if not args.skip_rebuild:
        done = service.refresh_derived(actor, full=True)
        print(f"full rebuild: {done.seconds:.1f} s")
    started = time.perf_counter()
    with database.connect() as connection:
        change(connection, args.policies, args.claims, args.seed)
        log = DerivedChange.__table__  # type: ignore[attr-defined]
        logged = connection.execute(select(func.count()).select_from(log)).scalar_one()
    print(
        f"changed {args.policies:,} policies and {args.claims:,} claims "
        f"(triggers logged {logged:,} rows): {time.perf_counter() - started:.1f} s"
    )
    done = service.refresh_derived(actor)
    print(f"incremental refresh: {done.seconds:.2f} s {done.as_json()}")
    start, end = default_period(as_of)
    year = {"from": start.isoformat(), "to": end.isoformat()}
    for name in ("product", "customer_value", "product"):
        started = time.perf_counter()
        service.run(actor, name, year)
        print(f"next report {name} (one year): {time.perf_counter() - started:.2f} s")
    database.dispose()


if __name__ == "__main__":
    main()
