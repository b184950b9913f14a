"""Extract import: generate customers, policies and claims files (streamed to disk), import
them into an empty book, then import the same files again; prints seconds, rows per second
and peak memory per step.

    python bench/import_bench.py [--customers 100000] [--policies 300000] [--claims 60000]
                                 [--pg URL] [--keep DIR]

The default scale is the one docs/imports.md is measured at. A fresh SQLite file in a temp
folder is always used; with --pg URL the PostgreSQL database given is emptied (schema
dropped and recreated) and measured too.
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stdnum.cn import ric

from tui_crm.services.accounts import make_hasher
from tui_crm.services.container import make_services
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database
from tui_crm.storage.models import StaffUser

UNITS = ["330402", "330411", "330421", "330424", "330481", "330482", "330483"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国"
AREAS = ["330402", "330411", "330421", "330424", "330481", "330482", "330483"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_id(rng: random.Random, serial: int) -> str:
    """Unique per serial: area, birth day and sequence number all follow from it."""
    born = date(1950, 1, 1) + timedelta(days=serial % (365 * 55))
    area = AREAS[(serial // (365 * 55)) % len(AREAS)]
    body = f"{area}{born:%Y%m%d}{(serial // (365 * 55 * len(AREAS))) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def customer_key(index: int) -> str:
    return f"C{index:08d}"


def generate(folder: Path, customers: int, policies: int, claims: int) -> None:
    rng = random.Random(14)
    with (folder / "customers.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["customer_key", "kind", "name", "id_number", "phone", "address", "unit_code"])
        for i in range(customers):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            phone = f"13{rng.randrange(0, 10)}{rng.randrange(0, 10**8):08d}"
            out.writerow(
                [customer_key(i), "individual", name, resident_id(rng, i), phone,
                 f"嘉兴市某路{i % 997}号", rng.choice(UNITS)]
            )  # fmt: skip
    with (folder / "policies.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["policy_no", "product", "holder_key", "unit_code", "start_date", "end_date",
             "premium", "sum_insured", "status"]
        )  # fmt: skip
        for i in range(policies):
            start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 1060))
            product = rng.choice(["ctpl", "commercial_motor", "accident", "property"])
            premium = f"{rng.randrange(300, 20000)}.{rng.randrange(0, 100):02d}"
            status = "cancelled" if i % 50 == 0 else "in_force"
            out.writerow(
                [f"PD{i:020d}", product, customer_key(rng.randrange(customers)),
                 rng.choice(UNITS), start, start + timedelta(days=364), premium,
                 rng.randrange(1, 100) * 10000, status]
            )  # fmt: skip
    with (folder / "claims.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["claim_no", "policy_no", "loss_date", "reported_date", "status", "paid",
             "outstanding", "cause"]
        )  # fmt: skip
        for i in range(claims):
            loss = date(2024, 2, 1) + timedelta(days=rng.randrange(0, 1000))
            closed = rng.random() < 0.7
            out.writerow(
                [f"CL{i:020d}", f"PD{rng.randrange(policies):020d}", loss,
                 loss + timedelta(days=1), "closed" if closed else "open",
                 f"{rng.randrange(0, 30000)}.00" if closed else "0",
                 "0" if closed else f"{rng.randrange(100, 30000)}.00", "collision"]
            )  # fmt: skip


def measure(url: str, folder: Path, label: str) -> None:
    database = Database.from_url(url)
    if not url.startswith("sqlite"):
        database.drop_schema()
    ensure_ready(database)
    services = make_services(database, fast_hash=True)
    with database.session() as session:
        session.add(
            StaffUser(
                username="bench",
                display_name="bench",
                role="admin",
                unit_id=1,
                password_hash=make_hasher(fast=True).hash("bench-pass"),
            )
        )
        session.commit()
    actor = services.auth.actor_for("bench")
    for round_ in ("first import", "re-import"):
        total = cpu_total = 0.0
        for kind in ("customers", "policies", "claims"):
            started, cpu = time.perf_counter(), time.process_time()
            result = services.imports.run(actor, kind, folder / f"{kind}.csv")
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            total += seconds
            cpu_total += cpu
            print(
                f"{label:10} {round_:12} {kind:10} {result.read:>8,} rows {seconds:7.1f} s "
                f"(CPU {cpu:.1f} s, {result.read / seconds:>8,.0f}/s) ins {result.inserted:,} "
                f"upd {result.updated:,} same {result.unchanged:,} rej {result.rejected:,} "
                f"peak {peak_mb():,.0f} MB, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        print(f"{label:10} {round_:12} total {total:.1f} s, CPU {cpu_total:.1f} s", flush=True)
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--policies", type=int, default=300_000)
    parser.add_argument("--claims", type=int, default=60_000)
    parser.add_argument("--pg", metavar="URL", help="also measure this PostgreSQL database")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--keep", metavar="DIR", help="write the files here and keep them")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    folder = Path(args.keep or tempfile.mkdtemp(prefix="tui-crm-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    generate(folder, args.customers, args.policies, args.claims)
    sizes = ", ".join(
        f"{p.name} {p.stat().st_size / 2**20:.0f} MiB" for p in sorted(folder.iterdir())
    )
    print(f"generated in {time.perf_counter() - started:.1f} s: {sizes}; peak {peak_mb():,.0f} MB")
    if not args.skip_sqlite:
        measure(f"sqlite:///{folder / 'bench.db'}", folder, "SQLite")
    if args.pg:
        measure(args.pg, folder, "PostgreSQL")


if __name__ == "__main__":
    main()
