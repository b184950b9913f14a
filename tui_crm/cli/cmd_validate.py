"""`tui-crm validate KIND VALUE`: check one identifier; exit 0 when valid, 1 when not."""

import argparse
import sys

from tui_crm.cli.common import add_common_options, command, print_json, print_table
from tui_crm.domain import IDENTIFIER_KINDS
from tui_crm.i18n import tr

KIND_HELP = "id = resident ID, uscc = credit code, phone, plate, vin"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="check an ID number, credit code, phone, plate or VIN"
    )
    parser.add_argument("kind", choices=IDENTIFIER_KINDS, help=KIND_HELP)
    parser.add_argument("value", help="the value to check (quote it when it has spaces)")
    add_common_options(parser, user=False)
    parser.set_defaults(handler=_validate)


_FACT_LABELS = {
    "birth_date": ("出生日期", "birth date"),
    "gender": ("性别", "gender"),
    "region_code": ("地区代码", "region code"),
    "region_name": ("地区", "region"),
    "registrant": ("登记管理部门", "registration authority"),
    "organisation_code": ("组织机构代码", "organisation code"),
    "phone_type": ("类型", "type"),
    "area_code": ("区号", "area code"),
    "province": ("省份", "province"),
    "city_letter": ("发牌机关", "city letter"),
    "city": ("城市", "city"),
    "new_energy": ("新能源", "new energy"),
    "size": ("车型", "size"),
    "wmi": ("制造厂识别代码", "manufacturer (WMI)"),
    "check_digit": ("校验位", "check digit"),
    "model_year_code": ("年款代码", "model year code"),
}


@command
def _validate(args: argparse.Namespace) -> int:
    from tui_crm.services.validation import validate

    verdict = validate(args.kind, args.value)
    if not verdict.valid:
        sys.stderr.write(verdict.reason + "\n")
    if args.json:
        data = verdict.as_json()
        if not verdict.valid:
            data["error"] = {"code": "invalid", "message": verdict.reason, "field": "value"}
        print_json(data)
        return 0 if verdict.valid else 1
    rows: list[list[object]] = [
        [tr("结论", "verdict"), tr("有效", "valid") if verdict.valid else tr("无效", "INVALID")],
        [tr("规范值", "normalised"), verdict.normalised],
        [tr("说明", "reason"), verdict.reason],
    ]
    rows += [[tr("提示", "warning"), w] for w in verdict.warnings]
    facts = verdict.facts() if verdict.valid else {}
    for key, fact in facts.items():
        if fact is None:
            continue
        label = _FACT_LABELS.get(key, (key, key))
        shown = (tr("是", "yes") if fact else tr("否", "no")) if isinstance(fact, bool) else fact
        if key == "gender":
            shown = tr("男", "male") if fact == "M" else tr("女", "female")
        rows.append([tr(*label), shown])
    print_table(rows, [tr("项", "item"), tr("值", "value")])
    return 0 if verdict.valid else 1
