"""`tui-crm customer source CUSTOMER --source S [--list NAME]`: where a customer came from,
corrected by a clerk and audited (docs/cli.md)."""

import argparse
from dataclasses import asdict

from tui_crm.cli.common import add_common_options, print_json, record_id, with_actor
from tui_crm.cli.parser import as_date
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label

SOURCES = ("core", "registry", "yellow_pages", "enterprise_list", "dealer", "guarantee",
           "walk_in", "referral")  # fmt: skip


def register_actions(actions: argparse._SubParsersAction) -> None:
    source = actions.add_parser("source", help="correct where a customer came from (audited)")
    source.add_argument("id", type=record_id, help="customer id")
    source.add_argument("--source", required=True, choices=SOURCES)
    source.add_argument("--list", dest="list_name", help="the named list ('' takes it off)")
    source.add_argument("--list-date", type=as_date, help="the list's date (default today)")
    add_common_options(source)
    source.set_defaults(handler=_source)


@with_actor
def _source(args, services, actor) -> int:
    info = services.sources.correct(
        actor, args.id, args.source, list_name=args.list_name, list_date=args.list_date
    )
    if args.json:
        print_json(asdict(info))
    else:
        listed = f" · {info.list_name} {info.list_date}" if info.list_name else ""
        print(
            tr("来源：{s}{l}", "Source: {s}{l}", s=label("customer_source", info.source), l=listed)
        )
    return 0
