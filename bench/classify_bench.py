"""Classification run over a whole book: prints the time of a first and a steady run.

    python bench/classify_bench.py --customers 1000000                  # SQLite file
    python bench/classify_bench.py --customers 1000000 --url postgresql+psycopg://...
    python bench/classify_bench.py --url sqlite:////path/demo.db --existing  # a demo book
    python bench/classify_bench.py --url ... --existing --replicate 200  # 5,000 → 1,000,000

Without --existing the database is emptied and a synthetic book is built
(bench/classify_book.py). The first run classifies everybody (every row changes); the
second run, same as-of date, finds nothing to change; the third moves the as-of date a
day on (windows slide, some customers change). Figures only, no assertions.
"""

import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from classify_book import AS_OF, build, replicate, reset_classes
from sqlalchemy import text

from tui_crm.services.accounts.auth import build_actor
from tui_crm.services.classification.engine import ClassificationService
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database
from tui_crm.storage.models import OrgUnit, StaffUser


def manager(database: Database):  # type: ignore[no-untyped-def]
    from sqlmodel import select

    with database.session() as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == "bench_mgr")).first()
        if user is None:
            centre = session.exec(select(OrgUnit).where(OrgUnit.code == "3304")).one()
            user = StaffUser(
                username="bench_mgr",
                display_name="bench",
                role="manager",
                unit_id=centre.id or 0,
                password_hash="x",
            )
            session.add(user)
            session.commit()
        return build_actor(session, user)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--url", default="sqlite:////tmp/classify_bench.db")
    parser.add_argument("--existing", action="store_true", help="use the book already there")
    parser.add_argument(
        "--reset", action="store_true", help="with --existing: forget classes first (bench only)"
    )
    parser.add_argument(
        "--replicate",
        type=int,
        default=0,
        metavar="K",
        help="with --existing: first copy the book there K−1 more times (bench databases only)",
    )
    parser.add_argument("--as-of", default=AS_OF.isoformat())
    parser.add_argument("--chunk", type=int, default=50_000)
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    if not args.existing and args.url.startswith("sqlite:///"):
        Path(args.url.split("///", 1)[1]).unlink(missing_ok=True)
    database = Database.from_url(args.url)
    if not args.existing:
        if not args.url.startswith("sqlite"):
            database.drop_schema()
        ensure_ready(database)
        started = time.perf_counter()
        sizes = build(database, args.customers)
        print(f"built {sizes} in {time.perf_counter() - started:.1f} s")
    else:
        ensure_ready(database)
        if args.replicate > 1:
            started = time.perf_counter()
            sizes = replicate(database, args.replicate)
            print(f"replicated ×{args.replicate}: {sizes} in {time.perf_counter() - started:.1f} s")
        if args.reset or args.replicate > 1:
            reset_classes(database)
    with database.connect() as connection:
        for table in ("customer", "policy", "claim", "receivable"):
            count = connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
            print(f"{table}: {count:,}")
    actor = manager(database)
    service = ClassificationService(database, FixedClock(datetime(2026, 11, 25, 10)))
    for label, day in (
        ("first run", as_of),
        ("steady run (same as-of)", as_of),
        ("next day", as_of + timedelta(days=1)),
    ):
        started, cpu, before = time.perf_counter(), time.process_time(), os.times()
        result = service.run(actor, day, chunk_size=args.chunk)
        seconds, cpu, after = time.perf_counter() - started, time.process_time() - cpu, os.times()
        reader = (after.children_user + after.children_system) - (
            before.children_user + before.children_system
        )
        print(
            f"{database.dialect} {label}: {seconds:.1f} s wall, {cpu:.1f} s CPU in this process"
            f" + {reader:.1f} s in the reader process"
            f" — {result.customers:,} customers,"
            f" {result.updated:,} rows updated, {result.changes:,} class changes;"
            f" load average {os.getloadavg()[0]:.1f}"
        )
        print("   phases (s):", result.timings)
        print("   counts:", result.counts)
    database.dispose()


if __name__ == "__main__":
    main()
