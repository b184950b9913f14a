"""`tui-crm customer assign|handover|managers`: account managers of customers, one at a
time and whole books when staff leave (docs/cli.md). Registered under `customer` by
`cmd_customer`."""

import argparse
from dataclasses import asdict

from tui_crm.cli.common import add_common_options, print_json, print_table, record_id, with_actor
from tui_crm.formats import visible
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label

RULES = ("even", "balance", "unit")


def register_actions(actions: argparse._SubParsersAction) -> None:
    assign = actions.add_parser("assign", help="give one customer to an account manager")
    assign.add_argument("id", type=record_id, help="customer id")
    assign.add_argument("--to", required=True, metavar="USER", help="the account manager")
    assign.add_argument("--reason", default="")
    add_common_options(assign)
    assign.set_defaults(handler=_assign)

    handover = actions.add_parser(
        "handover", help="every customer of a member of staff to one or several colleagues"
    )
    handover.add_argument("--from", dest="source", required=True, metavar="USER")
    handover.add_argument(
        "--to", action="append", required=True, metavar="USER", help="repeat to spread"
    )
    handover.add_argument(
        "--rule", choices=RULES, default="even", help="how to spread over several (default even)"
    )
    handover.add_argument("--unit", help="only customers served under this unit")
    handover.add_argument("--reason", default="")
    handover.add_argument("--dry-run", action="store_true", help="say who gets how many only")
    add_common_options(handover)
    handover.set_defaults(handler=_handover)

    managers = actions.add_parser(
        "managers", help="staff and their book sizes, leavers still holding customers first"
    )
    add_common_options(managers)
    managers.set_defaults(handler=_managers)


@with_actor
def _assign(args, services, actor) -> int:
    services.assignment.assign(actor, args.id, args.to, reason=args.reason)
    if args.json:
        print_json({"id": args.id, "account_manager": args.to})
    else:
        print(tr("客户 {i} 已交给 {u}", "Customer {i} given to {u}", i=args.id, u=args.to))
    return 0


@with_actor
def _handover(args, services, actor) -> int:
    result = services.assignment.hand_over(
        actor,
        args.source,
        args.to,
        rule=args.rule,
        unit_code=args.unit,
        reason=args.reason,
        dry_run=args.dry_run,
    )
    if args.json:
        print_json(asdict(result))
        return 0
    print_table(
        sorted(result.by_taker.items()), [tr("接手人", "taken over by"), tr("客户数", "customers")]
    )
    if result.dry_run:
        print(tr("试算：未做任何修改", "Dry run: nothing changed"))
    else:
        print(
            tr(
                "已移交 {n} 位客户（{b}）",
                "{n} customers handed over ({b})",
                n=result.moved,
                b=result.batch,
            )
        )
    return 0


@with_actor
def _managers(args, services, actor) -> int:
    books = services.assignment.books(actor)
    if args.json:
        print_json([asdict(b) for b in books])
        return 0
    rows = [
        [
            b.username,
            visible(b.display_name),
            label("role", b.role),
            b.unit_code,
            tr("在职", "active") if b.active else tr("已停用", "left"),
            b.customers,
        ]
        for b in books
    ]
    headers = [tr("用户名", "user"), tr("姓名", "name"), tr("角色", "role"), tr("机构", "unit")]
    print_table(rows, [*headers, tr("状态", "status"), tr("客户数", "customers")])
    return 0
