"""`tui-crm disaster list|add|edit|affected`: typhoons and floods, their dates and the
districts struck, and the customers to call after one (docs/cli.md)."""

import argparse
from dataclasses import asdict

from tui_crm.cli.common import add_common_options, print_json, print_table, record_id, with_actor
from tui_crm.cli.parser import iso_date
from tui_crm.formats import visible
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label

KINDS = ("typhoon", "flood", "hail", "snow")


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("disaster", help="disaster events and their districts")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="events, newest first")
    add_common_options(listing)
    listing.set_defaults(handler=_list)

    for name in ("add", "edit"):
        change = actions.add_parser(name, help=f"{name} an event (managers, administrators)")
        if name == "edit":
            change.add_argument("id", type=record_id, help="event id")
        change.add_argument("--name", required=True, help='e.g. 台风"烟花"')
        change.add_argument("--kind", required=True, choices=KINDS)
        change.add_argument("--start", required=True, type=iso_date)
        change.add_argument("--end", required=True, type=iso_date)
        change.add_argument("--warned", type=iso_date, help="when the warning went out")
        change.add_argument(
            "--district", action="append", required=True, metavar="CODE",
            help="county code struck, e.g. 330402 (repeatable)",
        )  # fmt: skip
        add_common_options(change)
        change.set_defaults(handler=_save)

    affected = actions.add_parser("affected", help="customers to call after an event")
    affected.add_argument("id", type=record_id, help="event id")
    add_common_options(affected)
    affected.set_defaults(handler=_affected)


@with_actor
def _list(args, services, actor) -> int:
    events = services.disasters.events(actor)
    if args.json:
        print_json([asdict(e) for e in events])
        return 0
    rows = [[e.id, visible(e.name), label("catastrophe_kind", e.kind), e.start_date, e.end_date,
             e.warned_on, " ".join(e.districts)] for e in events]  # fmt: skip
    headers = [tr("编号", "id"), tr("名称", "name"), tr("类型", "kind"), tr("开始", "start")]
    print_table(rows, [*headers, tr("结束", "end"), tr("预警", "warned"), tr("区县", "districts")])
    return 0


@with_actor
def _save(args, services, actor) -> int:
    from datetime import date

    from tui_crm.services.disasters import DisasterInput

    warned = date.fromisoformat(args.warned) if args.warned else None
    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    data = DisasterInput(args.name, args.kind, start, end, args.district, warned)
    event = services.disasters.save(actor, data, event_id=getattr(args, "id", None))
    if args.json:
        print_json(asdict(event))
    else:
        print(tr("已保存事件 {i}", "Event {i} saved", i=event.id))
    return 0


@with_actor
def _affected(args, services, actor) -> int:
    rows = services.disasters.affected(actor, args.id)
    if args.json:
        print_json([asdict(r) for r in rows])
        return 0
    print_table([[r.id, visible(r.name), r.unit_code] for r in rows],
                [tr("客户号", "id"), tr("客户", "customer"), tr("机构", "unit")])  # fmt: skip
    return 0
