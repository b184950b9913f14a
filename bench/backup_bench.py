"""Backup and restore of a demo book, and what a clerk's write waits while the backup runs.

`python bench/backup_bench.py [--customers 20000] [--pg postgresql+psycopg://...]`
Builds the demo book in a temporary folder (SQLite; with --pg also into that database's
`bench_backup` schema, restored into it again with --replace), then times `backup`,
`restore` (in-process: the CLI adds its interpreter start), and the median,
95th-percentile and longest commit of a writer that inserts a row every 10 ms while the
backup runs.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tui_crm.storage.backup import backup, restore
from tui_crm.storage.db import make_engine


def cli(url: str, *args: str) -> float:
    env = {**os.environ, "TUI_CRM_DATABASE_URL": url}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tui_crm", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def writer(url: str, stop: threading.Event, waits: list[float]) -> None:
    engine = create_engine(url)
    n = 0
    with engine.connect() as connection:
        while not stop.is_set():
            n += 1
            started = time.perf_counter()
            connection.execute(
                text("INSERT INTO book_meta (key, value) VALUES (:k, 'bench')"),
                {"k": f"bench-{os.getpid()}-{n}"},
            )
            connection.commit()
            waits.append(time.perf_counter() - started)
            time.sleep(0.01)
    engine.dispose()


def measure(url: str, restore_url: str, folder: Path, label: str) -> None:
    waits: list[float] = []
    stop = threading.Event()
    thread = threading.Thread(target=writer, args=(url, stop, waits))
    thread.start()
    time.sleep(0.2)
    started = time.perf_counter()
    engine = make_engine(url)
    backup(engine, folder / f"{label}.backup")
    engine.dispose()
    took = time.perf_counter() - started
    stop.set()
    thread.join()
    size = (folder / f"{label}.backup").stat().st_size / 2**20
    started = time.perf_counter()
    engine = make_engine(restore_url)
    restore(engine, folder / f"{label}.backup", replace=True)
    engine.dispose()
    restored = time.perf_counter() - started
    waits.sort()
    p95 = waits[int(len(waits) * 0.95)] * 1000
    print(
        f"{label}: backup {took:.2f} s ({size:.1f} MiB), restore {restored:.2f} s; "
        f"writer during backup: {len(waits)} commits, median "
        f"{statistics.median(waits) * 1000:.1f} ms, p95 {p95:.1f} ms, max {waits[-1] * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--pg", help="a PostgreSQL URL (the bench uses schemas of its own)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        url = f"sqlite:///{folder / 'book.db'}"
        built = cli(url, "demo", "--customers", str(args.customers))
        print(f"SQLite demo book, {args.customers} customers (built in {built:.0f} s)")
        measure(url, f"sqlite:///{folder / 'restored.db'}", folder, "sqlite")
        if args.pg:
            engine = create_engine(args.pg)
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA IF EXISTS bench_backup CASCADE"))
                connection.execute(text("CREATE SCHEMA bench_backup"))
            pg = f"{args.pg}?options=-csearch_path%3Dbench_backup,public"
            cli(pg, "demo", "--customers", str(args.customers))
            print(f"PostgreSQL demo book, {args.customers} customers")
            # The dump names its schema: restore into it, emptied (--replace).
            measure(pg, pg, folder, "postgresql")
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA IF EXISTS bench_backup CASCADE"))
            engine.dispose()


if __name__ == "__main__":
    main()
