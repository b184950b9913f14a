"""`renewals`: the renewal worklist; `renewal status|call|sms` on one expiring policy."""

import argparse

from tui_crm.cli.common import (
    add_common_options,
    bounded_int,
    print_json,
    print_table,
    record_id,
    with_actor,
)
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label

STATUSES = ["not_contacted", "contacted", "quoted", "renewed", "lost"]


def register(subparsers: argparse._SubParsersAction) -> None:
    renewals = subparsers.add_parser(
        "renewals", help="policies ending soon without a renewal, and their follow-up"
    )
    renewals.add_argument(
        "--days", type=bounded_int(1, 366), default=60, metavar="N", help="30, 60 (default), 90"
    )
    renewals.add_argument("--unit", metavar="CODE", help="this unit and the units below it")
    renewals.add_argument("--manager", metavar="USERNAME", help="one account manager's")
    renewals.add_argument("--status", choices=STATUSES, metavar="STATUS")
    add_common_options(renewals)
    renewals.set_defaults(handler=_list)
    renewal = subparsers.add_parser("renewal", help="follow up one expiring policy")
    actions = renewal.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="where one renewal stands")
    status.add_argument("policy_id", type=record_id)
    status.add_argument("status", choices=STATUSES, metavar="STATUS")
    status.add_argument("--competitor", help="lost: to which insurer")
    status.add_argument("--reason", help="lost: why")
    add_common_options(status)
    status.set_defaults(handler=_status)
    call = actions.add_parser("call", help="log a renewal call")
    call.add_argument("policy_id", type=record_id)
    call.add_argument("--notes", default="")
    add_common_options(call)
    call.set_defaults(handler=_call)
    sms = actions.add_parser("sms", help="queue the renewal SMS")
    sms.add_argument("policy_id", type=record_id)
    add_common_options(sms)
    sms.set_defaults(handler=_sms)


def _show(args, items) -> int:
    if args.json:
        print_json(items)
        return 0
    print_table(
        [
            [
                i.policy_no,
                i.customer_name,
                i.plate or "",
                i.end_date,
                i.days_left,
                i.premium,
                i.unit_code,
                i.manager,
                label("renewal_status", i.status),
            ]
            for i in items
        ],
        [
            tr("保单号", "policy"),
            tr("客户", "customer"),
            tr("车牌", "plate"),
            tr("到期日", "ends"),
            tr("剩余天数", "days"),
            tr("保费", "premium"),
            tr("机构", "unit"),
            tr("客户经理", "manager"),
            tr("状态", "status"),
        ],
    )
    return 0


@with_actor
def _list(args, services, actor) -> int:
    items = services.renewals.worklist(
        actor, days=args.days, unit=args.unit, manager=args.manager, status=args.status
    )
    return _show(args, items)


@with_actor
def _status(args, services, actor) -> int:
    item = services.renewals.set_status(
        actor, args.policy_id, args.status, competitor=args.competitor, reason=args.reason
    )
    return _show(args, item) if args.json else _show(args, [item])


@with_actor
def _call(args, services, actor) -> int:
    item = services.renewals.log_call(actor, args.policy_id, args.notes)
    return _show(args, item) if args.json else _show(args, [item])


@with_actor
def _sms(args, services, actor) -> int:
    sent = services.renewals.send_notice(actor, args.policy_id)
    if args.json:
        print_json(sent)
    else:
        print(tr("已排队发送 #{i} → {p}", "Queued #{i} → {p}", i=sent.id, p=sent.phone_masked))
    return 0
