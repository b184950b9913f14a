"""`tui-crm demo --customers N [--seed S] [--as-of DATE] [--replace]`: build the demo book."""

import argparse
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from tui_crm.cli.common import (
    add_common_options,
    bounded_int,
    command,
    current_settings,
    fail,
    print_json,
    print_table,
)
from tui_crm.cli.parser import iso_date
from tui_crm.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="build a realistic, deterministic Jiaxing demo book into the configured database",
    )
    parser.add_argument(
        "--customers",
        type=bounded_int(0, 5_000_000),
        default=20_000,
        metavar="N",
        help="how many (default 20000)",
    )
    parser.add_argument(
        "--seed", type=bounded_int(0, 2**32 - 1), default=None, metavar="S", help="random seed"
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the book's 'today' (default: today); same N, seed and date → same book",
    )
    parser.add_argument(
        "--replace", action="store_true", help="drop and recreate a database that has data"
    )
    add_common_options(parser, user=False)
    parser.set_defaults(handler=_demo)


@command
def _demo(args: argparse.Namespace) -> int:
    from tui_crm.services.demo import DEFAULT_SEED, build_demo
    from tui_crm.storage.db import Database

    if args.customers < 0:
        fail(tr("客户数不能为负", "The number of customers cannot be negative"), field="customers")
    as_of = None
    if args.as_of:
        try:
            as_of = date.fromisoformat(args.as_of)
        except ValueError:
            fail(tr("日期格式应为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"), field="as_of")
    settings = current_settings()
    database = Database.from_url(settings.database_url)
    try:
        with _terminate_as_interrupt():
            result = build_demo(
                database,
                args.customers,
                seed=DEFAULT_SEED if args.seed is None else args.seed,
                as_of=as_of,
                replace=args.replace,
                progress=_progress,
            )
    except (KeyboardInterrupt, Terminated):
        sys.stderr.write(
            "\n"
            + tr(
                "已中断：演示数据未建立，数据库保持原样",
                "Interrupted: no demo book was built; the database is as it was",
            )
            + "\n"
        )
        return 130
    finally:
        database.dispose()
    sys.stderr.write("\n")
    if args.json:
        print_json(
            {
                "database": _safe_url(settings.database_url),
                "customers": result.customers,
                "seed": result.seed,
                "as_of": result.as_of,
                "rows": result.rows,
                "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
            }
        )
        return 0
    print(
        tr(
            "演示数据已建立：{n} 个客户（种子 {s}，基准日 {d}），用时 {t:.1f} 秒",
            "Demo book built: {n} customers (seed {s}, as of {d}) in {t:.1f} s",
            n=result.customers,
            s=result.seed,
            d=result.as_of.isoformat(),
            t=sum(result.seconds.values()),
        )
    )
    print_table(sorted(result.rows.items()), [tr("表", "table"), tr("行数", "rows")])
    print(tr("演示用户密码：demo-pass", "Demo users' password: demo-pass"))
    return 0


class Terminated(BaseException):
    """SIGTERM while building. Not a KeyboardInterrupt: Python remembers a
    KeyboardInterrupt that passed through some C-level calls and then ends the process by
    SIGINT (exit -2) even after the program handled it and chose its own exit code."""


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl+C, so the build's clean-up (temporary files, rollback)
    runs instead of the process vanishing mid-build."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise Terminated

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _progress(phase: str, done: int, total: int) -> None:
    if phase == "customers":
        sys.stderr.write(
            "\r" + tr("生成客户 {d}/{t}", "Customers {d}/{t}", d=done, t=total) + " " * 8
        )
    else:
        sys.stderr.write("\r" + tr("建立索引…", "Building indexes…") + " " * 24)
    sys.stderr.flush()


def _safe_url(url: str) -> str:
    """The URL without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url
