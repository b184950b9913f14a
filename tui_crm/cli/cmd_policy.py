"""`tui-crm policy marks POLICY_NO`: reinsurance and co-insurance marks corrected by hand
(docs/cli.md)."""

import argparse
from dataclasses import asdict

from tui_crm.cli.common import add_common_options, print_json, print_table, with_actor
from tui_crm.i18n import tr

OPTIONS = {
    "--surplus": "surplus_reinsurance",
    "--facultative": "facultative_reinsurance",
    "--coinsurance": "coinsurance",
    "--lead": "coinsurance_lead",
    "--reinsurance-share": "reinsurance_share",
    "--coinsurance-share": "coinsurance_share",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("policy", help="policy records the branch corrects")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    marks = actions.add_parser("marks", help="reinsurance and co-insurance marks (audited)")
    marks.add_argument("policy_no")
    for option in ("--surplus", "--facultative", "--coinsurance", "--lead"):
        marks.add_argument(option, choices=("yes", "no"))
    marks.add_argument("--reinsurance-share", metavar="FRACTION", help="ceded share, 0.3")
    marks.add_argument("--coinsurance-share", metavar="FRACTION", help="our share, 0.6")
    add_common_options(marks)
    marks.set_defaults(handler=_marks)


@with_actor
def _marks(args, services, actor) -> int:
    from tui_crm.cli.common import fail

    changes = {
        name: getattr(args, option.lstrip("-").replace("-", "_"))
        for option, name in OPTIONS.items()
        if getattr(args, option.lstrip("-").replace("-", "_")) is not None
    }
    if not changes:
        fail(tr("请指定要修改的标记", "Name a mark to change"), field="marks")
    marks = services.policy_marks.correct(actor, args.policy_no, changes)
    if args.json:
        data = asdict(marks)
        for share in ("reinsurance_share", "coinsurance_share"):
            data[share] = None if data[share] is None else str(data[share])
        print_json(data)
    else:
        print_table(
            [[k, v] for k, v in asdict(marks).items()], [tr("项", "item"), tr("值", "value")]
        )
    return 0
