"""`tui-crm intermediary list|save`: agencies, brokers, dealers and banks (docs/cli.md)."""

import argparse
from dataclasses import asdict

from tui_crm.cli.common import add_common_options, print_json, print_table, with_actor
from tui_crm.formats import visible
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label

KINDS = ("agency", "broker", "dealer", "bank")


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("intermediary", help="agencies, brokers, dealers, banks")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="intermediaries of your units")
    listing.add_argument("--all", action="store_true", help="also those no longer active")
    add_common_options(listing)
    listing.set_defaults(handler=_list)

    save = actions.add_parser("save", help="add one, or correct the one with this code")
    save.add_argument("code", help="its code, e.g. AG-001")
    save.add_argument("--name", required=True)
    save.add_argument("--kind", required=True, choices=KINDS)
    save.add_argument("--unit", required=True, help="the unit it works with")
    save.add_argument("--commission-rate", help="default rate as a fraction: 0.15 for 15%%")
    save.add_argument("--licence", help="licence number")
    save.add_argument("--inactive", action="store_true", help="no longer brings business")
    add_common_options(save)
    save.set_defaults(handler=_save)


def _json(row) -> dict:
    data = asdict(row)
    data["commission_rate"] = None if row.commission_rate is None else str(row.commission_rate)
    return data


@with_actor
def _list(args, services, actor) -> int:
    rows = services.intermediaries.rows(actor, include_inactive=args.all)
    if args.json:
        print_json([_json(r) for r in rows])
        return 0
    table = [
        [r.code, visible(r.name), label("intermediary_kind", r.kind), r.licence_no,
         "" if r.commission_rate is None else f"{r.commission_rate * 100:.2f}%", r.unit_code,
         tr("是", "yes") if r.active else tr("否", "no")]
        for r in rows
    ]  # fmt: skip
    headers = [tr("代码", "code"), tr("名称", "name"), tr("类型", "kind"), tr("许可证", "licence")]
    print_table(
        table, [*headers, tr("佣金比例", "commission"), tr("机构", "unit"), tr("有效", "active")]
    )
    return 0


@with_actor
def _save(args, services, actor) -> int:
    from tui_crm.services.intermediaries import IntermediaryInput

    data = IntermediaryInput(
        code=args.code,
        name=args.name,
        kind=args.kind,
        unit_code=args.unit,
        commission_rate=args.commission_rate,
        licence_no=args.licence,
        active=not args.inactive,
    )
    row = services.intermediaries.save(actor, data)
    if args.json:
        print_json(_json(row))
    else:
        print(tr("已保存中介 {c}", "Intermediary {c} saved", c=row.code))
    return 0
