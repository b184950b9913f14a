"""`tui-crm classify` (a whole-book run) and `tui-crm classes counts|flows|explain|history`.

tui-crm classify [--as-of DATE] --user U [--json]
    → {run_id, as_of, rule_version, status, customers, updated, changes, seconds,
       counts: {class: n for the six classes}, transitions: [{from, to, count}]}
      (`from` null: a customer classified for the first time)
tui-crm classes counts --from YYYY-MM --to YYYY-MM [--unit CODE] --user U [--json]
    → [{month, floating, prospect, standard, quality, key, blacklist}]
tui-crm classes flows --from DATE --to DATE [--unit CODE] --user U [--json]
    → {unit_code, from, to, total, moved, cells: [{from, to, count}]}  (`from` "new")
tui-crm classes explain CUSTOMER_ID [--as-of DATE] --user U [--json]
    → {customer_id, as_of, customer_class, stored_class, rule_version, flags,
       blacklist_candidate, reasons: [{code, message, numbers}]}  (nothing written)
tui-crm classes history CUSTOMER_ID --user U [--json]
    → [{changed_on, from, to, source, rule_version, reasons}]
"""

import argparse
import sys
from datetime import date
from typing import Any

from tui_crm.cli.common import add_common_options, fail, print_json, record_id, with_actor
from tui_crm.cli.parser import iso_date, iso_month
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label

CLASSES = ("floating", "prospect", "standard", "quality", "key", "blacklist")


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser(
        "classify", help="classify every customer (customer classes, history, monthly counts)"
    )
    run.add_argument(
        "--as-of", type=iso_date, metavar="DATE", help="as-of date YYYY-MM-DD (default: today)"
    )
    add_common_options(run)
    run.set_defaults(handler=_classify)

    classes = subparsers.add_parser("classes", help="class counts, flows, one customer's class")
    sub = classes.add_subparsers(dest="classes_command", metavar="COMMAND", required=True)
    counts = sub.add_parser("counts", help="customers per class, month by month")
    counts.add_argument("--from", dest="start", type=iso_month, required=True, metavar="YYYY-MM")
    counts.add_argument("--to", dest="end", type=iso_month, required=True, metavar="YYYY-MM")
    counts.add_argument("--unit", metavar="CODE", help="unit and the units below it")
    add_common_options(counts)
    counts.set_defaults(handler=_counts)
    flows = sub.add_parser("flows", help="from-class × to-class matrix for a period")
    flows.add_argument("--from", dest="start", type=iso_date, required=True, metavar="DATE")
    flows.add_argument("--to", dest="end", type=iso_date, required=True, metavar="DATE")
    flows.add_argument("--unit", metavar="CODE", help="unit and the units below it")
    add_common_options(flows)
    flows.set_defaults(handler=_flows)
    explain = sub.add_parser("explain", help="why a customer is in its class (writes nothing)")
    explain.add_argument("customer_id", type=record_id, metavar="CUSTOMER_ID")
    explain.add_argument(
        "--as-of", type=iso_date, metavar="DATE", help="as-of date YYYY-MM-DD (default: today)"
    )
    add_common_options(explain)
    explain.set_defaults(handler=_explain)
    history = sub.add_parser("history", help="a customer's class changes")
    history.add_argument("customer_id", type=record_id, metavar="CUSTOMER_ID")
    add_common_options(history)
    history.set_defaults(handler=_history)


def table(rows: list[list[Any]], headers: list[str]) -> None:
    """A readable table with CJK text aligned (wide characters count double)."""
    from tui_crm.services.reports import tabulate_cjk

    cells = [["" if v is None else str(v) for v in row] for row in rows]
    sys.stdout.write(tabulate_cjk(cells, headers, tablefmt="simple") + "\n")


def parse_day(value: str | None, field: str, *, month: bool = False) -> date | None:
    if value is None:
        return None
    text = value.strip()
    if month and len(text) == 7:
        text += "-01"
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(
            tr(
                "日期格式应为 YYYY-MM-DD：{v}",
                "Dates are YYYY-MM-DD: {v}",
                v=value,
            ),
            field=field,
        )
    raise AssertionError  # unreachable: fail raises


def _reasons(reasons: list[Any]) -> list[dict[str, Any]]:
    return [{"code": r.code, "message": r.message, "numbers": r.numbers} for r in reasons]


@with_actor
def _classify(args, services, actor) -> int:
    as_of = parse_day(args.as_of, "as_of")
    show = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int, stage: str) -> None:
        if show:
            sys.stderr.write(f"\r{stage} {done:,}/{total:,}   ")
            sys.stderr.flush()

    result = services.classification.run(actor, as_of, progress=progress)
    if show:
        sys.stderr.write("\n")
    data = {
        "run_id": result.run_id,
        "as_of": result.as_of,
        "rule_version": result.rule_version,
        "status": result.status,
        "customers": result.customers,
        "updated": result.updated,
        "changes": result.changes,
        "seconds": result.seconds,
        "counts": {c: result.counts.get(c, 0) for c in CLASSES},
        "transitions": [{"from": a, "to": b, "count": n} for a, b, n in result.transitions],
    }
    if args.json:
        print_json(data)
        return 0
    from tui_crm.services.classification import class_name

    print(
        tr(
            "分类完成（#{r}，{d}，规则 {v}）：{n:,} 位客户，{c:,} 位类别变动，用时 {s} 秒",
            "Classified (#{r}, {d}, rules {v}): {n:,} customers, {c:,} class changes, {s} s",
            r=result.run_id,
            d=result.as_of,
            v=result.rule_version,
            n=result.customers,
            c=result.changes,
            s=result.seconds,
        )
    )
    table(
        [[class_name(c), data["counts"][c]] for c in CLASSES],
        [tr("类别", "class"), tr("人数", "customers")],
    )
    if result.transitions:
        table(
            [[class_name(a), class_name(b), n] for a, b, n in result.transitions],
            [tr("原类别", "from"), tr("新类别", "to"), tr("人数", "customers")],
        )
    return 0


@with_actor
def _counts(args, services, actor) -> int:
    start = parse_day(args.start, "from", month=True)
    end = parse_day(args.end, "to", month=True)
    counts = services.class_stats.monthly_counts(actor, start, end, args.unit)
    rows = [{"month": m, **counts.row(m)} for m in counts.months]
    if args.json:
        print_json(rows)
        return 0
    from tui_crm.services.classification import class_name

    table(
        [[r["month"].strftime("%Y-%m"), *(r[c] for c in CLASSES)] for r in rows],
        [tr("月份", "month"), *(class_name(c) for c in CLASSES)],
    )
    return 0


@with_actor
def _flows(args, services, actor) -> int:
    start = parse_day(args.start, "from")
    end = parse_day(args.end, "to")
    flows = services.class_stats.flows(actor, start, end, args.unit)
    if args.json:
        print_json(
            {
                "unit_code": flows.unit_code,
                "from": flows.start,
                "to": flows.end,
                "total": flows.total(),
                "moved": flows.moved(),
                "new": flows.new(),
                "cells": [
                    {"from": a, "to": b, "count": n} for (a, b), n in sorted(flows.cells.items())
                ],
            }
        )
        return 0
    from tui_crm.services.classification import class_name

    table(
        [
            [class_name(a), *(flows.cells.get((a, b), 0) for b in CLASSES)]
            for a in flows.from_classes
        ],
        [tr("原类别＼新类别", "from \\ to"), *(class_name(b) for b in CLASSES)],
    )
    return 0


@with_actor
def _explain(args, services, actor) -> int:
    result = services.classification.explain(
        actor, args.customer_id, parse_day(args.as_of, "as_of")
    )
    data = {
        "customer_id": result.customer_id,
        "as_of": result.as_of,
        "customer_class": result.customer_class,
        "stored_class": result.stored_class,
        "rule_version": result.rule_version,
        "flags": {
            "key": result.flag_key,
            "blacklist": result.flag_blacklist,
            "renewal_due": result.flag_renewal_due,
        },
        "blacklist_candidate": result.blacklist_candidate,
        "reasons": _reasons(result.reasons),
    }
    if args.json:
        print_json(data)
        return 0
    from tui_crm.services.classification import class_name

    print(f"{class_name(result.customer_class)} ({result.as_of}, {result.rule_version})")
    for reason in result.reasons:
        print(f"  - {reason.message}")
    return 0


@with_actor
def _history(args, services, actor) -> int:
    lines = services.class_stats.history(actor, args.customer_id)
    if args.json:
        print_json(
            [
                {
                    "changed_on": h.changed_on,
                    "from": h.from_class,
                    "to": h.to_class,
                    "source": h.source,
                    "rule_version": h.rule_version,
                    "reasons": _reasons(h.reasons),
                }
                for h in lines
            ]
        )
        return 0
    from tui_crm.services.classification import class_name

    table(
        [
            [
                h.changed_on,
                class_name(h.from_class),
                class_name(h.to_class),
                label("class_source", h.source),
            ]
            for h in lines
        ],
        [tr("日期", "date"), tr("原类别", "from"), tr("新类别", "to"), tr("来源", "source")],
    )
    return 0
