"""`tui-crm registry import|prospects|conflicts`: the regional vehicle registry (社会车辆)
matched against the book, the prospects it gives each unit, and conflicts between our
own units (docs/cli.md)."""

import argparse
from dataclasses import asdict
from pathlib import Path

from tui_crm.cli.common import add_common_options, print_json, print_table, with_actor
from tui_crm.cli.parser import iso_date
from tui_crm.formats import visible
from tui_crm.i18n import tr

SORTS = ("renewal", "unit", "manager", "owner")


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("registry", help="the regional vehicle registry (社会车辆)")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    imported = actions.add_parser("import", help="import a registry snapshot (CSV or xlsx)")
    imported.add_argument("file", help="CSV (UTF-8 or GB18030) or xlsx")
    imported.add_argument(
        "--profile",
        metavar="NAME",
        help="mapping profile of the file's headers: registry_zh, or a .toml file path",
    )
    imported.add_argument("--snapshot", type=iso_date, help="the snapshot's date (default today)")
    add_common_options(imported)
    imported.set_defaults(handler=_import)

    prospects = actions.add_parser("prospects", help="registry vehicles not insured with us")
    prospects.add_argument("--unit", help="only this unit and the units below it")
    prospects.add_argument("--manager", metavar="USER", help="only this account manager's")
    prospects.add_argument("--sort", choices=SORTS, default="renewal")
    prospects.add_argument("--out", metavar="FILE", help="also write the list as CSV (masked)")
    add_common_options(prospects)
    prospects.set_defaults(handler=_prospects)

    conflicts = actions.add_parser("conflicts", help="our units competing for one customer")
    add_common_options(conflicts)
    conflicts.set_defaults(handler=_conflicts)


@with_actor
def _import(args, services, actor) -> int:
    from datetime import date

    snapshot = date.fromisoformat(args.snapshot) if args.snapshot else None
    result = services.registry.import_file(
        actor, Path(args.file), snapshot=snapshot, profile=args.profile
    )
    if args.json:
        print_json(result.as_json())
        return 0
    rows = [[k, v] for k, v in result.as_json().items()]
    rows += [["changed", result.changed], ["new_customers", result.new_customers]]
    print_table(rows, [tr("项", "item"), tr("数量", "count")])
    if result.rejects_path:
        print(tr("被拒行见 {p}", "Rejected rows: {p}", p=result.rejects_path))
    return 0


@with_actor
def _prospects(args, services, actor) -> int:
    units = services.org.subtree_ids(actor, args.unit) if args.unit else None
    rows = services.registry.prospects(actor, units=units, manager=args.manager, sort=args.sort)
    if args.out:
        services.registry.export_prospects(actor, rows, Path(args.out))
    if args.json:
        print_json([asdict(r) for r in rows])
        return 0
    status = {"lapsed": tr("脱保", "lapsed"), "not_insured": tr("未在我司投保", "never with us")}
    table = [
        [r.customer_id, visible(r.owner_name), r.owner_id_masked, r.plate,
         visible(r.make_model or ""), r.registration_year, r.renewal_due, status[r.status],
         r.unit_code, r.account_manager]
        for r in rows
    ]  # fmt: skip
    headers = [tr("客户号", "id"), tr("车主", "owner"), tr("证件号", "ID"), tr("号牌", "plate")]
    headers += [tr("厂牌型号", "make/model"), tr("登记年份", "registered"), tr("预计到期", "due")]
    headers += [tr("状态", "status"), tr("机构", "unit"), tr("客户经理", "manager")]
    print_table(table, headers)
    return 0


@with_actor
def _conflicts(args, services, actor) -> int:
    found = services.registry.conflicts(actor)
    if args.json:
        print_json([asdict(c) for c in found])
        return 0
    kinds = {
        "vehicle_two_units": tr("同一车辆两家机构承保", "one vehicle, two units"),
        "customer_two_units": tr("同一客户两家机构承保", "one customer, two units"),
        "prospect_insured_elsewhere": tr("准客户已在他机构投保", "prospect insured elsewhere"),
    }
    rows = [[kinds[c.kind], visible(c.subject), " ".join(c.units), " ".join(c.policies),
             "、".join(c.account_managers)] for c in found]  # fmt: skip
    headers = [tr("类型", "kind"), tr("对象", "subject"), tr("机构", "units")]
    print_table(rows, [*headers, tr("保单", "policies"), tr("客户经理", "managers")])
    return 0
