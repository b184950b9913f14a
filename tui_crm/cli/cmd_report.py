"""`tui-crm report --list` and `tui-crm report NAME [--from D --to D --unit U ...] --user U
[--out FILE.xlsx|FILE.csv|FILE.txt] [--json] [--drill ROW]`.

Without --out the result goes to stdout: a table (tabulate), or with --json one object
{report, title, parameters, generated_at, generated_by, columns, rows, totals, row_count,
notes}. With --out the file is written (audited, personal data masked unless the role may
export it unmasked) and a summary printed.
"""

import argparse
import sys
from typing import TYPE_CHECKING, Any

from tui_crm.cli.common import command, fail, positive_int, print_json, sign_in
from tui_crm.cli.parser import iso_date
from tui_crm.formats import iso_time
from tui_crm.i18n import SUPPORTED, normalise, tr

if TYPE_CHECKING:
    from tui_crm.services.reports import ReportResult

# Report parameters as options: key → (flag, help).
PARAM_OPTIONS = {
    "from": (
        "--from",
        "period start YYYY-MM-DD (default: the first day of the 12 whole months before"
        " the current month)",
    ),
    "to": ("--to", "period end YYYY-MM-DD (default: the last day of last month)"),
    "unit": ("--unit", "unit code, with the units below it (default: your unit)"),
    "line": ("--line", "product line code (default: all)"),
    "channel": ("--channel", "channel code (default: all)"),
    "view": ("--view", "the report's view (see --list)"),
    "top": ("--top", "how many customers / rows in a ranking"),
    "rank_by": ("--rank-by", "account_manager: written|new_premium|renewal_premium|..."),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="run a named report (analysis); --list shows them",
        description="Run one of the case study's analyses, print it or export it.",
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="report name (see --list)")
    parser.add_argument("--list", action="store_true", help="list the reports and parameters")
    parser.add_argument("--user", metavar="NAME", help="staff username (needed to run a report)")
    for key, (flag, text) in PARAM_OPTIONS.items():
        kind = iso_date if key in ("from", "to") else None
        parser.add_argument(flag, dest=f"param_{key}", type=kind, metavar="VALUE", help=text)
    parser.add_argument("--out", metavar="FILE", help="write .xlsx, .csv or .txt instead")
    parser.add_argument(
        "--drill", type=positive_int, metavar="ROW", help="the customers behind row ROW (1 = first)"
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="bring the report cube up to date (new business added, or rebuilt when data changed)",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the report cube")
    parser.add_argument(
        "--limit", type=positive_int, metavar="N", help="print at most N rows (table only)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--lang", type=normalise, choices=SUPPORTED, help="interface language")
    parser.set_defaults(handler=_handler, parser=parser)


def _handler(args: argparse.Namespace) -> int:
    if args.list:
        return _list(args)
    if (args.refresh or args.rebuild) and not args.name:
        if not args.user:
            args.parser.error(
                tr("刷新报表汇总需要 --user", "refreshing the report cube needs --user")
            )
        return _refresh(args)
    if not args.name:
        args.parser.error(tr("请给出报表名称，或用 --list 查看", "give a report name, or --list"))
    if not args.user:
        args.parser.error(tr("运行报表需要 --user", "running a report needs --user"))
    return _run(args)


@command
def _list(args: argparse.Namespace) -> int:
    from tui_crm.services.reports import all_reports

    reports = all_reports()
    if args.json:
        print_json([_describe(r) for r in reports])
        return 0
    from tui_crm.services.reports import tabulate_cjk

    rows = []
    for report in reports:
        views = next((p for p in report.params if p.key == "view"), None)
        choices = ", ".join(c.code for c in views.choices) if views else ""
        rows.append([report.name, report.title, report.description, choices])
    headers = [tr("名称", "name"), tr("报表", "report"), tr("说明", "description"), "--view"]
    sys.stdout.write(
        tabulate_cjk(rows, headers, tablefmt="simple", maxcolwidths=[None, None, 48, 40]) + "\n"
    )
    return 0


def _describe(report: Any) -> dict[str, Any]:
    return {
        "name": report.name,
        "title": report.title,
        "title_zh": report.zh,
        "title_en": report.en,
        "description": report.description,
        "parameters": [
            {
                "key": p.key,
                "option": PARAM_OPTIONS.get(p.key, (f"--{p.key}", ""))[0],
                "label": p.label,
                "type": p.type.value,
                "default": p.default,
                "choices": [{"code": c.code, "label": c.label} for c in p.choices],
            }
            for p in report.params
        ],
    }


@command
def _refresh(args: argparse.Namespace) -> int:
    from tui_crm.cli.common import open_services
    from tui_crm.services.reports import ReportService

    services = open_services()
    try:
        actor = sign_in(services, args.user)
        reports = ReportService(services.database, services.clock)
        done = reports.refresh_cube(actor, full=args.rebuild)
    finally:
        services.database.dispose()
    data = {"cube": done.outcome, "seconds": round(done.seconds, 2)}
    if args.json:
        print_json(data)
    else:
        words = {
            "fresh": tr("报表汇总已是最新", "The report cube is up to date"),
            "incremental": tr("已按变更与新增数据更新", "Changes and new rows applied"),
            "rebuilt": tr("报表汇总已重建", "The report cube was rebuilt"),
        }
        print(f"{words[done.outcome]} ({done.seconds:.1f} s)")
    return 0


@command
def _run(args: argparse.Namespace) -> int:
    from tui_crm.cli.common import open_services
    from tui_crm.services.reports import ReportService

    raw = {
        key: getattr(args, f"param_{key}")
        for key in PARAM_OPTIONS
        if getattr(args, f"param_{key}") is not None
    }
    services = open_services()
    try:
        actor = sign_in(services, args.user)
        reports = ReportService(services.database, services.clock)
        result = reports.run(actor, args.name, raw)
        if args.drill is not None:
            if not 1 <= args.drill <= result.row_count:
                fail(
                    tr(
                        "行号应在 1 到 {n} 之间",
                        "The row must be between 1 and {n}",
                        n=result.row_count,
                    ),
                    field="drill",
                )
            result = reports.drill(actor, result, args.drill - 1)
        if args.out:
            summary = reports.export(actor, result, args.out)
            data = {
                "report": result.name,
                "path": str(summary.path),
                "format": summary.format,
                "rows": summary.rows,
                "masked": summary.masked,
            }
            if args.json:
                print_json(data)
            else:
                print(
                    tr(
                        "已导出 {n} 行到 {p}",
                        "Exported {n} rows to {p}",
                        n=summary.rows,
                        p=summary.path,
                    )
                )
            return 0
        shown = result.row_count if args.limit is None else min(args.limit, result.row_count)
        masked = not actor.can("pii.export_unmasked")
        if args.json or shown > PAGE_ROWS:  # in bulk: an export like a file
            masked = reports.exports.emit(actor, result, "json" if args.json else "table")
        if args.json:
            print_json(result_json(result, masked=masked))
        else:
            from tui_crm.services.reports import render_text

            sys.stdout.write(render_text(result, masked=masked, limit=args.limit))
        return 0
    finally:
        services.database.dispose()


# More rows than this on a terminal is bulk output (an export).
PAGE_ROWS = 50


def result_json(result: "ReportResult", *, masked: bool = True) -> dict[str, Any]:
    from tui_crm.services.reports.export.cells import (
        KIND_COLUMN,
        clean_value,
        json_value,
        mask_value,
    )

    columns = list(result.columns)
    frame = result.frame
    data = {c.key: frame[c.key].tolist() for c in columns if c.key in frame}
    kinds = data.get(KIND_COLUMN, [None] * len(frame))
    rows = []
    for index in range(len(frame)):
        row = {}
        for c in columns:
            if c.key in data:
                value = data[c.key][index]
                if masked and c.pii:
                    value = mask_value(c, clean_value(value), kinds[index])
                row[c.key] = json_value(c, value)
        rows.append(row)
    return {
        "report": result.name,
        "title": result.title,
        "parameters": {k: (v or None) for k, v in result.params.as_raw().items()},
        "generated_at": iso_time(result.generated_at),
        "generated_by": result.generated_by,
        "columns": [
            {
                "key": c.key,
                "label": c.label or c.key,
                "kind": c.kind.value,
                "hidden": c.hidden,
                **({"loss_ratio": c.loss_ratio.value} if c.loss_ratio else {}),
            }
            for c in columns
        ],
        "rows": rows,
        "totals": None
        if result.totals is None
        else {
            c.key: json_value(c, result.totals.get(c.key))
            for c in columns
            if c.key in result.totals
        },
        "row_count": result.row_count,
        "notes": result.notes,
    }
