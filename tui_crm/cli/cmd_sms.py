"""`sms dispatch|inbox|serve`: the dispatcher for cron or a systemd service, the replies,
and the HTTP endpoint for the provider's callbacks."""

import argparse
import os
import sys
import time

from tui_crm.cli.common import add_common_options, bounded_int, print_json, print_table, with_actor
from tui_crm.cli.parser import host_name
from tui_crm.i18n import tr


def register_actions(actions: argparse._SubParsersAction) -> None:
    """Added to `sms` by cmd_service, next to templates/preview/send/receive."""
    dispatch = actions.add_parser(
        "dispatch", help="send queued SMS through the gateway and collect what came back"
    )
    dispatch.add_argument("--once", action="store_true", help="one round, then exit (cron)")
    dispatch.add_argument(
        "--interval",
        type=bounded_int(1, 3600),
        default=10,
        metavar="SECONDS",
        help="pause between rounds when running on (default 10)",
    )
    dispatch.add_argument(
        "--rate",
        type=bounded_int(1, 1_000_000),
        metavar="N",
        help="messages per minute at most (default: threshold sms.rate_per_minute)",
    )
    add_common_options(dispatch)
    dispatch.set_defaults(handler=_dispatch)
    inbox = actions.add_parser("inbox", help="replies from customers, newest first")
    inbox.add_argument("--limit", type=bounded_int(1, 10_000), default=200, metavar="N")
    add_common_options(inbox)
    inbox.set_defaults(handler=_inbox)
    serve = actions.add_parser(
        "serve", help="HTTP endpoint for the provider's signed delivery reports and replies"
    )
    serve.add_argument("--host", type=host_name, default="127.0.0.1", help="address to listen on")
    serve.add_argument(
        "--port", type=bounded_int(0, 65535), default=8080, help="port (default 8080)"
    )
    add_common_options(serve)
    serve.set_defaults(handler=_serve)


def spool_default():
    from tui_crm.config import default_database_path

    return default_database_path().parent / "sms-spool"


@with_actor
def _dispatch(args, services, actor) -> int:
    from tui_crm.services.sms import gateway_from_env

    gateway = gateway_from_env(os.environ, spool_default())
    while True:
        sent = services.sms_dispatcher.dispatch_once(actor, gateway, rate_per_minute=args.rate)
        came = services.sms_inbox.collect(actor, gateway)
        if args.json:
            print_json({"gateway": gateway.name, "dispatch": sent, "inbound": came})
        else:
            print(
                tr(
                    "{g}：发送 {s}，失败 {f}，待重试 {r}；"
                    "回执 {d}，回复 {p}（退订 {o}，新任务 {t}）",
                    "{g}: sent {s}, failed {f}, retrying {r}; reports {d}, replies {p} "
                    "(opt-outs {o}, new tasks {t})",
                    g=gateway.name,
                    s=sent.sent,
                    f=sent.failed,
                    r=sent.retrying,
                    d=came.reports,
                    p=came.replies,
                    o=came.opt_outs,
                    t=came.tasks,
                )
            )
        sys.stdout.flush()
        if args.once:
            return 0
        time.sleep(args.interval)


@with_actor
def _inbox(args, services, actor) -> int:
    rows = services.sms_inbox.inbox(actor, limit=args.limit)
    if args.json:
        print_json(rows)
    else:
        print_table(
            [[r.received_at, r.customer_name, r.phone_masked, r.body, r.task_status] for r in rows],
            [
                tr("时间", "time"),
                tr("客户", "customer"),
                tr("手机", "phone"),
                tr("内容", "text"),
                tr("任务", "task"),
            ],
        )
    return 0


@with_actor
def _serve(args, services, actor) -> int:
    from tui_crm.cli.sms_server import Endpoint, make_server
    from tui_crm.services.core.actor import Permission
    from tui_crm.services.core.errors import ValidationFailed

    actor.require(Permission.SMS_RECEIVE)
    key_id = os.environ.get("TUI_CRM_SMS_KEY_ID", "").strip()
    secret = os.environ.get("TUI_CRM_SMS_SECRET", "")
    if not key_id or not secret:
        raise ValidationFailed(
            tr(
                "请设置 TUI_CRM_SMS_KEY_ID 和 TUI_CRM_SMS_SECRET（与短信网关相同）",
                "Set TUI_CRM_SMS_KEY_ID and TUI_CRM_SMS_SECRET (the gateway's own)",
            ),
            field="gateway",
        )
    try:
        server = make_server(Endpoint(services, actor, key_id, secret), args.host, args.port)
    except OSError as error:
        raise ValidationFailed(
            tr(
                "无法监听 {h}:{p}：{e}",
                "Cannot listen on {h}:{p}: {e}",
                h=args.host,
                p=args.port,
                e=error.strerror or error,
            ),
            field="port",
        ) from None
    host, port = server.server_address[:2]
    print(
        tr(
            "短信回调服务：http://{h}:{p}/sms/",
            "SMS callbacks on http://{h}:{p}/sms/",
            h=host,
            p=port,
        )
    )
    sys.stdout.flush()
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
