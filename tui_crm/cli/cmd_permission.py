"""`tui-crm permission list|grant|revoke`: which role may do what (administrators,
docs/cli.md)."""

import argparse

from tui_crm.cli.common import add_common_options, print_json, print_table, with_actor
from tui_crm.i18n import tr

ROLES = ("counter", "underwriter", "claims", "supervisor", "account_manager", "manager", "admin",
         "gateway")  # fmt: skip


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("permission", help="role permissions (administrators)")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="every role and its permissions")
    add_common_options(listing)
    listing.set_defaults(handler=_list)

    for name, text in (("grant", "give a role a permission"), ("revoke", "take it back")):
        change = actions.add_parser(name, help=text)
        change.add_argument("role", choices=ROLES)
        change.add_argument("permission", help="a code such as customer.merge")
        add_common_options(change)
        change.set_defaults(handler=_change, grant=name == "grant")


@with_actor
def _list(args, services, actor) -> int:
    matrix = services.permissions.matrix(actor)
    if args.json:
        print_json({"permissions": matrix.permissions, "roles": matrix.granted})
        return 0
    rows = [[p, *("✓" if p in matrix.granted[r] else "" for r in matrix.roles)]
            for p in matrix.permissions]  # fmt: skip
    print_table(rows, [tr("权限", "permission"), *matrix.roles])
    return 0


@with_actor
def _change(args, services, actor) -> int:
    if args.grant:
        services.permissions.grant(actor, args.role, args.permission)
    else:
        services.permissions.revoke(actor, args.role, args.permission)
    if args.json:
        print_json({"role": args.role, "permission": args.permission, "granted": args.grant})
    else:
        print(
            tr("已授予 {r}：{p}", "{r} may now: {p}", r=args.role, p=args.permission)
            if args.grant
            else tr("已收回 {r}：{p}", "{r} may no longer: {p}", r=args.role, p=args.permission)
        )
    return 0
