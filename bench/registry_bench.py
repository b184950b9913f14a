"""Duplicate candidates and registry matching on a demo book: prints figures only.

    python bench/registry_bench.py --customers 100000 --vehicles 50000
    python bench/registry_bench.py --url sqlite:////path/demo.db --existing --vehicles 500000

Without --existing a demo book of --customers is built into a fresh SQLite file. The
registry snapshot is synthetic: half of it the book's own vehicles (VIN, or plate only,
or owner ID only), half vehicles we never insured, owners grouped two or three vehicles
each; 1 row in 100 bad. The snapshot is imported twice (the second changes nothing).
"""

import argparse
import os
import sys
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import select

from tui_crm.services.accounts.auth import build_actor
from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.demo import build_demo
from tui_crm.services.setup import ensure_ready
from tui_crm.services.validation import id_18_from_15
from tui_crm.services.validation.vehicle import vin_check_digit
from tui_crm.storage.db import Database
from tui_crm.storage.models import Customer, OrgUnit, RolePermission, StaffUser, Vehicle

AS_OF = date(2026, 11, 25)
DISTRICTS = ("330402", "330411", "330421", "330424", "330481", "330482", "330483")


def actor(database: Database, username: str, role: str):  # type: ignore[no-untyped-def]
    with database.session() as session:
        if role == "manager" and not session.get(RolePermission, ("manager", "customer.merge")):
            session.add(RolePermission(role="manager", permission="customer.merge"))  # older book
            session.commit()
        user = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
        if user is None:
            centre = session.exec(select(OrgUnit).where(OrgUnit.code == "3304")).one()
            user = StaffUser(username=username, display_name=username, role=role,
                             unit_id=centre.id or 0, password_hash="x")  # fmt: skip
            session.add(user)
            session.commit()
        return build_actor(session, user)


def vin(serial: int) -> str:
    draft = f"LBENCH00X{serial:08d}"
    return draft[:8] + vin_check_digit(draft) + draft[9:]


def snapshot(database: Database, size: int) -> list[dict[str, str]]:
    with database.session() as session:
        ours = session.exec(
            select(Vehicle.plate, Vehicle.vin, Customer.name, Customer.id_number)
            .join(Customer, Customer.id == Vehicle.owner_customer_id)
            .where(Customer.kind == "individual")
            .limit(size // 2)
        ).all()
    rows = []
    for i, (plate, known_vin, name, id_number) in enumerate(ours):
        row = {"plate": plate or "", "vin": known_vin or "", "owner_name": name,
               "owner_id": id_number or "", "registration_date": "2020-05-01",
               "use": "family", "district_code": DISTRICTS[i % 7]}  # fmt: skip
        if i % 3 == 1:
            row["vin"] = ""  # plate only
        elif i % 3 == 2:
            row["plate"] = (plate or "")[1:]  # plate without 浙
        rows.append(row)
    serial = 0
    while len(rows) < size:
        serial += 1
        k = serial // 3  # two or three vehicles per owner
        born = f"{50 + k % 50:02d}{1 + k // 50 % 12:02d}{1 + k // 600 % 28:02d}"
        owner = id_18_from_15(f"330402{born}{k // 16800 % 1000:03d}")
        rows.append({"plate": "", "vin": vin(serial), "owner_name": f"车主{serial // 3}",
                     "owner_id": owner, "registration_date": "2021-08-15", "use": "family",
                     "district_code": DISTRICTS[serial % 7]})  # fmt: skip
    for i in range(0, len(rows), 100):
        rows[i] = {**rows[i], "district_code": "33"}  # bad
    return rows


def figures(started: float, cpu: float) -> str:
    """Wall and CPU time (user+sys of this process) since the marks, and the load average."""
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return (f"wall {time.perf_counter() - started:.1f} s, "
            f"CPU {time.process_time() - cpu:.1f} s, load {load}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--vehicles", type=int, default=50_000, help="registry snapshot rows")
    parser.add_argument("--url", default="sqlite:////tmp/registry_bench.db")
    parser.add_argument("--existing", action="store_true", help="use the book already there")
    args = parser.parse_args()
    database = Database.from_url(args.url)
    if not args.existing:
        started = time.perf_counter()
        build_demo(database, args.customers, as_of=AS_OF, replace=True)
        print(f"demo book, {args.customers:,} customers: {time.perf_counter() - started:.1f} s")
    ensure_ready(database)
    services = make_services(
        database, clock=FixedClock(datetime(2026, 11, 25, 10, 0)), fast_hash=True
    )
    manager = actor(database, "bench_mgr", "manager")
    admin = actor(database, "bench_admin", "admin")
    with database.session() as session:
        books = session.exec(select(Customer.id)).all()
    print(f"book: {len(books):,} customers")

    started, cpu = time.perf_counter(), time.process_time()
    found = services.duplicates.candidates(manager, limit=1_000_000)
    print(f"duplicate candidates: {len(found):,} pairs; {figures(started, cpu)}")

    rows = snapshot(database, args.vehicles)
    for attempt in ("first", "second"):
        started, cpu = time.perf_counter(), time.process_time()
        result = services.registry.import_rows(admin, rows, name="bench", snapshot=AS_OF)
        print(f"registry import ({attempt}), {len(rows):,} rows: {figures(started, cpu)}; "
              f"{result.as_json()}, changed {result.changed:,}, "
              f"new customers {result.new_customers:,}")  # fmt: skip
    database.dispose()


if __name__ == "__main__":
    main()
