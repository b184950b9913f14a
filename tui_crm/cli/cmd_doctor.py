"""`tui-crm doctor`: what is wrong with this installation, each with how to fix it."""

import argparse
import sys
from typing import TYPE_CHECKING

from tui_crm.cli.common import add_common_options, command, current_settings, print_json
from tui_crm.i18n import tr

if TYPE_CHECKING:
    from tui_crm.services.diagnostics import Check

MARKS = {"ok": "✓", "warn": "!", "fail": "✗"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "doctor",
        help="check the database, PostgreSQL search support, disk, file permissions and "
        "the config file; exit 1 when something is wrong",
    )
    add_common_options(parser, user=False)
    parser.set_defaults(handler=_doctor)


@command
def _doctor(args: argparse.Namespace) -> int:
    from tui_crm.config import log_dir, state_dir
    from tui_crm.services.core.text import printable
    from tui_crm.services.diagnostics import Status, Target, run_checks

    settings = current_settings()
    checks = run_checks(
        Target(
            database_url=settings.database_url,
            export_dir=settings.export_dir,
            timezone=settings.timezone,
            config_file=settings.config_file,
            config_problems=settings.problems,
            extra_private_dirs=(state_dir(), log_dir()),
        )
    )
    checks += _session_server()
    failed = any(c.status is Status.FAIL for c in checks)
    if args.json:
        print_json(
            {
                "ok": not failed,
                "checks": [
                    {
                        "check": c.name,
                        "status": c.status.value,
                        "message": printable(c.message),
                        "fix": printable(c.fix),
                    }
                    for c in checks
                ],
            }
        )
    else:
        for c in checks:
            line = f"{MARKS[c.status.value]} {printable(c.message)}"
            if c.fix:
                line += "\n    " + tr("处理：", "Fix: ") + printable(c.fix)
            sys.stdout.write(line + "\n")
        if failed:
            sys.stderr.write(tr("发现问题，见上", "Problems found, see above") + "\n")
    return 1 if failed else 0


def _session_server() -> list["Check"]:
    """Whether a session server answers, and runs this build (else it is not used)."""
    from tui_crm.cli.handoff import build_fingerprint, probe, socket_path
    from tui_crm.services.diagnostics import Check, Status

    path = socket_path()
    if path is None:
        return []
    if not path.exists():
        message = tr(
            "会话服务未运行：每个会话自行加载程序",
            "No session server: every session loads the program itself",
        )
        fix = tr(
            "可选：systemctl enable --now tui-crm-server（见 docs/ssh.md）",
            "Optional: systemctl enable --now tui-crm-server (see docs/ssh.md)",
        )
        return [Check("session_server", Status.OK, message, fix)]
    build = probe(path)
    if build is None:
        message = tr("会话服务无应答：{p}", "The session server does not answer: {p}", p=path)
        fix = tr(
            "systemctl restart tui-crm-server，或删除残留的 {p}",
            "systemctl restart tui-crm-server, or remove the stale {p}",
            p=path,
        )
        return [Check("session_server", Status.WARN, message, fix)]
    if build != build_fingerprint():
        message = tr(
            "会话服务运行的是另一版本的程序，未被使用",
            "The session server runs another build of the program and is not used",
        )
        fix = tr("升级后重启：systemctl restart tui-crm-server",
                 "Restart it after an upgrade: systemctl restart tui-crm-server")  # fmt: skip
        return [Check("session_server", Status.WARN, message, fix)]
    message = tr("会话服务运行中：{p}", "Session server running: {p}", p=path)
    return [Check("session_server", Status.OK, message)]
