"""Customer 360 data load on a large book: the customers with the most policies, and a
random sample.

    python bench/customer360_bench.py DATABASE_URL [--sample 200]

Times `CustomerService.view` (header, class and blacklist, every policy, vehicle, claim,
receivable, contact, service record, class history, group roll-up, and the loss ratios
per policy year aggregated in SQL) as a centre manager. Build the book first with
`tui-crm demo --customers 1000000`.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from tui_crm.services.container import make_services
from tui_crm.storage.db import Database


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(services: Any, actor: Any, ids: list[int], repeat: int = 3) -> list[float]:
    times = []
    for customer_id in ids:
        services.customers.view(actor, customer_id, remember=False)  # warm
        for _ in range(repeat):
            started = time.perf_counter()
            services.customers.view(actor, customer_id, remember=False)
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="database URL (default TUI_CRM_DATABASE_URL)")
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    url = args.url or os.environ.get("TUI_CRM_DATABASE_URL")
    if not url:
        print(__doc__)
        return
    sys.path.insert(0, str(Path(__file__).parent))
    from search_bench import ensure_users

    database = Database.from_url(url)
    services = make_services(database, fast_hash=True)
    manager = ensure_users(services)[1]
    with database.connect() as c:
        top = c.execute(
            text(
                "SELECT customer_id, count(*) FROM policy GROUP BY customer_id"
                " ORDER BY count(*) DESC LIMIT 10"
            )
        ).all()
        highest = c.execute(text("SELECT max(id) FROM customer")).scalar() or 1
    rng = random.Random(9)
    sample = [rng.randrange(1, highest + 1) for _ in range(args.sample)]
    print(f"{database.dialect}: customers with the most policies: {[n for _, n in top]}")
    busy = timed(services, manager, [cid for cid, _ in top])
    view = services.customers.view(manager, top[0][0], remember=False)
    print(
        f"busiest customer: {len(view.policies)} policies, {len(view.claims)} claims,"
        f" {len(view.vehicles)} vehicles, {len(view.loss_by_year)} policy years"
    )
    print(
        f"most policies (10 customers × 3): p50 {statistics.median(busy):.1f} ms"
        f"  p95 {percentile(busy, 0.95):.1f} ms  max {max(busy):.1f} ms"
    )
    every = timed(services, manager, sample, repeat=1)
    print(
        f"random sample ({len(sample)}): p50 {statistics.median(every):.1f} ms"
        f"  p95 {percentile(every, 0.95):.1f} ms  max {max(every):.1f} ms"
    )


if __name__ == "__main__":
    main()
