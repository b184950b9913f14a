"""`tui-crm quote`: the premium trial headless, from the rate tables in force on the start
date; `tui-crm proposal`: the same trial printed as the proposal form (投保单).

Every value is passed to the service as typed text, so the CLI and the trial screen read
and check input the same way; an invalid input exits 1 naming the flag to blame.
Beyond the trial flags of the contract: `--energy-saving` (车船税 half rate), `--trailer`
(with a truck use), `--power-kw` (tractors banded by power), and `--customer` / `--vehicle`
to start from a customer's vehicle (flags given override the vehicle's values).
"""

import argparse
from typing import Any

from tui_crm.cli.common import add_common_options, fail, print_json, record_id, with_actor
from tui_crm.cli.parser import codes, iso_date
from tui_crm.domain import VehicleUse
from tui_crm.i18n import tr

VALUE_FLAGS = (
    (
        "use",
        "family, enterprise, government, taxi, bus, coach, truck (非营业货车), "
        "business_truck (营业货车), motorcycle, tractor, special",
    ),
    ("seats", "seats (核定座位数)"),
    ("tonnage", "rated load in tons (交强险 band of trucks)"),
    ("curb-weight", "curb weight in tons (车船税 of trucks, trailers, special vehicles)"),
    ("special-class", "特种车 class 1..4"),
    ("engine-cc", "engine size of motorcycles, cc"),
    ("power-kw", "engine power of tractors, kW (where the region bands them so)"),
    ("displacement", "displacement in litres"),
    ("first-registration", "first registration date YYYY-MM-DD"),
    (
        "purchase-date",
        "purchase date (prorates 车船税 in the purchase year; default: first registration, "
        "or the policy start for --new-car)",
    ),
    ("new-car-price", "new-car price, yuan"),
    ("start", "policy start date (default tomorrow)"),
    ("region", "rate region (default zhejiang)"),
    ("claim-free-years", "consecutive prior years without an at-fault accident"),
    ("at-fault-claims", "at-fault claims last year"),
    ("ncd-level", "NCD level -4..+5 (derived from the history when omitted)"),
    ("self-pricing", "self-pricing coefficient (default 1.00)"),
)
BOOL_FLAGS = (
    ("new-car", "a new car not registered yet (新车未上牌): no --first-registration"),
    ("new-energy", "new-energy vehicle (车船税 exempt)"),
    ("energy-saving", "energy-saving vehicle (车船税 half)"),
    ("trailer", "a trailer (交强险 30%% of the truck; 车船税 per ton at the trailer rate)"),
    ("fatal", "an at-fault accident with a death last year"),
)


DATE_FLAGS = ("first-registration", "purchase-date", "start")


def add_trial_options(parser: argparse.ArgumentParser) -> None:
    for flag, text in VALUE_FLAGS:
        checked: dict[str, Any] = {}  # dates and the vehicle use are checked by argparse
        if flag in DATE_FLAGS:
            checked["type"] = iso_date
        elif flag == "use":
            checked.update(type=str.lower, choices=codes(VehicleUse))
        parser.add_argument(f"--{flag}", metavar=flag.split("-")[0].upper(), help=text, **checked)
    for flag, text in BOOL_FLAGS:
        parser.add_argument(f"--{flag}", action="store_true", default=None, help=text)
    parser.add_argument(
        "--coverage",
        action="append",
        default=None,
        metavar="CODE[:LIMIT]",
        help="repeatable: damage, third_party:1000000, driver:10000, passenger:10000, "
        "scratch:5000, holiday_double, medical_extra:10000",
    )
    parser.add_argument("--customer", type=record_id, metavar="ID", help="start from this customer")
    parser.add_argument("--vehicle", type=record_id, metavar="ID", help="start from this vehicle")


def register(subparsers: argparse._SubParsersAction) -> None:
    quote = subparsers.add_parser(
        "quote", help="premium trial: 交强险, 车船税 and commercial motor, itemised"
    )
    add_trial_options(quote)
    add_common_options(quote)
    quote.set_defaults(handler=_quote)

    proposal = subparsers.add_parser("proposal", help="print the proposal form (投保单) of a trial")
    add_trial_options(proposal)
    proposal.add_argument("--out", required=True, metavar="DIR", help="folder to save the form in")
    proposal.add_argument(
        "--format", default="xlsx,txt", help="xlsx, txt or both (default xlsx,txt)"
    )
    proposal.add_argument(
        "--encoding", default="utf-8", help="text file encoding: utf-8 (default) or gb18030"
    )
    add_common_options(proposal)
    proposal.set_defaults(handler=_proposal)


def trial_values(args: argparse.Namespace, services: Any, actor: Any) -> dict[str, object]:
    """The vehicle's values (with --vehicle/--customer), overridden by the flags given."""
    values: dict[str, object] = {}
    if args.customer is not None or args.vehicle is not None:
        prefill = services.premium.prefill(actor, args.customer, args.vehicle)
        if prefill.choices:
            fail(
                tr(
                    "请用 --vehicle 指定车辆：{v}",
                    "Name the vehicle with --vehicle: {v}",
                    v="，".join(c.label for c in prefill.choices),
                ),
                field="vehicle",
            )
        values.update(prefill.values)
    for flag, _ in VALUE_FLAGS + BOOL_FLAGS:
        name = flag.replace("-", "_")
        value = getattr(args, name)
        if value is not None:
            values[name] = value
    if args.coverage:
        values["coverage"] = list(args.coverage)
    return values


def run_quote(args: argparse.Namespace, services: Any, actor: Any) -> Any:
    from tui_crm.services.core import ValidationFailed
    from tui_crm.services.premium import TrialInvalid

    try:
        return services.premium.quote(actor, trial_values(args, services, actor))
    except TrialInvalid as error:
        flag = "--" + (error.field or "").replace("_", "-")
        raise ValidationFailed(f"{flag}: {error.message}", field=error.field) from None


def print_breakdown(result: Any) -> None:
    from tabulate import tabulate

    from tui_crm.services.premium import breakdown

    rows = [[line.item, line.detail, line.amount] for line in breakdown(result)]
    headers = [tr("项目", "item"), tr("计算", "how"), tr("金额", "amount")]
    # amounts stay as written ("950.00"): no number parsing, right-aligned
    print(tabulate(rows, headers, disable_numparse=True, colalign=("left", "left", "right")))
    print(tr("保险期间 {a} 至 {b}", "Cover {a} to {b}", a=result.start, b=result.end))
    if result.estimate and result.commercial:
        print(
            tr(
                "商业险为估算（示例费率表）",
                "Commercial premiums are an estimate (illustrative table)",
            )
        )


@with_actor
def _quote(args, services, actor) -> int:
    result = run_quote(args, services, actor)
    if args.json:
        print_json(result.as_json())
    else:
        print_breakdown(result)
    return 0


@with_actor
def _proposal(args, services, actor) -> int:
    result = run_quote(args, services, actor)
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    files = services.proposals.save_form(
        actor,
        result,
        folder=args.out,
        customer_id=args.customer,
        vehicle_id=args.vehicle,
        formats=formats,
        encoding=args.encoding,
    )
    data = {
        "xlsx": str(files.xlsx) if files.xlsx else None,
        "txt": str(files.txt) if files.txt else None,
        "customer_id": files.customer_id,
        "service_contact_id": files.service_contact_id,
        "total": result.as_json()["total"],
    }
    if args.json:
        print_json(data)
    else:
        print_breakdown(result)
        for path in (files.xlsx, files.txt):
            if path:
                print(tr("已保存 {p}", "Saved {p}", p=path))
    return 0
