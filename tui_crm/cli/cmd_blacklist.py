"""`tui-crm blacklist …`: the nomination → review workflow for scripts (same rules as the TUI).

    nominate CUSTOMER_ID --reason R [--reason R2] --evidence TEXT [--claim ID …]
        → {id, status}
    queue [--unit CODE] [--reason R] [--status S]
        → [{id, customer_id, customer_name, unit_code, reasons, status, nominated_by,
            nominated_at, submitted_at, version, own}]
    show NOMINATION_ID → the nomination, the customer's claims and loss-ratio picture
    review NOMINATION_ID --decision approve|reject|return [--comment TEXT] [--version N]
        → {id, status}
    resubmit NOMINATION_ID [--reason R …] [--evidence TEXT] [--version N] → {id, status, version}
    lift CUSTOMER_ID --reason TEXT → {customer_id, customer_class}
    candidates → [{customer_id, customer_name, unit_code, customer_class, claims_year,
                   loss_ratio, fraud, reasons, open_nomination_id, open_status}]
    entries → active entries [{customer_id, customer_name, unit_code, reasons, approved_at,
                               approved_by}]
    quota [--year N] → [{unit_code, unit_name, level, submitted, approved, pending, quota,
                         shortfall}]
Refusals (wrong role, out of scope, own nomination, duplicate, already reviewed, stale
version) print the reason on stderr and exit 1.
"""

import argparse
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from tui_crm.cli.cmd_classify import table
from tui_crm.cli.common import (
    add_common_options,
    bounded_int,
    positive_int,
    print_json,
    record_id,
    with_actor,
)
from tui_crm.cli.parser import codes
from tui_crm.domain import NominationStatus
from tui_crm.formats import local_time
from tui_crm.i18n import tr

REASONS = ("frequent_claims", "fraud", "hard_to_settle", "pre_catastrophe", "other")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("blacklist", help="blacklist nominations, review, lift")
    sub = parser.add_subparsers(dest="blacklist_command", metavar="COMMAND", required=True)

    p = sub.add_parser("nominate", help="nominate a customer for the blacklist")
    p.add_argument("customer_id", type=record_id, metavar="CUSTOMER_ID")
    p.add_argument(
        "--reason",
        action="append",
        required=True,
        type=str.lower,
        choices=REASONS,
        metavar="R",
        help="/".join(REASONS),
    )
    p.add_argument("--evidence", required=True, metavar="TEXT")
    p.add_argument("--claim", action="append", type=record_id, default=[], metavar="CLAIM_ID")
    add_common_options(p)
    p.set_defaults(handler=_nominate)

    p = sub.add_parser("queue", help="nominations waiting for review (oldest first)")
    p.add_argument("--unit", metavar="CODE")
    p.add_argument("--reason", type=str.lower, choices=REASONS, metavar="R")
    p.add_argument("--status", default="pending", choices=codes(NominationStatus), metavar="S")
    add_common_options(p)
    p.set_defaults(handler=_queue)

    p = sub.add_parser("show", help="one nomination with the customer's claims and loss ratio")
    p.add_argument("nomination_id", type=record_id, metavar="NOMINATION_ID")
    add_common_options(p)
    p.set_defaults(handler=_show)

    p = sub.add_parser("review", help="approve, reject or return a nomination")
    p.add_argument("nomination_id", type=record_id, metavar="NOMINATION_ID")
    p.add_argument("--decision", required=True, choices=["approve", "reject", "return"])
    p.add_argument("--comment", default="", metavar="TEXT")
    p.add_argument("--version", type=positive_int, metavar="N", help="the version you looked at")
    add_common_options(p)
    p.set_defaults(handler=_review)

    p = sub.add_parser("resubmit", help="send a returned nomination back for review")
    p.add_argument("nomination_id", type=record_id, metavar="NOMINATION_ID")
    p.add_argument("--reason", action="append", type=str.lower, choices=REASONS, metavar="R")
    p.add_argument("--evidence", metavar="TEXT")
    p.add_argument("--version", type=positive_int, metavar="N")
    add_common_options(p)
    p.set_defaults(handler=_resubmit)

    p = sub.add_parser("lift", help="lift a customer's blacklisting")
    p.add_argument("customer_id", type=record_id, metavar="CUSTOMER_ID")
    p.add_argument("--reason", required=True, metavar="TEXT")
    add_common_options(p)
    p.set_defaults(handler=_lift)

    p = sub.add_parser("candidates", help="customers meeting the automatic blacklist rule")
    add_common_options(p)
    p.set_defaults(handler=_candidates)

    p = sub.add_parser("entries", help="customers on the blacklist now")
    add_common_options(p)
    p.set_defaults(handler=_entries)

    p = sub.add_parser("quota", help="nominations per unit this year against the quota")
    p.add_argument("--year", type=bounded_int(1900, 9999), metavar="N")
    add_common_options(p)
    p.set_defaults(handler=_quota)


def _local(moment: datetime | None) -> datetime | None:
    from tui_crm.formats import local_zone

    return moment.astimezone(local_zone()) if moment else None


def _item(item: Any) -> dict[str, Any]:
    data = asdict(item)
    data["nominated_at"] = _local(item.nominated_at)
    data["submitted_at"] = _local(item.submitted_at)
    return data


def _ratio(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.0001")))


@with_actor
def _nominate(args, services, actor) -> int:
    nomination_id = services.blacklist.nominate(
        actor, args.customer_id, args.reason, args.evidence, args.claim
    )
    if args.json:
        print_json({"id": nomination_id, "status": "pending"})
    else:
        print(
            tr("已提交提名 #{i}，待审核", "Nomination #{i} submitted for review", i=nomination_id)
        )
    return 0


@with_actor
def _queue(args, services, actor) -> int:
    from tui_crm.services.blacklist import reason_names

    items = services.blacklist_views.queue(
        actor, unit_code=args.unit, reason=args.reason, status=args.status
    )
    if args.json:
        print_json([_item(i) for i in items])
        return 0
    table(
        [
            [
                i.id,
                i.customer_id,
                i.customer_name,
                i.unit_code,
                reason_names(i.reasons),
                i.nominated_by + (tr("（本人）", " (you)") if i.own else ""),
                local_time(i.submitted_at),
            ]
            for i in items
        ],
        [
            "#",
            tr("客户号", "customer"),
            tr("客户", "name"),
            tr("机构", "unit"),
            tr("理由", "reasons"),
            tr("提名人", "by"),
            tr("提交时间", "submitted"),
        ],
    )
    return 0


@with_actor
def _show(args, services, actor) -> int:
    detail = services.blacklist_views.detail(actor, args.nomination_id)
    picture = detail.picture
    data = {
        **_item(detail.item),
        "evidence": detail.evidence,
        "linked_claim_ids": detail.linked_claim_ids,
        "claims": [asdict(c) for c in detail.claims],
        "reviews": [{**asdict(r), "reviewed_at": _local(r.reviewed_at)} for r in detail.reviews],
        "loss_ratio": {
            "from": picture.year_from,
            "to": picture.as_of,
            "claims_year": picture.claims_year,
            "incurred_year": picture.incurred_year,
            "earned_year": picture.earned_year,
            "earned_loss_ratio_year": _ratio(picture.earned_ratio_year),
            "incurred_total": picture.incurred_total,
            "earned_total": picture.earned_total,
            "earned_loss_ratio_total": _ratio(picture.earned_ratio_total),
            "paid_total": picture.paid_total,
            "written_total": picture.written_total,
            "simple_loss_ratio": _ratio(picture.simple_ratio),
        },
        "class_reasons": detail.class_reasons,
    }
    if args.json:
        print_json(data)
        return 0
    table(
        [[k, v] for k, v in data.items() if not isinstance(v, list | dict)],
        [tr("项", "item"), tr("值", "value")],
    )
    return 0


@with_actor
def _review(args, services, actor) -> int:
    status = services.blacklist.review(
        actor, args.nomination_id, args.decision, args.comment, version=args.version
    )
    if args.json:
        print_json({"id": args.nomination_id, "status": status})
    else:
        from tui_crm.services.blacklist import status_name

        print(
            tr(
                "提名 #{i}：{s}",
                "Nomination #{i}: {s}",
                i=args.nomination_id,
                s=status_name(status),
            )
        )
    return 0


@with_actor
def _resubmit(args, services, actor) -> int:
    version = services.blacklist.resubmit(
        actor,
        args.nomination_id,
        version=args.version,
        reasons=args.reason,
        evidence=args.evidence,
    )
    if args.json:
        print_json({"id": args.nomination_id, "status": "pending", "version": version})
    else:
        print(tr("提名 #{i} 已重新提交", "Nomination #{i} resubmitted", i=args.nomination_id))
    return 0


@with_actor
def _lift(args, services, actor) -> int:
    restored = services.blacklist.lift(actor, args.customer_id, args.reason)
    if args.json:
        print_json({"customer_id": args.customer_id, "customer_class": restored})
    else:
        from tui_crm.services.classification import class_name

        print(
            tr(
                "已解除，客户类别恢复为：{c}",
                "Lifted; the class is now {c}",
                c=class_name(restored),
            )
        )
    return 0


@with_actor
def _candidates(args, services, actor) -> int:
    rows = services.blacklist_views.candidates(actor)
    data = [
        {
            "customer_id": c.customer_id,
            "customer_name": c.customer_name,
            "unit_code": c.unit_code,
            "customer_class": c.customer_class,
            "claims_year": c.claims_year,
            "loss_ratio": _ratio(c.earned_ratio_year),
            "fraud": c.fraud,
            "reasons": c.reasons,
            "open_nomination_id": c.open_nomination_id,
            "open_status": c.open_status,
        }
        for c in rows
    ]
    if args.json:
        print_json(data)
        return 0
    from tui_crm.services.core import format_ratio

    table(
        [
            [
                c.customer_id,
                c.customer_name,
                c.unit_code,
                c.claims_year,
                format_ratio(c.earned_ratio_year),
                "；".join(c.reasons),
            ]
            for c in rows
        ],
        [
            tr("客户号", "customer"),
            tr("客户", "name"),
            tr("机构", "unit"),
            tr("年出险", "claims"),
            tr("满期赔付率", "earned LR"),
            tr("依据", "why"),
        ],
    )
    return 0


@with_actor
def _entries(args, services, actor) -> int:
    from tui_crm.services.blacklist import reason_names

    rows = services.blacklist_views.entries(actor)
    data = [{**asdict(e), "approved_at": _local(e.approved_at)} for e in rows]
    if args.json:
        print_json(data)
        return 0
    table(
        [
            [
                d["customer_id"],
                d["customer_name"],
                d["unit_code"],
                reason_names(d["reasons"]),
                d["approved_at"].strftime("%Y-%m-%d"),
                d["approved_by"],
            ]
            for d in data
        ],
        [
            tr("客户号", "customer"),
            tr("客户", "name"),
            tr("机构", "unit"),
            tr("理由", "reasons"),
            tr("批准日期", "approved"),
            tr("批准人", "by"),
        ],
    )
    return 0


@with_actor
def _quota(args, services, actor) -> int:
    lines = services.blacklist_views.quota(actor, args.year)
    data = [{**asdict(q), "shortfall": q.shortfall} for q in lines]
    if args.json:
        print_json(data)
        return 0
    table(
        [
            [q.unit_code, q.unit_name, q.submitted, q.approved, q.pending, q.quota, q.shortfall]
            for q in lines
        ],
        [
            tr("机构", "unit"),
            tr("名称", "name"),
            tr("已提名", "submitted"),
            tr("已批准", "approved"),
            tr("待审核", "pending"),
            tr("配额", "quota"),
            tr("差额", "short"),
        ],
    )
    return 0
