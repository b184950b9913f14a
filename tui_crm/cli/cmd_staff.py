"""`tui-crm staff phone USER --phone P`: register a staff user's mobile with a PIN for
querying vehicles by SMS (`CX <plate> <PIN>`, docs/sms.md); the PIN comes from
TUI_CRM_PIN or a prompt, never from the command line."""

import argparse
import getpass
import os
import sys

from tui_crm.cli.common import add_common_options, fail, print_json, with_actor
from tui_crm.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("staff", help="staff mobiles for the SMS query")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    phone = actions.add_parser("phone", help="register a mobile with a PIN (TUI_CRM_PIN)")
    phone.add_argument("username", metavar="USER", help="the staff user (yourself, or as admin)")
    phone.add_argument("--phone", required=True, help="the staff user's mobile")
    add_common_options(phone)
    phone.set_defaults(handler=_phone)


def _pin() -> str:
    pin = os.environ.get("TUI_CRM_PIN")
    if pin is None:
        if not sys.stdin.isatty():
            fail(tr("请设置 TUI_CRM_PIN", "Set TUI_CRM_PIN"), field="pin")
        pin = getpass.getpass(tr("PIN（4–8 位数字）：", "PIN (4–8 digits): "))
        if getpass.getpass(tr("再输入一次：", "Again: ")) != pin:
            fail(tr("两次输入的 PIN 不一致", "The PINs do not match"), field="pin")
    return pin


@with_actor
def _phone(args, services, actor) -> int:
    registered = services.staff_sms.register(actor, args.username, args.phone, _pin())
    if args.json:
        print_json({"user": registered.username, "phone": registered.phone_masked})
    else:
        print(tr("已登记 {u} 的手机 {p}", "Registered {p} for {u}", u=registered.username,
                 p=registered.phone_masked))  # fmt: skip
    return 0
