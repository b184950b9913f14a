"""SMS and worklists at scale: a 100,000-message campaign built and queued, the
dispatcher against the loopback gateway, the renewal worklist of one unit.

    python bench/sms_bench.py [--customers 100000] [--dispatch 20000] [--policies 300000]
                              [--url postgresql+psycopg://...]

A synthetic book (customers with a mobile, consent and a car; policies spread over the
year across the county units) goes into a fresh SQLite file, or into the given
PostgreSQL database, which it empties.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select

from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database
from tui_crm.storage.models import (
    Contact,
    Customer,
    OrgUnit,
    Policy,
    StaffUser,
    Vehicle,
)

TODAY = datetime(2026, 11, 25, 10, 0)
COUNTIES = ["330402", "330411", "330421", "330424", "330481", "330482", "330483"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--dispatch", type=int, default=20_000)
    parser.add_argument("--policies", type=int, default=300_000)
    parser.add_argument("--url", help="PostgreSQL URL (emptied); default a SQLite temp file")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    folder = Path(tempfile.mkdtemp(prefix="tui-crm-sms-"))
    database = Database.from_url(args.url or f"sqlite:///{folder / 'sms.db'}")
    if args.url:
        database.drop_schema()
    ensure_ready(database)
    services = make_services(database, clock=FixedClock(TODAY), fast_hash=True)
    started = time.perf_counter()
    ids = _book(database, args.customers, args.policies)
    print(
        f"book: {args.customers:,} customers, {args.policies:,} policies "
        f"in {time.perf_counter() - started:.1f} s"
    )
    am, gateway_user = _users(services)

    started, cpu = time.perf_counter(), time.process_time()
    preview = services.campaigns.build(
        am,
        name="bench",
        template_code="disaster_warning",
        customer_ids=ids,
        values={"event": "台风"},
    )
    built, built_cpu = time.perf_counter() - started, time.process_time() - cpu
    progress = services.campaigns.queue(am, preview.id)
    total, total_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"campaign of {preview.total:,}: built {built:.1f} s (CPU {built_cpu:.1f} s), "
        f"built and queued {total:.1f} s (CPU {total_cpu:.1f} s) ({progress.by_status}), "
        f"load average {os.getloadavg()[0]:.1f}"
    )

    # Dispatcher: a smaller queue of its own (the campaign's messages cancelled first).
    services.campaigns.cancel(am, preview.id)
    second = services.campaigns.build(
        am,
        name="dispatch",
        template_code="disaster_warning",
        customer_ids=ids[: args.dispatch],
        values={"event": "暴雨"},
    )
    services.campaigns.queue(am, second.id)
    from tui_crm.services.sms import SpoolGateway

    gateway = SpoolGateway(folder / "spool")
    started = time.perf_counter()
    report = services.sms_dispatcher.dispatch_once(
        gateway_user, gateway, batch=500, rate_per_minute=10_000_000
    )
    seconds = time.perf_counter() - started
    print(
        f"dispatch: {report.sent:,} sent through the loopback spool in {seconds:.1f} s "
        f"= {report.sent / seconds:,.0f} msg/s"
    )
    started = time.perf_counter()
    inbound = services.sms_inbox.collect(gateway_user, gateway)
    seconds = time.perf_counter() - started
    print(f"delivery reports: {inbound.reports:,} in {seconds:.1f} s")

    for days in (30, 60, 90):
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            items = services.renewals.worklist(am, days=days, unit="330402", limit=500)
            timings.append(time.perf_counter() - started)
        timings.sort()
        print(
            f"renewals, unit 330402, next {days} days, first page: {len(items):,} policies, "
            f"median {timings[2] * 1000:.0f} ms, worst {timings[-1] * 1000:.0f} ms"
        )
    database.dispose()
    shutil.rmtree(folder, ignore_errors=True)


def _users(services):  # type: ignore[no-untyped-def]
    from tui_crm.services.accounts import make_hasher

    hasher = make_hasher(fast=True)
    with services.database.session() as session:
        unit = session.exec(select(OrgUnit).where(OrgUnit.code == "330402")).scalar_one()
        centre = session.exec(select(OrgUnit).where(OrgUnit.code == "3304")).scalar_one()
        for username, role, unit_id in (
            ("bench_am", "account_manager", unit.id),
            ("bench_gw", "gateway", centre.id),
        ):
            session.add(
                StaffUser(
                    username=username,
                    display_name=username,
                    role=role,
                    unit_id=unit_id,
                    password_hash=hasher.hash("x"),
                )
            )
        session.commit()
    return services.auth.actor_for("bench_am"), services.auth.actor_for("bench_gw")


def _book(database: Database, customers: int, policies: int) -> list[int]:
    """Customers of 330402 first (the campaign list), then policies over every county."""
    now = datetime.now(UTC)
    with database.session() as session:
        units = dict(session.execute(select(OrgUnit.code, OrgUnit.id)).all())
        nanhu = units["330402"]
        session.execute(
            insert(Customer.__table__),
            [  # type: ignore[attr-defined]
                {
                    "kind": "individual",
                    "name": f"客户{i:06d}",
                    "unit_id": nanhu,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for i in range(customers)
            ],
        )
        ids = list(session.execute(select(Customer.id).order_by(Customer.id)).scalars())
        session.execute(
            insert(Contact.__table__),
            [  # type: ignore[attr-defined]
                {
                    "customer_id": c,
                    "kind": "mobile",
                    "value": f"13{i:09d}",
                    "value_norm": f"13{i:09d}",
                    "is_primary": True,
                    "consent_marketing_sms": i % 20 != 0,
                    "created_at": now,
                }
                for i, c in enumerate(ids)
            ],
        )
        session.execute(
            insert(Vehicle.__table__),
            [  # type: ignore[attr-defined]
                {"owner_customer_id": c, "plate": f"浙F{i:06d}", "use": "family", "seats": 5}
                for i, c in enumerate(ids)
            ],
        )
        start = TODAY.date() - timedelta(days=365)
        rows = []
        for i in range(policies):
            begin = start + timedelta(days=i % 365)
            rows.append(
                {
                    "policy_no": f"PBENCH{i:010d}",
                    "line_code": "motor_commercial",
                    "customer_id": ids[i % len(ids)],
                    "unit_id": units[COUNTIES[i % len(COUNTIES)]],
                    "start_date": begin,
                    "end_date": begin + timedelta(days=364),
                    "sum_insured": 100000,
                    "premium": 1000,
                    "commission": 0,
                    "status": "active",
                    "channel": "direct",
                    "issued_at": now,
                }
            )
        session.execute(insert(Policy.__table__), rows)  # type: ignore[attr-defined]
        session.commit()
    return ids


if __name__ == "__main__":
    main()
