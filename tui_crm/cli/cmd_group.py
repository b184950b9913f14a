"""`tui-crm group list|save|add|remove` and `tui-crm customer link|unlink`: corporate
groups with their head, and parent → subsidiary links between companies (docs/cli.md)."""

import argparse
from dataclasses import asdict

from tui_crm.cli.common import add_common_options, print_json, print_table, record_id, with_actor
from tui_crm.formats import visible
from tui_crm.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("group", help="corporate groups and their members")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="groups with members in your units")
    listing.add_argument("--group", type=record_id, help="the members of this group")
    add_common_options(listing)
    listing.set_defaults(handler=_list)

    save = actions.add_parser("save", help="a new group, or one renamed / given another head")
    save.add_argument("name", help="the group's name")
    save.add_argument("--head", type=record_id, required=True, help="head customer id")
    save.add_argument("--group", type=record_id, help="the group to change (default: a new one)")
    add_common_options(save)
    save.set_defaults(handler=_save)

    for name, handler, words in (
        ("add", _add, "add a company to a group"),
        ("remove", _remove, "take a company out of a group"),
    ):
        action = actions.add_parser(name, help=words)
        action.add_argument("group", type=record_id, help="group id")
        action.add_argument("customer", type=record_id, help="customer id")
        add_common_options(action)
        action.set_defaults(handler=handler)


def register_actions(actions: argparse._SubParsersAction) -> None:
    """`customer link PARENT CHILD` and `customer unlink CHILD`."""
    link = actions.add_parser("link", help="make CHILD a subsidiary of PARENT")
    link.add_argument("parent", type=record_id, help="parent company's customer id")
    link.add_argument("child", type=record_id, help="subsidiary's customer id")
    add_common_options(link)
    link.set_defaults(handler=_link)
    unlink = actions.add_parser("unlink", help="CHILD no longer a subsidiary of its parent")
    unlink.add_argument("child", type=record_id, help="subsidiary's customer id")
    add_common_options(unlink)
    unlink.set_defaults(handler=_unlink)


def _groups(rows, as_json: bool) -> None:
    if as_json:
        print_json([asdict(r) for r in rows])
        return
    print_table(
        [[r.id, visible(r.name), r.head_id, visible(r.head_name or ""), r.members,
          r.other_members] for r in rows],
        [tr("集团", "group"), tr("名称", "name"), tr("总部客户", "head"),
         tr("总部名称", "head name"), tr("本机构成员", "members"),
         tr("其他机构成员", "other units")],
    )  # fmt: skip


def _members(rows, as_json: bool) -> None:
    if as_json:
        print_json([asdict(r) for r in rows])
        return
    print_table(
        [[r.customer_id, visible(r.name), r.unit_code, r.parent_id or "",
          tr("是", "yes") if r.head else ""] for r in rows],
        [tr("客户", "customer"), tr("名称", "name"), tr("机构", "unit"),
         tr("母公司", "parent"), tr("总部", "head")],
    )  # fmt: skip


@with_actor
def _list(args, services, actor) -> int:
    if args.group is not None:
        _members(services.groups.members(actor, args.group), args.json)
    else:
        _groups(services.groups.rows(actor), args.json)
    return 0


@with_actor
def _save(args, services, actor) -> int:
    row = services.groups.save(actor, args.name, args.head, group_id=args.group)
    if args.json:
        _groups([row], True)
    else:
        print(tr("已保存集团 {i}", "Group {i} saved", i=row.id))
    return 0


@with_actor
def _add(args, services, actor) -> int:
    _groups([services.groups.add(actor, args.group, args.customer)], args.json)
    return 0


@with_actor
def _remove(args, services, actor) -> int:
    _groups([services.groups.remove(actor, args.group, args.customer)], args.json)
    return 0


@with_actor
def _link(args, services, actor) -> int:
    _members([services.groups.link(actor, args.parent, args.child)], args.json)
    return 0


@with_actor
def _unlink(args, services, actor) -> int:
    _members([services.groups.unlink(actor, args.child)], args.json)
    return 0
