"""`tui-crm doctor`: what is wrong with this installation, each with how to fix it."""

import argparse
import sys

from tui_crm.cli.common import add_common_options, command, current_settings, print_json
from tui_crm.i18n import tr

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
