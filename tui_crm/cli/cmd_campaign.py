"""`campaign build|list|preview|skipped|approve|queue|progress|cancel`: SMS campaigns;
`warning declare|list|warn`: warnings of the branch's disaster events as campaigns."""

import argparse
from pathlib import Path

from tui_crm.cli.common import (
    add_common_options,
    bounded_int,
    fail,
    print_json,
    print_table,
    record_id,
    with_actor,
)
from tui_crm.cli.parser import as_date
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label


def register(subparsers: argparse._SubParsersAction) -> None:
    register_disaster(subparsers)
    campaign = subparsers.add_parser("campaign", help="SMS campaigns to lists of customers")
    actions = campaign.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="a template and a customer list: the preview")
    build.add_argument("--name", required=True)
    build.add_argument("--template", required=True, metavar="CODE")
    build.add_argument("--value", action="append", default=[], metavar="KEY=VALUE")
    build.add_argument(
        "--customers", type=Path, metavar="FILE", help="customer ids, one a line (a drill-down)"
    )
    build.add_argument(
        "--from-renewals",
        type=bounded_int(1, 366),
        metavar="DAYS",
        help="the customers of the renewal worklist for the next DAYS days",
    )
    add_common_options(build)
    build.set_defaults(handler=_build)
    listing = actions.add_parser("list", help="campaigns of your units, newest first")
    add_common_options(listing)
    listing.set_defaults(handler=_list)
    for name, handler, text in (
        ("preview", _preview, "count, three rendered messages, skipped by reason"),
        ("skipped", _skipped, "the customers skipped and why"),
        ("approve", _approve, "a supervisor approves a large marketing campaign"),
        ("queue", _queue, "put the messages in the SMS queue"),
        ("progress", _progress, "messages by status"),
        ("cancel", _cancel, "withdraw what is not sent yet"),
    ):
        cmd = actions.add_parser(name, help=text)
        cmd.add_argument("campaign_id", type=record_id)
        add_common_options(cmd)
        cmd.set_defaults(handler=handler)


def _ids(args, services, actor) -> list[int]:
    ids: list[int] = []
    if args.customers:
        try:
            lines = args.customers.read_text(encoding="utf-8").split()
        except OSError as error:
            fail(tr("读不了文件：{e}", "Cannot read the file: {e}", e=error), field="customers")
        for line in lines:
            if not line.isdigit():
                fail(
                    tr("不是客户编号：{v}", "Not a customer id: {v}", v=line[:40]),
                    field="customers",
                )
            ids.append(int(line))
    if args.from_renewals:
        items = services.renewals.worklist(actor, days=args.from_renewals)
        ids += [i.customer_id for i in items]
    if not args.customers and not args.from_renewals:
        fail(
            tr(
                "请用 --customers 或 --from-renewals 给出客户名单",
                "Give the list with --customers or --from-renewals",
            ),
            field="list",
        )
    return ids


def _show(args, preview) -> int:
    if args.json:
        print_json(preview)
        return 0
    print(
        tr(
            "#{i} {n}（{s}）：共 {t} 人，发送 {g}，跳过 {k}",
            "#{i} {n} ({s}): {t} customers, {g} to send, {k} skipped",
            i=preview.id,
            n=preview.name,
            s=label("campaign_status", preview.status),
            t=preview.total,
            g=preview.to_send,
            k=preview.total - preview.to_send,
        )
    )
    for reason, count in preview.skipped.items():
        print(f"  {label('skip_reason', reason)}: {count}")
    for sample in preview.samples:
        print(f"  {sample}")
    return 0


def _values(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        if "=" not in pair:
            fail(tr("格式应为 KEY=VALUE：{p}", "Expected KEY=VALUE: {p}", p=pair), field="value")
        key, value = pair.split("=", 1)
        values[key.strip()] = value
    return values


@with_actor
def _build(args, services, actor) -> int:
    preview = services.campaigns.build(
        actor,
        name=args.name,
        template_code=args.template,
        customer_ids=_ids(args, services, actor),
        values=_values(args.value),
        source="renewals" if args.from_renewals else str(args.customers or ""),
    )
    return _show(args, preview)


@with_actor
def _list(args, services, actor) -> int:
    rows = services.campaigns.campaigns(actor)
    if args.json:
        print_json(rows)
    else:
        print_table(
            [[c.id, c.name, label("campaign_status", c.status), c.total, c.to_send] for c in rows],
            [
                tr("编号", "id"),
                tr("名称", "name"),
                tr("状态", "status"),
                tr("人数", "total"),
                tr("发送", "to send"),
            ],
        )
    return 0


@with_actor
def _preview(args, services, actor) -> int:
    return _show(args, services.campaigns.preview(actor, args.campaign_id))


@with_actor
def _approve(args, services, actor) -> int:
    return _show(args, services.campaigns.approve(actor, args.campaign_id))


@with_actor
def _skipped(args, services, actor) -> int:
    rows = services.campaigns.skipped(actor, args.campaign_id)
    if args.json:
        print_json(rows)
    else:
        print_table(
            [[r.customer_id, r.customer_name, label("skip_reason", r.reason)] for r in rows],
            [tr("客户编号", "customer"), tr("姓名", "name"), tr("原因", "reason")],
        )
    return 0


def _progress_out(args, progress) -> int:
    if args.json:
        print_json(progress)
    else:
        print_table(
            [[label("sms_status", s), n] for s, n in progress.by_status.items()]
            + [[tr("跳过", "skipped"), progress.skipped]],
            [tr("状态", "status"), tr("条数", "messages")],
        )
    return 0


@with_actor
def _queue(args, services, actor) -> int:
    return _progress_out(args, services.campaigns.queue(actor, args.campaign_id))


@with_actor
def _progress(args, services, actor) -> int:
    return _progress_out(args, services.campaigns.progress(actor, args.campaign_id))


@with_actor
def _cancel(args, services, actor) -> int:
    return _progress_out(args, services.campaigns.cancel(actor, args.campaign_id))


def register_disaster(subparsers: argparse._SubParsersAction) -> None:
    disaster = subparsers.add_parser(
        "warning", help="warn the customers a disaster event affects, by SMS"
    )
    actions = disaster.add_subparsers(dest="action", metavar="ACTION", required=True)
    declare = actions.add_parser(
        "declare", help="record a disaster event from unit codes (as `disaster add`)"
    )
    declare.add_argument("--name", required=True)
    declare.add_argument("--kind", required=True, choices=["typhoon", "flood", "hail", "snow"])
    declare.add_argument("--district", action="append", required=True, metavar="UNIT_CODE")
    declare.add_argument("--from", dest="start", type=as_date, required=True)
    declare.add_argument("--to", dest="end", type=as_date, required=True)
    add_common_options(declare)
    declare.set_defaults(handler=_declare)
    listing = actions.add_parser(
        "list", help="the disaster events and how many affected customers each"
    )
    add_common_options(listing)
    listing.set_defaults(handler=_events)
    warn = actions.add_parser("warn", help="build the warning campaign (then campaign queue)")
    warn.add_argument("event_id", type=record_id)
    add_common_options(warn)
    warn.set_defaults(handler=_warn)


@with_actor
def _declare(args, services, actor) -> int:
    event = services.disaster_warnings.declare(
        actor,
        name=args.name,
        kind=args.kind,
        districts=args.district,
        start=args.start,
        end=args.end,
    )
    print_json(event) if args.json else print(
        tr(
            "#{i} {n}：{c} 位受影响客户",
            "#{i} {n}: {c} affected customers",
            i=event.id,
            n=event.name,
            c=event.customers,
        )
    )
    return 0


@with_actor
def _events(args, services, actor) -> int:
    rows = services.disaster_warnings.events(actor)
    if args.json:
        print_json(rows)
    else:
        print_table(
            [
                [e.id, e.name, e.kind, ",".join(e.districts), e.start_date, e.customers]
                for e in rows
            ],
            [
                tr("编号", "id"),
                tr("名称", "name"),
                tr("类型", "kind"),
                tr("地区", "districts"),
                tr("开始", "from"),
                tr("客户", "customers"),
            ],
        )
    return 0


@with_actor
def _warn(args, services, actor) -> int:
    return _show(args, services.disaster_warnings.warn(actor, args.event_id))
