"""`tui-crm search QUERY` and `tui-crm customer show|add|move|recent`: the search and the
customer 360 headless, masked per role exactly as on screen (docs/cli.md). `cmd_merge`
adds `duplicates|merge|unmerge`, `cmd_assign` adds `assign|handover|managers`,
`cmd_source` adds `source` and `cmd_group` adds `link|unlink`."""

import argparse
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from tui_crm.cli.cmd_assign import register_actions as register_assign
from tui_crm.cli.cmd_group import register_actions as register_links
from tui_crm.cli.cmd_merge import register_actions
from tui_crm.cli.cmd_source import register_actions as register_source
from tui_crm.cli.common import (
    add_common_options,
    non_negative_int,
    positive_int,
    print_json,
    print_table,
    record_id,
    with_actor,
)
from tui_crm.cli.parser import iso_date
from tui_crm.formats import visible
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label, labels


def register(subparsers: argparse._SubParsersAction) -> None:
    search = subparsers.add_parser(
        "search", help="find customers from any fragment (name, pinyin, ID, phone, plate…)"
    )
    search.add_argument("query", nargs="+", help="fragments, ANDed: 张 5678")
    search.add_argument("--limit", type=positive_int, default=50, help="rows to return (max 200)")
    search.add_argument("--offset", type=non_negative_int, default=0, help="rows to skip (paging)")
    search.add_argument("--mine", action="store_true", help="only my book (account managers)")
    add_common_options(search)
    search.set_defaults(handler=_search)

    customer = subparsers.add_parser("customer", help="customer 360, add, move, recently viewed")
    actions = customer.add_subparsers(dest="action", metavar="ACTION", required=True)

    show = actions.add_parser("show", help="everything about one customer (masked per role)")
    show.add_argument("id", type=record_id, help="customer id")
    show.add_argument("--reveal", action="store_true", help="full ID/phones (audited)")
    add_common_options(show)
    show.set_defaults(handler=_show)

    add = actions.add_parser("add", help="add a customer (validated, duplicate-checked)")
    add.add_argument("--kind", required=True, choices=["individual", "corporate", "government"])
    add.add_argument("--name", required=True)
    add.add_argument("--id-number", help="resident ID number (individuals)")
    add.add_argument("--credit-code", help="unified social credit code (companies, authorities)")
    add.add_argument("--phone", help="mobile or landline")
    add.add_argument(
        "--birth-date", type=iso_date, help="YYYY-MM-DD (taken from the ID number when omitted)"
    )
    add.add_argument("--address")
    add.add_argument("--unit", help="serving unit code (default: your unit)")
    add.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="save despite a same-phone or same-name-and-birth-date match (never a same ID)",
    )
    add_common_options(add)
    add.set_defaults(handler=_add)

    move = actions.add_parser("move", help="move a customer to another serving unit (managers)")
    move.add_argument("id", type=record_id)
    move.add_argument("--unit", required=True, help="unit code to move to")
    move.add_argument("--reason", default="")
    add_common_options(move)
    move.set_defaults(handler=_move)

    recent = actions.add_parser("recent", help="the customers you viewed lately")
    add_common_options(recent)
    recent.set_defaults(handler=_recent)
    register_actions(actions)
    register_assign(actions)
    register_source(actions)
    register_links(actions)


def hit_json(hit: Any) -> dict[str, Any]:
    data = asdict(hit)
    data["name_spans"] = [list(span) for span in hit.name_spans]
    return data


def _hits_table(hits: list[Any]) -> None:
    rows = [
        [
            h.id,
            visible(h.name),
            label("customer_kind", h.kind),
            label("customer_class", h.customer_class),
            h.id_number_masked,
            h.phone_masked,
            h.plate,
            h.unit_name,
            labels("search_match", h.matched_on, sep=" "),
        ]
        for h in hits
    ]
    headers = ["id", tr("客户", "customer"), tr("类型", "kind"), tr("分类", "class")]
    headers += [tr("证件号", "ID"), tr("电话", "phone"), tr("车牌", "plate"), tr("机构", "unit")]
    headers += [tr("匹配", "matched")]
    print_table(rows, headers)


@with_actor
def _search(args, services, actor) -> int:
    page = services.search.search(
        actor,
        " ".join(args.query),
        offset=args.offset,
        limit=args.limit,
        mine=args.mine,
        deep=True,
    )
    if args.json:
        print_json([hit_json(h) for h in page.hits])
        return 0
    _hits_table(page.hits)
    print(
        tr(
            "共 {n} 位客户（{t:.0f} ms）",
            "{n} customers ({t:.0f} ms)",
            n=page.total_label,
            t=page.elapsed_ms,
        )
    )
    if page.hint:
        print(page.hint)
    return 0


def _ratios(data: Any) -> Any:
    """Loss ratios as strings with four decimals (money stays exact to the fen)."""
    if isinstance(data, dict):
        return {
            k: (f"{v:.4f}" if k.endswith("loss_ratio") and isinstance(v, Decimal) else _ratios(v))
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_ratios(v) for v in data]
    return data


@with_actor
def _show(args, services, actor) -> int:
    view = services.customers.view(actor, args.id)
    data = _ratios(asdict(view))
    if args.reveal:
        revealed = services.customers.reveal(actor, args.id)
        data["id_number"] = revealed.id_number
        data["phones"] = [{"kind": k, "number": n} for k, n in revealed.phones]
    if args.json:
        print_json(data)
        return 0
    rows: list[list[object]] = [
        ["id", view.id],
        [tr("名称", "name"), visible(view.name)],
        [tr("类型", "kind"), label("customer_kind", view.kind)],
        [tr("分类", "class"), label("customer_class", view.customer_class)],
        [tr("分类原因", "reasons"), "；".join(view.class_reason_texts)],
        [tr("黑名单", "blacklist"), label("blacklist_status", view.blacklist.status)],
        [tr("证件号", "ID"), data.get("id_number") or view.id_number_masked],
        [tr("电话", "phone"), view.phone_masked],
        [tr("机构", "unit"), f"{view.unit_name} ({view.unit_code})"],
        [tr("客户经理", "account manager"), view.account_manager],
        [tr("保单", "policies"), len(view.policies)],
        [tr("车辆", "vehicles"), ", ".join(v["plate"] or "" for v in view.vehicles)],
        [tr("理赔", "claims"), len(view.claims)],
    ]
    if view.loss is not None:
        rows.append([tr("满期赔付率", "earned loss ratio"), _percent(view.loss.earned_loss_ratio)])
    print_table(rows, [tr("项", "item"), tr("值", "value")])
    return 0


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@with_actor
def _add(args, services, actor) -> int:
    from tui_crm.cli.common import fail
    from tui_crm.services.customers import CustomerInput
    from tui_crm.services.validation import PhoneVerdict, validate

    individual = args.kind == "individual"
    if individual and args.credit_code:
        fail(tr("个人客户请用 --id-number", "Individuals take --id-number"), field="credit_code")
    if not individual and args.id_number:
        fail(tr("企业/机关客户请用 --credit-code", "Use --credit-code for them"), field="id_number")
    mobile = landline = None
    if args.phone:
        verdict = validate("phone", args.phone, corporate=not individual)
        if not verdict.valid:
            fail(verdict.reason, field="phone")
        assert isinstance(verdict, PhoneVerdict)
        if verdict.phone_type in ("landline", "service"):
            landline = verdict.normalised
        else:
            mobile = verdict.normalised
    data = CustomerInput(
        kind=args.kind,
        name=args.name,
        id_number=args.id_number if individual else args.credit_code,
        birth_date=args.birth_date,
        mobile=mobile,
        landline=landline,
        address=args.address,
        unit_code=args.unit,
    )
    customer_id = services.customers.create(actor, data, allow_duplicates=args.allow_duplicate)
    if args.json:
        print_json({"id": customer_id})
    else:
        print(tr("已新建客户 {i}", "Customer {i} added", i=customer_id))
    return 0


@with_actor
def _move(args, services, actor) -> int:
    view = services.customers.view(actor, args.id, remember=False)
    version = services.customers.move_unit(
        actor, args.id, args.unit, version=view.version, reason=args.reason
    )
    if args.json:
        print_json({"id": args.id, "unit_code": args.unit, "version": version})
    else:
        print(tr("已调整到 {u}", "Moved to {u}", u=args.unit))
    return 0


@with_actor
def _recent(args, services, actor) -> int:
    hits = services.customers.recent(actor)
    if args.json:
        print_json([hit_json(h) for h in hits])
    else:
        _hits_table(hits)
    return 0
