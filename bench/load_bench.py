"""Many clerks at once on one book: search, open the 360 view, edit (with version
conflicts), quote, nominate for the blacklist and export a report, for a fixed time.

    python bench/load_bench.py DATABASE_URL [--sessions 50] [--seconds 60] [--seed 1]

Each session is a thread signed in as a demo user (counter for search, 360, edit and
quote; claims for nominations; manager for exports), working through a weighted random
mix with no think time. Edits and nominations aim at a small hot set of customers so
sessions really collide. Prints operations, p50/p95 per operation, and errors by kind:
*expected* refusals (a stale version, a duplicate nomination, an already blacklisted
customer, the unit's quota) apart from anything else, which is a defect.
Build the book first: `tui-crm demo --customers 20000` with TUI_CRM_DATABASE_URL set.
"""

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text

from tui_crm.services.container import make_services
from tui_crm.services.core.errors import ServiceError
from tui_crm.storage.db import Database, make_engine, normalise_url

EXPECTED = {"stale_version", "duplicate", "already_blacklisted", "quota", "quota_reached"}
MIX = (("search", 35), ("open_360", 25), ("edit", 15), ("quote", 15), ("nominate", 5),
       ("export", 5))  # fmt: skip
QUOTE = {
    "use": "family",
    "seats": "5",
    "displacement": "1.6",
    "first_registration": "2023-04-01",
    "new_car_price": "150000",
    "coverage": ["damage", "third_party:1000000"],
}
FRAGMENTS = ("王", "张伟", "李", "zw", "wang", "5678", "浙F", "1380", "陈", "刘洋", "ly", "330402")


def open_database(url: str, sessions: int) -> Database:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return Database(make_engine(url))
    # One pool as wide as the sessions (each clerk holds one connection while working).
    engine = create_engine(
        url, pool_size=sessions, max_overflow=10, pool_pre_ping=True,
        connect_args={"prepare_threshold": None},
    )  # fmt: skip
    return Database(engine)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.expected: Counter[str] = Counter()
        self.defects: Counter[str] = Counter()
        self.samples: dict[str, str] = {}

    def done(self, op: str, seconds: float) -> None:
        with self.lock:
            self.times[op].append(seconds)

    def failed(self, op: str, error: BaseException) -> None:
        code = getattr(error, "code", "")
        with self.lock:
            if isinstance(error, ServiceError) and code in EXPECTED:
                self.expected[f"{op}: {code}"] += 1
            else:
                kind = f"{op}: {type(error).__name__} {code}".strip()
                self.defects[kind] += 1
                self.samples.setdefault(kind, str(error)[:300])


def clerk(services: Any, actors: dict[str, Any], ids: list[int], hot: list[int],
          candidates: list[int], stop: float, tally: Tally, seed: int) -> None:  # fmt: skip
    rng = random.Random(seed)
    ops, weights = zip(*MIX, strict=True)
    export_dir = Path(tempfile.mkdtemp(prefix="load-bench-"))
    while time.monotonic() < stop:
        op = rng.choices(ops, weights)[0]
        start = time.perf_counter()
        try:
            if op == "search":
                services.search.search(actors["counter"], rng.choice(FRAGMENTS))
            elif op == "open_360":
                services.customers.view(actors["counter"], rng.choice(ids))
            elif op == "edit":
                customer = rng.choice(hot)
                form = services.customers.edit_form(actors["counter"], customer)
                time.sleep(rng.random() * 0.05)  # the clerk types; others save meanwhile
                # Masked identifiers stay as they are (None), as the form sends them.
                masked = {
                    k: None for k, v in vars(form.values).items() if isinstance(v, str) and "*" in v
                }
                values = replace(form.values, note=f"回访 {rng.randrange(10**6)}", **masked)
                services.customers.update(
                    actors["counter"], customer, values, version=form.version,
                    allow_duplicates=True,
                )  # fmt: skip
            elif op == "quote":
                services.premium.quote(
                    actors["counter"], {**QUOTE, "seats": str(rng.randint(2, 9))}
                )
            elif op == "nominate":
                services.blacklist.nominate(
                    actors["claims"], rng.choice(candidates), ["frequent_claims"], "负载测试"
                )
            else:
                result = services.reports.run(actors["manager"], "product", {})
                services.reports.export(actors["manager"], result, export_dir / "product.csv")
        except Exception as error:
            tally.failed(op, error)
        else:
            tally.done(op, time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    database = open_database(args.url, args.sessions)
    services = make_services(database)
    actors = {
        role: services.auth.sign_in(role, "demo-pass") for role in ("counter", "claims", "manager")
    }
    with database.connect() as connection:
        ids = [r[0] for r in connection.execute(text(
            "SELECT id FROM customer WHERE unit_id IN (SELECT id FROM org_unit"
            " WHERE code LIKE '330402%') ORDER BY id"))]  # fmt: skip
    rng = random.Random(args.seed)
    hot = rng.sample(ids, 20)
    candidates = [c.customer_id for c in services.blacklist_views.candidates(actors["claims"])]
    candidates = candidates[:30] or hot
    services.reports.run(actors["manager"], "product", {})  # the cube, made once before
    print(f"{database.dialect}: {args.sessions} sessions × {args.seconds:.0f} s; "
          f"{len(ids):,} customers in scope, hot set 20, candidates {len(candidates)}")  # fmt: skip

    tally = Tally()
    stop = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=clerk,
            args=(services, actors, ids, hot, candidates, stop, tally, args.seed * 1000 + n),
        )
        for n in range(args.sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    total = sum(len(t) for t in tally.times.values())
    print(f"operations: {total:,} ({total / args.seconds:.0f}/s)")
    print(f"{'operation':<10} {'ok':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for op, _ in MIX:
        times = sorted(tally.times.get(op, []))
        if not times:
            print(f"{op:<10} {0:>7}")
            continue
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{op:<10} {len(times):>7} {statistics.median(times) * 1000:>8.0f} "
              f"{p95 * 1000:>8.0f}")  # fmt: skip
    print("expected refusals:", dict(tally.expected) or "none")
    print("defects:", dict(tally.defects) or "none")
    for kind, sample in tally.samples.items():
        print(f"  {kind}: {sample}")
    database.dispose()


if __name__ == "__main__":
    main()
