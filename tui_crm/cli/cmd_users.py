"""`user list|add|unlock|passwd`, `threshold list|set`, `audit` — administration headless."""

import argparse
import getpass
import os
import sys

from tui_crm.cli.common import (
    add_common_options,
    fail,
    positive_int,
    print_json,
    print_table,
    with_actor,
)
from tui_crm.cli.parser import codes
from tui_crm.domain import Role
from tui_crm.formats import local_time
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label


def register(subparsers: argparse._SubParsersAction) -> None:
    user = subparsers.add_parser("user", help="staff accounts (administrators)")
    actions = user.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="staff of your unit and below")
    add_common_options(listing)
    listing.set_defaults(handler=_list)
    add = actions.add_parser("add", help="add a staff account (password from TUI_CRM_NEW_PASSWORD)")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", required=True, choices=codes(Role))
    add.add_argument("--unit", required=True, help="unit code, e.g. 330402")
    add_common_options(add)
    add.set_defaults(handler=_add)
    unlock = actions.add_parser("unlock", help="clear a lockout")
    unlock.add_argument("username")
    add_common_options(unlock)
    unlock.set_defaults(handler=_unlock)
    passwd = actions.add_parser("passwd", help="reset a password (from TUI_CRM_NEW_PASSWORD)")
    passwd.add_argument("username")
    add_common_options(passwd)
    passwd.set_defaults(handler=_passwd)

    threshold = subparsers.add_parser("threshold", help="business thresholds")
    t_actions = threshold.add_subparsers(dest="action", metavar="ACTION", required=True)
    t_list = t_actions.add_parser("list")
    add_common_options(t_list)
    t_list.set_defaults(handler=_thresholds)
    t_set = t_actions.add_parser("set")
    t_set.add_argument("code")
    t_set.add_argument("value")
    add_common_options(t_set)
    t_set.set_defaults(handler=_set_threshold)

    log = subparsers.add_parser(
        "audit", help="recent audit log rows; `audit verify` checks the chain"
    )
    log.add_argument("check", nargs="?", choices=["verify"], help="verify the hash chain")
    log.add_argument("--limit", type=positive_int, default=50)
    log.add_argument("--action", dest="audit_action", help="only this action, e.g. reveal")
    add_common_options(log)
    log.set_defaults(handler=_audit)


def _new_password() -> str:
    password = os.environ.get("TUI_CRM_NEW_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            fail(tr("请设置 TUI_CRM_NEW_PASSWORD", "Set TUI_CRM_NEW_PASSWORD"), field="password")
        password = getpass.getpass(tr("新密码：", "New password: "))
    return password or ""


@with_actor
def _list(args, services, actor) -> int:
    users = services.users.list(actor)
    if args.json:
        print_json(users)
    else:
        print_table(
            [
                [u.username, u.display_name, label("role", u.role), u.unit_code, _yes(u.active)]
                for u in users
            ],
            [
                tr("用户名", "username"),
                tr("姓名", "name"),
                tr("角色", "role"),
                tr("机构", "unit"),
                tr("启用", "active"),
            ],
        )
    return 0


@with_actor
def _add(args, services, actor) -> int:
    summary = services.users.add(
        actor,
        username=args.username,
        display_name=args.name,
        role=args.role,
        unit_code=args.unit,
        password=_new_password(),
    )
    print_json({"id": summary.id, "username": summary.username}) if args.json else print(
        tr("已新增用户 {u}", "Added {u}", u=summary.username)
    )
    return 0


@with_actor
def _unlock(args, services, actor) -> int:
    services.users.unlock(actor, args.username)
    print_json({"username": args.username, "unlocked": True}) if args.json else print(
        tr("已解锁 {u}", "Unlocked {u}", u=args.username)
    )
    return 0


@with_actor
def _passwd(args, services, actor) -> int:
    services.users.reset_password(actor, args.username, _new_password())
    print_json({"username": args.username, "reset": True}) if args.json else print(
        tr("已重置密码", "Password reset")
    )
    return 0


@with_actor
def _thresholds(args, services, actor) -> int:
    rows = services.thresholds.all(actor)
    if args.json:
        print_json(
            [{"code": r.code, "value": r.value, "description": r.description_en} for r in rows]
        )
    else:
        print_table(
            [[r.code, r.value, r.description_zh] for r in rows],
            [tr("代码", "code"), tr("值", "value"), tr("说明", "meaning")],
        )
    return 0


@with_actor
def _set_threshold(args, services, actor) -> int:
    row = services.thresholds.set(actor, args.code, args.value)
    print_json({"code": row.code, "value": row.value}) if args.json else print(
        f"{row.code} = {row.value}"
    )
    return 0


def _yes(flag: bool) -> str:
    return tr("是", "yes") if flag else tr("否", "no")


@with_actor
def _audit(args, services, actor) -> int:
    if args.check == "verify":
        return _verify_audit(args, services, actor)
    rows = services.audit.recent(actor, limit=args.limit, action=args.audit_action)
    if args.json:
        print_json(rows)
    else:
        print_table(
            [
                [
                    local_time(r.at),
                    r.username,
                    label("audit_action", r.action),
                    r.entity,
                    r.entity_id,
                    (r.detail or r.after or "")[:50],
                ]
                for r in rows
            ],
            [
                tr("时间", "time"),
                tr("用户", "user"),
                tr("动作", "action"),
                tr("对象", "entity"),
                tr("编号", "id"),
                tr("详情", "detail"),
            ],
        )
    return 0


def _verify_audit(args, services, actor) -> int:
    check = services.audit.verify(actor)
    if args.json:
        print_json(
            {
                "ok": check.ok,
                "rows": check.rows,
                "unchained": check.unchained,
                "broken_at": check.broken_at,
                "reason": check.reason,
            }
        )
    elif check.ok:
        print(tr("审计链完整：{n} 行", "Audit chain intact: {n} rows", n=check.rows))
    elif check.broken_at is None:
        print(tr("审计链末尾缺行", "Audit chain: rows missing at the end"))
    else:
        print(
            tr(
                "审计链断裂：第 {i} 行（{r}）",
                "Audit chain broken at row {i} ({r})",
                i=check.broken_at,
                r=check.reason,
            )
        )
    return 0 if check.ok else 1
