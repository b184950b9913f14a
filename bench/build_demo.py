"""Demo book build: N customers (default 1,000,000) into a fresh SQLite file and, with
--pg URL, into PostgreSQL; prints time per phase, rows per table, size, peak memory.

    python bench/build_demo.py [--customers N] [--seed S] [--as-of DATE] [--pg URL] [--keep]

The PostgreSQL database given is emptied (schema dropped and recreated).
"""

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from tui_crm.services.demo import DEFAULT_SEED, DemoResult, build_demo
from tui_crm.storage.db import Database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 25))
    parser.add_argument("--pg", metavar="URL", help="also build into this PostgreSQL database")
    parser.add_argument("--sqlite", metavar="PATH", help="SQLite file (default: a temp file)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    if not args.skip_sqlite:
        path = Path(args.sqlite or tempfile.mkdtemp(prefix="tui-crm-bench-"))
        if path.is_dir():
            path = path / "demo.db"
        path.unlink(missing_ok=True)
        database = Database.from_url(f"sqlite:///{path}")
        result, wall = _build(database, args)
        _report("SQLite", result, wall, f"{path.stat().st_size / 2**20:,.0f} MiB")
        database.dispose()
        if not args.keep:
            path.unlink(missing_ok=True)
    if args.pg:
        database = Database.from_url(args.pg)
        result, wall = _build(database, args, replace=True)
        with database.connect() as connection:
            size = connection.execute(
                text("SELECT pg_size_pretty(pg_database_size(current_database()))")
            ).scalar()
        _report("PostgreSQL", result, wall, str(size))
        database.dispose()


def _build(
    database: Database, args: argparse.Namespace, replace: bool = False
) -> tuple[DemoResult, float]:
    samples: list[float] = []
    done = threading.Event()

    def sample() -> None:  # the 1-minute load average every 10 s (shared machine)
        while not done.wait(10.0):
            samples.append(os.getloadavg()[0])

    threading.Thread(target=sample, daemon=True).start()
    start = time.perf_counter()
    cpu_before = _cpu()
    result = build_demo(
        database,
        args.customers,
        seed=args.seed,
        as_of=args.as_of,
        replace=replace,
        progress=_progress(start),
    )
    sys.stderr.write("\n")
    cpu_after = _cpu()
    loader_cpu, producer_cpu = cpu_after[0] - cpu_before[0], cpu_after[1] - cpu_before[1]
    result.seconds["cpu: loader process"] = loader_cpu
    result.seconds["cpu: generator process"] = producer_cpu
    done.set()
    if samples:
        print(f"load average during the build: min {min(samples):.1f},"
              f" mean {sum(samples) / len(samples):.1f}, max {max(samples):.1f}")  # fmt: skip
    return result, time.perf_counter() - start


def _cpu() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def _progress(start: float):  # type: ignore[no-untyped-def]
    def show(phase: str, done: int, total: int) -> None:
        sys.stderr.write(f"\r{phase} {done:,}/{total:,}  {time.perf_counter() - start:6.1f} s ")
        sys.stderr.flush()

    return show


def _report(label: str, result: DemoResult, wall: float, size: str) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\n== {label}: {result.customers:,} customers in {wall:.1f} s, size {size},"
          f" peak RSS {peak:,.0f} MiB (generator process {children:,.0f} MiB)")  # fmt: skip
    print("phase seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items()))
    for table, count in sorted(result.rows.items()):
        print(f"  {table:<18} {count:>12,}")


if __name__ == "__main__":
    main()
