"""`tui-crm refresh [--full] --user U [--json]`: bring the derived data (report cube,
customer facts) up to date from the change log — the step the nightly run takes after its
imports.

    → {cube, facts, changes, policies, claims, customers, seconds}
      cube / facts: "fresh" | "incremental" | "rebuilt"; changes: log rows applied;
      policies, claims, customers: what was taken out and put back (0 on a rebuild)
"""

import argparse
import sys

from tui_crm.cli.common import add_common_options, print_json, with_actor
from tui_crm.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "refresh",
        help="bring the report cube and customer facts up to date from the change log",
        description="Apply the logged changes and the new rows to the derived data.",
    )
    parser.add_argument(
        "--full", action="store_true", help="rebuild the derived data instead of applying changes"
    )
    add_common_options(parser)
    parser.set_defaults(handler=_refresh)


@with_actor
def _refresh(args, services, actor) -> int:
    show = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int, stage: str) -> None:
        if show:
            sys.stderr.write(f"\r{stage} {done + 1:,}/{max(total, 1):,}   ")
            sys.stderr.flush()

    done = services.reports.refresh_derived(actor, full=args.full, progress=progress)
    if show:
        sys.stderr.write("\n")
    if args.json:
        print_json(done.as_json())
        return 0
    words = {
        "fresh": tr("已是最新", "up to date"),
        "incremental": tr("已按变更更新", "changes applied"),
        "rebuilt": tr("已重建", "rebuilt"),
    }
    print(
        tr(
            "报表汇总{cube}，客户数据{facts}：应用变更 {n} 条（保单 {p}，赔案 {c}，客户 {k}），"
            "用时 {s:.1f} 秒",
            "Report cube {cube}, customer facts {facts}: {n} changes applied (policies {p}, "
            "claims {c}, customers {k}) in {s:.1f} s",
            cube=words[done.cube],
            facts=words[done.facts],
            n=done.changes,
            p=done.policies,
            c=done.claims,
            k=done.customers,
            s=done.seconds,
        )
    )
    return 0
