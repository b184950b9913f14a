"""`tui-crm adjuster list|add|edit|remove|on-duty|service-phone`: the roster of loss
adjusters on duty, who is on duty at a time, and a unit's service phone (docs/cli.md)."""

import argparse
from dataclasses import asdict

from tui_crm.cli.common import add_common_options, print_json, print_table, record_id, with_actor
from tui_crm.cli.parser import as_date, as_local, local_moment
from tui_crm.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("adjuster", help="loss adjusters on duty (查勘员排班)")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="shifts of your units, earliest first")
    listing.add_argument("--unit", metavar="CODE", default="", help="one unit and those below")
    listing.add_argument("--since", type=as_date, help="shifts ending after this date (today)")
    add_common_options(listing)
    listing.set_defaults(handler=_list)

    for name in ("add", "edit"):
        change = actions.add_parser(name, help=f"{name} a shift (adjuster.edit)")
        if name == "edit":
            change.add_argument("id", type=record_id, help="shift id")
        change.add_argument("--staff", metavar="USERNAME", default="", help="a staff user")
        change.add_argument("--name", default="", help="a named adjuster (or the staff's name)")
        change.add_argument("--phone", default="", help="(default: the staff user's phone)")
        change.add_argument("--unit", required=True, metavar="CODE")
        change.add_argument("--from", dest="start", required=True, type=local_moment,
                            metavar="'YYYY-MM-DD HH:MM'")  # fmt: skip
        change.add_argument("--to", dest="end", required=True, type=local_moment,
                            metavar="'YYYY-MM-DD HH:MM'")  # fmt: skip
        add_common_options(change)
        change.set_defaults(handler=_save)

    remove = actions.add_parser("remove", help="delete a shift (adjuster.edit)")
    remove.add_argument("id", type=record_id, help="shift id")
    add_common_options(remove)
    remove.set_defaults(handler=_remove)

    on_duty = actions.add_parser("on-duty", help="who is on duty at a time")
    on_duty.add_argument("--at", type=local_moment, metavar="'YYYY-MM-DD HH:MM'",
                         help="(default: now)")  # fmt: skip
    on_duty.add_argument(
        "--unit", metavar="CODE", default="", help="who covers this unit (or the units above)"
    )
    add_common_options(on_duty)
    on_duty.set_defaults(handler=_on_duty)

    phone = actions.add_parser("service-phone", help="set a unit's service phone")
    phone.add_argument("unit", metavar="CODE")
    phone.add_argument("--phone", required=True, help="'' clears it")
    add_common_options(phone)
    phone.set_defaults(handler=_service_phone)


def _table(shifts) -> None:
    print_table(
        [[s.id, s.name, s.staff_username or "", s.phone, s.unit_code, s.starts_at, s.ends_at]
         for s in shifts],
        [tr("编号", "id"), tr("查勘员", "adjuster"), tr("账号", "user"), tr("电话", "phone"),
         tr("机构", "unit"), tr("开始", "from"), tr("结束", "to")],
    )  # fmt: skip


@with_actor
def _list(args, services, actor) -> int:
    since = None
    if args.since is not None:
        since = as_local(f"{args.since.isoformat()} 00:00")
    shifts = services.adjusters.shifts(actor, unit_code=args.unit, since=since)
    print_json([asdict(s) for s in shifts]) if args.json else _table(shifts)
    return 0


@with_actor
def _save(args, services, actor) -> int:
    from tui_crm.services.adjusters import ShiftInput

    data = ShiftInput(
        unit_code=args.unit,
        starts_at=as_local(args.start),
        ends_at=as_local(args.end),
        staff_username=args.staff,
        name=args.name,
        phone=args.phone,
    )
    shift = services.adjusters.save(actor, data, shift_id=getattr(args, "id", None))
    if args.json:
        print_json(asdict(shift))
    else:
        print(tr("已保存排班 {i}", "Shift {i} saved", i=shift.id))
    return 0


@with_actor
def _remove(args, services, actor) -> int:
    services.adjusters.remove(actor, args.id)
    if args.json:
        print_json({"id": args.id, "removed": True})
    else:
        print(tr("已删除排班 {i}", "Shift {i} removed", i=args.id))
    return 0


@with_actor
def _on_duty(args, services, actor) -> int:
    at = as_local(args.at) if args.at else None
    shifts = services.adjusters.on_duty(actor, at=at, unit_code=args.unit)
    print_json([asdict(s) for s in shifts]) if args.json else _table(shifts)
    return 0


@with_actor
def _service_phone(args, services, actor) -> int:
    phone = services.adjusters.set_service_phone(actor, args.unit, args.phone)
    if args.json:
        print_json({"unit": args.unit, "phone": phone or None})
    else:
        print(tr("已保存服务电话", "Service phone saved") if phone else tr("已清除", "Cleared"))
    return 0
