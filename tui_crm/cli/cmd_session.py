"""`tui-crm login` and `tui-crm logout`: a short-lived session token for scripts, so a
run of many commands pays for the password hash once."""

import argparse
import sys

from tui_crm.cli import session_file
from tui_crm.cli.common import (
    add_common_options,
    command,
    open_services,
    password_sign_in,
    print_json,
)
from tui_crm.formats import local_time
from tui_crm.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    login = subparsers.add_parser(
        "login",
        help="sign in once with the password and store a short-lived session token "
        "(owner-only) that later commands of this user use instead of the password",
    )
    add_common_options(login)
    login.set_defaults(handler=_login)
    logout = subparsers.add_parser("logout", help="revoke the stored session token")
    add_common_options(logout, user=False)
    logout.set_defaults(handler=_logout)


@command
def _login(args: argparse.Namespace) -> int:
    services = open_services()
    try:
        actor = password_sign_in(services, args.user)
        issued = services.tokens.issue(actor)
        path = session_file.save(
            services.database.location(), issued.username, issued.token, issued.expires_at
        )
    finally:
        services.database.dispose()
    if args.json:
        print_json({"user": issued.username, "expires_at": issued.expires_at, "file": str(path)})
    else:
        sys.stdout.write(
            tr(
                "{u} 已登录，令牌有效至 {t}",
                "{u} signed in; the token is valid until {t}",
                u=issued.username,
                t=local_time(issued.expires_at),
            )
            + "\n"
        )
    return 0


@command
def _logout(args: argparse.Namespace) -> int:
    stored = session_file.load()
    revoked = False
    if stored and isinstance(stored.get("token"), str):
        services = open_services()
        try:
            revoked = services.tokens.revoke(stored["token"])
        finally:
            services.database.dispose()
    session_file.remove()
    user = stored.get("user", "") if stored else ""
    if args.json:
        print_json({"user": user or None, "revoked": revoked})
    else:
        sys.stdout.write(
            (
                tr("{u} 已退出，令牌已吊销", "{u} signed out; the token is revoked", u=user)
                if revoked
                else tr("没有有效的会话令牌", "No valid session token was stored")
            )
            + "\n"
        )
    return 0
