"""Report bench on a demo book: every report (and view), a one-year period for the whole
centre and the whole book (all years), on SQLite and, when given, PostgreSQL.

The report cube and the customer facts are brought up to date first (timed: a rebuild on
a book that has none),
then the first report is timed alone, then every report. Periods are whole months (the
default: the 12 whole months before the as-of month; the whole book: from the first
policy's month to the end of the month before the as-of month), which the cube answers.

Build the book first, e.g.
    TUI_CRM_DATABASE_URL=sqlite:////tmp/demo1m.db tui-crm demo --customers 1000000
then
    python bench/report_bench.py --sqlite /tmp/demo1m.db [--pg postgresql+psycopg://...]
        [--as-of 2026-11-25] [--views all|default] [--repeat 2] [--reports a,b]
        [--no-facts]

`--no-facts` leaves the customer facts unused (the views read the base tables, as they
did before the facts): the "before" figures of the views the facts answer.
Each figure is the best of `--repeat` runs (the first warms the cache), in seconds.
"""

import argparse
import os
import sys
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.reports import ReportService, all_reports
from tui_crm.services.reports.engine.params import default_period
from tui_crm.storage.db import Database
from tui_crm.storage.models import Customer, Policy


def _runs(views: str, only: list[str] | None = None) -> list[tuple[str, str | None]]:
    runs: list[tuple[str, str | None]] = []
    for report in all_reports():
        if only and report.name not in only:
            continue
        param = report.param("view")
        if param is None:
            runs.append((report.name, None))
        elif views == "all":
            runs += [(report.name, c.code) for c in param.choices]
        else:
            runs.append((report.name, param.choices[0].code))
    return runs


def _time(service: ReportService, actor, name: str, raw: dict[str, str], repeat: int):  # type: ignore[no-untyped-def]
    best = float("inf")
    rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = service.run(actor, name, raw)
        best = min(best, time.perf_counter() - started)
        rows = result.row_count
    return best, rows


def bench(
    url: str,
    as_of: date,
    views: str,
    repeat: int,
    rebuild: bool = False,
    only: list[str] | None = None,
) -> dict[tuple[str, str | None], tuple[float, float]]:
    database = Database.from_url(url)
    services = make_services(
        database, clock=FixedClock(datetime(as_of.year, as_of.month, as_of.day, 12))
    )
    with database.connect() as connection:
        customers = connection.execute(select(func.count()).select_from(Customer)).scalar_one()
        policies = connection.execute(select(func.count()).select_from(Policy)).scalar_one()
        first = connection.execute(select(func.min(Policy.start_date))).scalar_one()
    print(f"\n{database.dialect}: {customers:,} customers, {policies:,} policies, since {first}")
    actor = services.auth.actor_for("manager")  # the centre: the whole book is in scope
    service = ReportService(database, services.clock)
    start, end = default_period(as_of)  # the 12 whole months before the as-of month
    year = {"from": start.isoformat(), "to": end.isoformat()}
    whole = {"from": first.replace(day=1).isoformat(), "to": end.isoformat()}
    wall, cpu = time.perf_counter(), time.process_time()
    done = service.refresh_cube(actor, full=rebuild)
    print(
        f"report cube and customer facts: {done.outcome} in {time.perf_counter() - wall:.1f} s "
        f"(CPU of this process {time.process_time() - cpu:.1f} s)"
    )
    first_name = _runs(views, only)[0][0]
    wall = time.perf_counter()
    service.run(actor, first_name, year)
    print(f"first report ({first_name}, one year): {time.perf_counter() - wall:.2f} s")
    figures = {}
    print(f"{'report':<16}{'view':<14}{'one year':>10}{'rows':>7}{'whole book':>12}{'rows':>7}")
    for name, view in _runs(views, only):
        extra = {"view": view} if view else {}
        one, one_rows = _time(service, actor, name, {**year, **extra}, repeat)
        all_years, all_rows = _time(service, actor, name, {**whole, **extra}, max(1, repeat - 1))
        figures[(name, view)] = (one, all_years)
        print(
            f"{name:<16}{view or '':<14}{one:>9.2f}s{one_rows:>7}{all_years:>11.2f}s{all_rows:>7}",
            flush=True,
        )
    database.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", help="path of a SQLite demo book")
    parser.add_argument("--pg", help="PostgreSQL URL of a demo book")
    parser.add_argument("--as-of", default="2026-11-25", help="the book's today")
    parser.add_argument("--views", choices=["all", "default"], default="all")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--reports", help="comma-separated report names (default: all)")
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the report cube and customer facts first"
    )
    parser.add_argument(
        "--no-facts",
        action="store_true",
        help="leave the customer facts unused: the views read the base tables (as before them)",
    )
    args = parser.parse_args()
    if args.no_facts:
        from tui_crm.services.reports.customer_facts import query as customer_facts_query

        customer_facts_query.facts_for = lambda context: None  # type: ignore[assignment]
    as_of = date.fromisoformat(args.as_of)
    only = args.reports.split(",") if args.reports else None
    if not args.sqlite and not args.pg:
        path = os.environ.get("TUI_CRM_BENCH_SQLITE", "")
        if not path or not Path(path).exists():
            print(
                "No demo book given: build one with `tui-crm demo --customers 1000000` and pass "
                "--sqlite PATH (and --pg URL)."
            )
            return
        args.sqlite = path
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.sqlite:
        bench(f"sqlite:///{args.sqlite}", as_of, args.views, args.repeat, args.rebuild, only)
    if args.pg:
        bench(args.pg, as_of, args.views, args.repeat, args.rebuild, only)
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
