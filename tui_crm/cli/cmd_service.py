"""`service add|list|complaints|resolve|summary` and `sms templates|preview|send|receive`
(`sms dispatch|inbox` in cmd_sms)."""

import argparse

from tui_crm.cli import cmd_sms
from tui_crm.cli.common import (
    add_common_options,
    fail,
    print_json,
    print_table,
    record_id,
    with_actor,
)
from tui_crm.cli.parser import as_date, codes
from tui_crm.domain import ServiceKind
from tui_crm.formats import local_time
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label


def register(subparsers: argparse._SubParsersAction) -> None:
    service = subparsers.add_parser("service", help="visits, calls, 95585 records, complaints")
    actions = service.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="record a contact with a customer")
    add.add_argument("customer_id", type=record_id)
    add.add_argument(
        "--kind",
        required=True,
        choices=codes(ServiceKind),
        metavar="KIND",
        help="visit, call, call_centre, complaint, renewal_reminder, claim_care, disaster_warning",
    )
    add.add_argument("--subject", required=True)
    add.add_argument("--notes", default="")
    add_common_options(add)
    add.set_defaults(handler=_add)
    listing = actions.add_parser("list", help="a customer's service history")
    listing.add_argument("customer_id", type=record_id)
    add_common_options(listing)
    listing.set_defaults(handler=_list)
    complaints = actions.add_parser("complaints", help="open complaints in your scope")
    complaints.add_argument("--all", action="store_true", help="resolved ones too")
    add_common_options(complaints)
    complaints.set_defaults(handler=_complaints)
    resolve = actions.add_parser("resolve", help="close a complaint")
    resolve.add_argument("contact_id", type=record_id)
    resolve.add_argument("--resolution", required=True)
    resolve.add_argument("--satisfaction", type=int, choices=range(1, 6))
    add_common_options(resolve)
    resolve.set_defaults(handler=_resolve)
    summary = actions.add_parser("summary", help="contacts by kind and month")
    summary.add_argument("--from", dest="start", type=as_date, required=True)
    summary.add_argument("--to", dest="end", type=as_date, required=True)
    add_common_options(summary)
    summary.set_defaults(handler=_summary)

    sms = subparsers.add_parser("sms", help="SMS to customers (queued for the gateway)")
    s_actions = sms.add_subparsers(dest="action", metavar="ACTION", required=True)
    templates = s_actions.add_parser("templates")
    add_common_options(templates)
    templates.set_defaults(handler=_templates)
    for name, handler in (("preview", _preview), ("send", _send)):
        cmd = s_actions.add_parser(name)
        cmd.add_argument("customer_id", type=record_id)
        cmd.add_argument("--template", required=True)
        cmd.add_argument("--value", action="append", default=[], metavar="KEY=VALUE")
        add_common_options(cmd)
        cmd.set_defaults(handler=handler)
    receive = s_actions.add_parser("receive", help="record an inbound SMS (gateway hook)")
    receive.add_argument("phone")
    receive.add_argument("body")
    add_common_options(receive)
    receive.set_defaults(handler=_receive)
    cmd_sms.register_actions(s_actions)


def _values(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        if "=" not in pair:
            fail(tr("格式应为 KEY=VALUE：{p}", "Expected KEY=VALUE: {p}", p=pair), field="value")
        key, value = pair.split("=", 1)
        values[key.strip()] = value
    return values


def _show(args, records) -> int:
    if args.json:
        print_json(records)
    else:
        from tui_crm.services.servicing import kind_name

        print_table(
            [
                [
                    r.id,
                    local_time(r.occurred_at),
                    r.customer_name,
                    kind_name(r.kind),
                    r.subject,
                    label("complaint_status", r.complaint_status),
                    r.staff,
                ]
                for r in records
            ],
            [
                tr("编号", "id"),
                tr("时间", "time"),
                tr("客户", "customer"),
                tr("类型", "kind"),
                tr("事由", "subject"),
                tr("状态", "status"),
                tr("经办", "staff"),
            ],
        )
    return 0


@with_actor
def _add(args, services, actor) -> int:
    record = services.service_log.record(
        actor, args.customer_id, kind=args.kind, subject=args.subject, notes=args.notes
    )
    if args.json:
        print_json(record)
        return 0
    return _show(args, [record])


@with_actor
def _list(args, services, actor) -> int:
    return _show(args, services.service_log.for_customer(actor, args.customer_id))


@with_actor
def _complaints(args, services, actor) -> int:
    return _show(args, services.service_log.complaints(actor, status=None if args.all else "open"))


@with_actor
def _resolve(args, services, actor) -> int:
    record = services.service_log.resolve(
        actor, args.contact_id, resolution=args.resolution, satisfaction=args.satisfaction
    )
    if args.json:
        print_json(record)
        return 0
    return _show(args, [record])


@with_actor
def _summary(args, services, actor) -> int:
    summary = services.service_log.summary(actor, start=args.start, end=args.end)
    if args.json:
        print_json(summary)
    else:
        from tui_crm.services.servicing.contacts import kind_name

        rows = [[kind_name(kind), n] for kind, n in summary.by_kind.items()]
        print_table(rows, [tr("类型", "kind"), tr("次数", "count")])
        print(
            tr(
                "投诉 {c} 件，已处理 {r} 件，平均 {d} 天",
                "{c} complaints, {r} resolved, {d} days on average",
                c=summary.complaints,
                r=summary.complaints_resolved,
                d=summary.average_days_to_resolve
                if summary.average_days_to_resolve is not None
                else "-",
            )
        )
    return 0


@with_actor
def _templates(args, services, actor) -> int:
    rows = services.sms.templates(actor)
    if args.json:
        print_json(
            [
                {"code": t.code, "name": t.name, "marketing": t.marketing, "body": t.body}
                for t in rows
            ]
        )
    else:
        print_table(
            [[t.code, t.name, t.marketing, t.body] for t in rows],
            [tr("代码", "code"), tr("名称", "name"), tr("营销", "marketing"), tr("内容", "body")],
        )
    return 0


@with_actor
def _preview(args, services, actor) -> int:
    preview = services.sms.preview(actor, args.customer_id, args.template, _values(args.value))
    print_json(preview) if args.json else print(f"{preview.phone_masked}: {preview.body}")
    return 0


@with_actor
def _send(args, services, actor) -> int:
    sent = services.sms.send(actor, args.customer_id, args.template, _values(args.value))
    print_json(sent) if args.json else print(
        tr("已排队发送 #{i} → {p}", "Queued #{i} → {p}", i=sent.id, p=sent.phone_masked)
    )
    return 0


@with_actor
def _receive(args, services, actor) -> int:
    from tui_crm.services.staff_sms import is_query

    if is_query(args.body):  # a staff query (it carries a PIN): answered, never kept
        result = services.staff_sms.query(actor, args.phone, args.body)
        print_json({"staff_query": result}) if args.json else print(
            tr("员工查询：{o}", "Staff query: {o}", o=result.outcome)
        )
        return 0
    received = services.sms.receive(actor, args.phone, args.body)
    print_json(received) if args.json else print(
        tr("已记录来信 #{i}", "Recorded inbound #{i}", i=received.id)
    )
    return 0
