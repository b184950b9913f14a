"""`tui-crm vehicle-price search|import|export|add`: the vehicle price table (车价表).

`import` keeps every valid row and reports each bad one (row, field, reason); it exits 1
when any row was refused, 0 when all were taken.
"""

import argparse
import sys

from tui_crm.cli.common import (
    add_common_options,
    bounded_int,
    positive_int,
    print_json,
    print_table,
    with_actor,
)
from tui_crm.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("vehicle-price", help="vehicle price table (车价表)")
    commands = group.add_subparsers(dest="vehicle_price_command", metavar="ACTION", required=True)

    search = commands.add_parser("search", help="by make/model fragment, pinyin initials, year")
    search.add_argument("query", nargs="?", default="", help="e.g. 朗逸, ly, 大众 2024")
    search.add_argument("--year", type=bounded_int(1900, 9999), help="model year")
    search.add_argument("--limit", type=positive_int, default=50)
    add_common_options(search)
    search.set_defaults(handler=_search)

    imp = commands.add_parser("import", help="import an .xlsx (valid rows kept, bad rows listed)")
    imp.add_argument("file")
    add_common_options(imp)
    imp.set_defaults(handler=_import)

    exp = commands.add_parser("export", help="export to an .xlsx")
    exp.add_argument("file")
    exp.add_argument("--query", default="")
    exp.add_argument("--year", type=bounded_int(1900, 9999))
    add_common_options(exp)
    exp.set_defaults(handler=_export)

    add = commands.add_parser("add", help="add one row")
    for name in (
        "brand",
        "make-model",
        "year",
        "price",
        "seats",
        "displacement",
        "fuel",
        "effective-from",
    ):
        add.add_argument(f"--{name}", required=name in ("brand", "make-model", "year", "price"))
    add_common_options(add)
    add.set_defaults(handler=_add)


def _row(r) -> dict[str, object]:
    return {
        "id": r.id,
        "brand": r.brand,
        "make_model": r.make_model,
        "model_year": r.model_year,
        "seats": r.seats,
        "displacement": None if r.displacement is None else f"{r.displacement.normalize():f}",
        "fuel": r.fuel,
        "price": f"{r.price:.2f}",
        "effective_from": r.effective_from,
        "version": r.version,
    }


def _print_rows(rows, as_json: bool) -> None:
    data = [_row(r) for r in rows]
    if as_json:
        print_json(data)
        return
    from tabulate import tabulate

    table = tabulate(
        [
            [
                d["id"],
                d["brand"],
                d["make_model"],
                d["model_year"],
                d["seats"],
                d["displacement"],
                d["fuel"],
                f"{row.price:,.2f}",  # with separators: shown as written
            ]
            for d, row in zip(data, rows, strict=True)
        ],
        [
            tr("编号", "id"),
            tr("品牌", "brand"),
            tr("厂牌型号", "make/model"),
            tr("年款", "year"),
            tr("座位", "seats"),
            tr("排量", "litres"),
            tr("燃料", "fuel"),
            tr("新车购置价", "price"),
        ],
        disable_numparse=True,
        colalign=("right", "left", "left", "right", "right", "right", "left", "right"),
    )
    print(table)


@with_actor
def _search(args, services, actor) -> int:
    rows = services.vehicle_prices.search(actor, args.query, year=args.year, limit=args.limit)
    _print_rows(rows, args.json)
    return 0


@with_actor
def _import(args, services, actor) -> int:
    report = services.vehicle_prices.import_xlsx(actor, args.file)
    data = {
        "added": report.added,
        "updated": report.updated,
        "errors": [{"row": e.row, "field": e.field, "message": e.message} for e in report.errors],
    }
    if args.json:
        print_json(data)
    else:
        print(
            tr(
                "新增 {a} 行，更新 {u} 行，错误 {e} 行",
                "Added {a}, updated {u}, refused {e}",
                a=report.added,
                u=report.updated,
                e=len({e.row for e in report.errors}),
            )
        )
        if report.errors:
            print_table(
                [[e.row, e.field, e.message] for e in report.errors],
                [tr("行", "row"), tr("字段", "field"), tr("原因", "reason")],
            )
    if report.errors:
        sys.stderr.write(
            tr("部分行未导入（有效行已保存）\n", "Some rows were refused (valid rows saved)\n")
        )
        return 1
    return 0


@with_actor
def _export(args, services, actor) -> int:
    count = services.vehicle_prices.export_xlsx(actor, args.file, args.query, year=args.year)
    if args.json:
        print_json({"file": args.file, "rows": count})
    else:
        print(tr("已导出 {n} 行到 {f}", "Exported {n} rows to {f}", n=count, f=args.file))
    return 0


@with_actor
def _add(args, services, actor) -> int:
    values = {
        "brand": args.brand,
        "make_model": args.make_model,
        "model_year": args.year,
        "price": args.price,
        "seats": args.seats,
        "displacement": args.displacement,
        "fuel": args.fuel,
        "effective_from": args.effective_from,
    }
    row = services.vehicle_prices.add(actor, values)
    _print_rows([row], args.json)
    return 0
