"""Adjusters on duty and the staff SMS query on a large book.

    python bench/adjusters_bench.py --url sqlite:////path/to/copy-of-demo.db
                                    [--claims 5000] [--queries 200]

Writes into the book it is given (a roster of three 8-hour shifts a day for every county
over the days of the latest claims, a staff mobile, the queries and their replies): run
it on a copy. Prints, wall and CPU time (user+sys of this process):

- naming the adjuster for the latest `--claims` claims (`ClaimContacts`, as a care-task
  run does), per claim;
- `--queries` staff queries `CX <plate> <PIN>` for plates of the staff member's units,
  each a full service call (phone look-up, daily count, PIN check with the production
  argon2 profile, vehicle, policy and claim, reply queued, audit), per query.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import col, select

from tui_crm.services.adjusters import ClaimContacts
from tui_crm.services.container import make_services
from tui_crm.services.core.clock import BRANCH_TZ
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database
from tui_crm.storage.models import (
    AdjusterShift,
    Claim,
    Customer,
    OrgUnit,
    StaffUser,
    Threshold,
    Vehicle,
)

PHONE = "13912399999"
PIN = "2468"


def cpu() -> float:
    t = os.times()
    return t.user + t.system


def roster(database: Database, first: datetime, days: int) -> int:
    with database.session() as session:
        counties = session.exec(select(OrgUnit).where(OrgUnit.level == "county")).all()
        admin = session.exec(select(StaffUser).where(StaffUser.role == "admin")).first()
        assert admin is not None and admin.id is not None
        rows = []
        for unit in counties:
            for day in range(days + 1):
                for shift in range(3):
                    start = first + timedelta(days=day, hours=8 * shift)
                    rows.append(
                        AdjusterShift(
                            name=f"查勘{unit.code[-2:]}{shift}",
                            phone="13800001111",
                            unit_id=unit.id or 0,
                            starts_at=start,
                            ends_at=start + timedelta(hours=8),
                            created_by_id=admin.id,
                        )
                    )
        session.add_all(rows)
        session.commit()
        return len(rows)


def name_adjusters(database: Database, n: int) -> None:
    with database.session() as session:
        claims = session.exec(select(Claim).order_by(col(Claim.report_date).desc()).limit(n)).all()
        first = datetime.combine(min(c.report_date for c in claims), datetime.min.time(), BRANCH_TZ)
        days = (max(c.report_date for c in claims) - min(c.report_date for c in claims)).days
    shifts = roster(database, first, days)
    with database.session() as session:
        claims = session.exec(select(Claim).order_by(col(Claim.report_date).desc()).limit(n)).all()
        wall, used = time.perf_counter(), cpu()
        contacts = ClaimContacts(session)
        named = [contacts(c) for c in claims]
        wall, used = time.perf_counter() - wall, cpu() - used
    sources = {s: sum(1 for c in named if c and c.source == s) for s in ("roster", "handler")}
    print(f"roster: {shifts} shifts over {days + 1} days; {len(claims)} claims named "
          f"({sources}) in {wall:.2f} s wall, {used:.2f} s CPU "
          f"= {1000 * wall / len(claims):.2f} ms a claim")  # fmt: skip


def queries(database: Database, n: int) -> None:
    services = make_services(database)  # production argon2 profile
    with database.session() as session:
        staff = session.exec(select(StaffUser).where(StaffUser.username == "claims")).one()
        threshold = session.get(Threshold, "sms.staff_query_daily_limit")
        assert threshold is not None
        threshold.value = "1000"
        session.commit()
    admin = services.auth.actor_for("admin")
    services.staff_sms.register(admin, "claims", PHONE, PIN)
    asker = services.auth.actor_for(staff.username)
    with database.session() as session:
        if session.exec(select(StaffUser).where(StaffUser.username == "sms_gw")).first() is None:
            session.add(StaffUser(username="sms_gw", display_name="短信网关", role="gateway",
                                  unit_id=admin.unit_id, password_hash="!"))  # fmt: skip
            session.commit()
    gateway = services.auth.actor_for("sms_gw")
    with database.session() as session:
        plates = session.exec(
            select(Vehicle.plate)
            .join(Customer, col(Customer.id) == Vehicle.owner_customer_id)
            .where(col(Customer.unit_id).in_(asker.scope_unit_ids))
            .limit(20_000)
        ).all()
    chosen = random.Random(7).sample([p for p in plates if p], n)
    times = []
    wall, used = time.perf_counter(), cpu()
    for plate in chosen:
        start = time.perf_counter()
        result = services.staff_sms.query(gateway, PHONE, f"CX {plate} {PIN}")
        times.append(time.perf_counter() - start)
        assert result.outcome == "answered", result
    wall, used = time.perf_counter() - wall, cpu() - used
    print(f"staff queries: {n} in {wall:.2f} s wall, {used:.2f} s CPU; per query median "
          f"{1000 * statistics.median(times):.0f} ms, max {1000 * max(times):.0f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    database = Database.from_url(args.url)
    ensure_ready(database)  # seeds what the book lacks (the new threshold)
    print(f"load average {os.getloadavg()[0]:.1f}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    name_adjusters(database, args.claims)
    queries(database, args.queries)
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
