"""`tui-crm customer duplicates|merge|unmerge`: one customer per person, headless
(docs/cli.md). Registered under `customer` by `cmd_customer`."""

import argparse
from dataclasses import asdict
from typing import Any

from tui_crm.cli.common import (
    add_common_options,
    positive_int,
    print_json,
    print_table,
    record_id,
    with_actor,
)
from tui_crm.domain import MERGE_FIELDS
from tui_crm.formats import visible
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import labels


def register_actions(actions: argparse._SubParsersAction) -> None:
    duplicates = actions.add_parser(
        "duplicates", help="duplicate candidates with reasons and scores, worst first"
    )
    duplicates.add_argument("--unit", help="only pairs with a record served by this unit")
    duplicates.add_argument("--limit", type=positive_int, default=200, help="pairs to list")
    add_common_options(duplicates)
    duplicates.set_defaults(handler=_duplicates)

    merge = actions.add_parser(
        "merge", help="merge a duplicate into the record that survives (supervisors, managers)"
    )
    merge.add_argument("survivor", type=record_id, help="customer id that survives")
    merge.add_argument("merged", type=record_id, help="customer id merged into it")
    merge.add_argument(
        "--take",
        action="append",
        default=[],
        choices=MERGE_FIELDS,
        metavar="FIELD",
        help="take this field's value from the merged record (repeatable): "
        + ", ".join(MERGE_FIELDS),
    )
    merge.add_argument("--reason", default="", help="why (kept in the audit log)")
    add_common_options(merge)
    merge.set_defaults(handler=_merge)

    unmerge = actions.add_parser("unmerge", help="undo a merge: both records as they were")
    unmerge.add_argument("merged", type=record_id, help="the merged customer id")
    unmerge.add_argument("--reason", default="")
    add_common_options(unmerge)
    unmerge.set_defaults(handler=_unmerge)


def _side(side: Any) -> dict[str, Any]:
    return asdict(side)


@with_actor
def _duplicates(args, services, actor) -> int:
    units = services.org.subtree_ids(actor, args.unit) if args.unit else None
    found = services.duplicates.candidates(actor, unit_ids=units, limit=args.limit)
    if args.json:
        print_json(
            [
                {
                    "score": c.score,
                    "reasons": c.reasons,
                    "customers": [_side(c.first), _side(c.second)],
                }
                for c in found
            ]
        )
        return 0
    rows = [
        [
            c.score,
            labels("duplicate_reason", c.reasons),
            f"{c.first.id} {visible(c.first.name)}",
            c.first.id_number_masked,
            c.first.unit_code,
            f"{c.second.id} {visible(c.second.name)}",
            c.second.id_number_masked,
            c.second.unit_code,
        ]
        for c in found
    ]
    headers = [tr("分数", "score"), tr("原因", "reasons"), tr("客户", "customer")]
    headers += [tr("证件号", "ID"), tr("机构", "unit"), tr("客户", "customer")]
    headers += [tr("证件号", "ID"), tr("机构", "unit")]
    print_table(rows, headers)
    print(tr("共 {n} 对", "{n} pairs", n=len(found)))
    return 0


@with_actor
def _merge(args, services, actor) -> int:
    result = services.duplicates.merge(
        actor, args.survivor, args.merged, take=args.take, reason=args.reason
    )
    if args.json:
        print_json(asdict(result))
    else:
        print(
            tr(
                "客户 {m} 已并入 {s}（移动 {n} 条记录）",
                "Customer {m} merged into {s} ({n} rows moved)",
                m=result.merged_id,
                s=result.survivor_id,
                n=sum(result.moved.values()),
            )
        )
    return 0


@with_actor
def _unmerge(args, services, actor) -> int:
    result = services.duplicates.unmerge(actor, args.merged, reason=args.reason)
    if args.json:
        print_json(asdict(result))
    else:
        print(
            tr(
                "已撤销合并：客户 {m} 与 {s} 已恢复",
                "Merge undone: customers {m} and {s} restored",
                m=result.merged_id,
                s=result.survivor_id,
            )
        )
    return 0
