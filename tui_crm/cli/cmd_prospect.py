"""`tui-crm prospect intent|lost|list`: the prospect facts of customers — an intention to
insure declared, a customer lost to a competitor (docs/cli.md)."""

import argparse
from dataclasses import asdict

from tui_crm.cli.common import (
    add_common_options,
    positive_int,
    print_json,
    print_table,
    record_id,
    with_actor,
)
from tui_crm.cli.parser import as_date
from tui_crm.formats import local_time, visible
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label

KINDS = ("intent", "lost")


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("prospect", help="intentions declared, customers lost")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    intent = actions.add_parser("intent", help="the customer declared an intention to insure")
    intent.add_argument("customer", type=record_id, help="customer id")
    intent.add_argument("--date", type=as_date, help="YYYY-MM-DD (default today)")
    intent.add_argument("--note", default="", help="what was said (200 characters)")
    add_common_options(intent)
    intent.set_defaults(handler=_intent)

    lost = actions.add_parser("lost", help="the customer went to a competitor")
    lost.add_argument("customer", type=record_id, help="customer id")
    lost.add_argument("--competitor", default="", help="which insurer (60 characters)")
    lost.add_argument("--reason", default="", help="why (200 characters)")
    lost.add_argument("--date", type=as_date, help="YYYY-MM-DD (default today)")
    add_common_options(lost)
    lost.set_defaults(handler=_lost)

    listing = actions.add_parser("list", help="prospect facts of your units, newest first")
    listing.add_argument("--unit", help="only the customers of this unit")
    listing.add_argument("--kind", choices=KINDS)
    listing.add_argument("--customer", type=record_id, help="only this customer")
    listing.add_argument("--limit", type=positive_int, default=500)
    add_common_options(listing)
    listing.set_defaults(handler=_list)


def _print(rows, as_json: bool) -> None:
    if as_json:
        print_json([asdict(r) for r in rows])
        return
    table = [
        [r.fact_date, r.customer_id, visible(r.customer_name), r.unit_code,
         label("prospect_fact", r.kind), visible(r.competitor or ""),
         visible(r.reason or r.note or ""), label("customer_class", r.customer_class),
         r.recorded_by, local_time(r.recorded_at)]
        for r in rows
    ]  # fmt: skip
    print_table(
        table,
        [tr("日期", "date"), tr("客户", "customer"), tr("名称", "name"), tr("机构", "unit"),
         tr("类型", "kind"), tr("竞争对手", "competitor"), tr("原因/备注", "reason/note"),
         tr("客户分类", "class"), tr("登记人", "by"), tr("登记时间", "recorded")],
    )  # fmt: skip


@with_actor
def _intent(args, services, actor) -> int:
    row = services.prospects.declare_intent(actor, args.customer, day=args.date, note=args.note)
    if args.json:
        _print([row], True)
    else:
        print(
            tr(
                "已登记投保意向（{c}）",
                "Intention recorded ({c})",
                c=label("customer_class", row.customer_class),
            )
        )
    return 0


@with_actor
def _lost(args, services, actor) -> int:
    row = services.prospects.record_lost(
        actor, args.customer, competitor=args.competitor, reason=args.reason, day=args.date
    )
    if args.json:
        _print([row], True)
    else:
        print(
            tr(
                "已登记流失（{c}）",
                "Loss recorded ({c})",
                c=label("customer_class", row.customer_class),
            )
        )
    return 0


@with_actor
def _list(args, services, actor) -> int:
    if args.customer is not None:
        rows = services.prospects.facts(actor, args.customer)
        rows = [r for r in rows if args.kind in (None, r.kind)][: args.limit]
    else:
        rows = services.prospects.rows(actor, unit_code=args.unit, kind=args.kind, limit=args.limit)
    _print(rows, args.json)
    return 0
