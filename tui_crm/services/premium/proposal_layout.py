"""The content of the proposal form (投保单) as sections of rows, shared by the printable
xlsx and the plain-text (line printer) renderings, so both always say the same thing."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from tui_crm.i18n import tr
from tui_crm.services.premium.commercial import coverage_name
from tui_crm.services.premium.ctpl import use_name
from tui_crm.services.premium.money import money_text, percent_text, rate_text, to_fen
from tui_crm.services.premium.parties import Party, Prefill
from tui_crm.services.premium.trial import TrialResult, registered_text

Cell = str | Decimal | int | None

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")


def _group(number: int) -> str:
    text, zero = "", False
    for place in (3, 2, 1, 0):
        digit = number // 10**place % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + PLACES[place]
    return text


def rmb_upper(amount: Decimal) -> str:
    """人民币大写: 1200 → 壹仟贰佰元整, 100500.05 → 壹拾万零伍佰元零伍分."""
    fen_total = int(to_fen(abs(amount)) * 100)
    if fen_total == 0:
        return "零元整"
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    parts: list[int] = []
    while yuan:
        yuan, group = divmod(yuan, 10000)
        parts.append(group)
    text, gap = "", False
    for index in range(len(parts) - 1, -1, -1):
        group = parts[index]
        if group == 0:
            gap = bool(text)
            continue
        if text and (gap or group < 1000):
            text += "零"
        text += _group(group) + GROUPS[index]
        gap = False
    if text:
        text += "元"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif text and fen:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return ("负" if amount < 0 else "") + text


@dataclass
class Section:
    title: str
    rows: list[list[Cell]] = field(default_factory=list)
    header: list[str] | None = None  # a table section has column headings


@dataclass
class ProposalContent:
    title: str
    subtitle: str
    sections: list[Section]
    declaration: str
    signatures: list[str]
    estimate_note: str | None


def _cn_date(day: date) -> str:
    return tr("{y}年{m}月{d}日", "{y}-{m:02d}-{d:02d}", y=day.year, m=day.month, d=day.day)


def _party_rows(label: str, party: Party | None) -> list[list[Cell]]:
    if party is None:
        return [[label, "", tr("证件号码", "ID number"), "", tr("联系电话", "Phone"), ""]]
    return [
        [
            label,
            party.name,
            tr("证件号码", "ID number"),
            party.id_number or "",
            tr("联系电话", "Phone"),
            party.phone or "",
        ],
        [tr("地址", "Address"), party.address or ""],  # one label, the value across the row
    ]


DECLARATION = (
    "投保人声明：保险人已向本人提供并详细介绍了所投保险种对应的保险条款，并对其中免除保险人责任的条款"
    "（包括责任免除条款、免赔额、免赔率、比例赔付等）以及本保险合同中付费约定和特别约定的内容向本人作了"
    "明确说明，本人已充分理解并接受上述内容，同意以此作为订立保险合同的依据，自愿投保本保险。"
    "上述所填写的内容均属实。",
    "Declaration: the insurer has given me the policy wording of the coverages applied for "
    "and explained the exclusions (exclusion clauses, deductibles, proportional settlement), "
    "the payment terms and the special terms. I understand and accept them as the basis of "
    "the contract and apply of my own free will. What is written above is true.",
)


def build(
    result: TrialResult, prefill: Prefill | None, *, unit_name: str, clerk: str, printed: date
) -> ProposalContent:
    prefill = prefill or Prefill()
    trial, vehicle = result.input, prefill.vehicle
    seats_or_tons = " / ".join(
        x
        for x in (
            tr("{n}座", "{n} seats", n=trial.seats) if trial.seats else "",
            tr("{t}吨", "{t} t", t=trial.tonnage.normalize()) if trial.tonnage else "",
        )
        if x
    )
    energy = (
        tr("新能源", "new energy")
        if trial.new_energy
        else (tr("节能", "energy saving") if trial.energy_saving else tr("燃油", "fuel"))
    )
    # a new car's trial says so even when started from a vehicle record
    first_reg = None if trial.new_car else trial.first_registration or vehicle.first_registration
    sections = [
        Section(
            tr("投保人 / 被保险人", "Applicant / insured"),
            _party_rows(tr("投保人", "Applicant"), prefill.applicant)
            + _party_rows(tr("被保险人", "Insured"), prefill.insured),
        ),
        Section(
            tr("保险车辆", "Vehicle"),
            [
                [
                    tr("号牌号码", "Plate"),
                    vehicle.plate or "",
                    tr("车架号", "VIN"),
                    vehicle.vin or "",
                    tr("发动机号", "Engine no."),
                    vehicle.engine_no or "",
                ],
                [
                    tr("厂牌型号", "Make / model"),
                    vehicle.make_model or "",
                    tr("使用性质", "Use"),
                    use_name(trial.use),
                    tr("座位/吨位", "Seats / load"),
                    seats_or_tons,
                ],
                [
                    tr("初次登记", "First registered"),
                    registered_text(trial, first_reg),
                    tr("排量(升)", "Displacement (L)"),
                    f"{trial.displacement.normalize():f}" if trial.displacement else "",
                    tr("能源类型", "Energy"),
                    energy,
                ],
                [
                    tr("新车购置价", "New-car price"),
                    trial.new_car_price,
                    tr("实际价值", "Actual value"),
                    result.valuation.actual_value if result.valuation else None,
                    tr("挂车", "Trailer"),
                    tr("是", "yes") if trial.trailer else tr("否", "no"),
                ],
            ],
        ),
        Section(
            tr("保险期间", "Period of cover"),
            [
                [
                    tr(
                        "自 {a} 零时起至 {b} 二十四时止",
                        "From {a} 00:00 to {b} 24:00",
                        a=_cn_date(result.start),
                        b=_cn_date(result.end),
                    )
                ]
            ],
        ),
    ]
    limits = result.ctpl.limits
    ctpl = Section(
        tr("机动车交通事故责任强制保险（交强险）", "Compulsory traffic liability insurance (CTPL)"),
        header=[
            tr("责任限额", "Limits"),
            tr("死亡伤残", "Death & disability"),
            tr("医疗费用", "Medical"),
            tr("财产损失", "Property"),
            "",
            "",
        ],
    )
    for kind, label in (
        ("at_fault", tr("有责", "At fault")),
        ("no_fault", tr("无责", "Not at fault")),
    ):
        amounts: list[Cell] = [
            limits.get(f"{kind}:{k}") for k in ("death_disability", "medical", "property")
        ]
        ctpl.rows.append([label, *amounts, "", ""])
    ctpl.rows.append(
        [
            tr("基础保费", "Base premium"),
            result.ctpl.base,
            tr("浮动", "Floating"),
            f"{result.ctpl.level} {percent_text(result.ctpl.rate)}",
            tr("交强险保费", "CTPL premium"),
            result.ctpl.premium,
        ]
    )
    sections.append(ctpl)
    tax = result.tax
    relief = {"exempt": tr("免征", "exempt"), "half": tr("减半", "half")}.get(
        tax.relief, tr("无", "none")
    )
    sections.append(
        Section(
            tr("代收车船税", "Vehicle and vessel tax"),
            [
                [tr("税目", "Item"), tax.band_label],  # the item across the row: it is long
                [
                    tr("减免", "Relief"),
                    relief,
                    tr("应纳税月份数", "Months taxed"),
                    str(tax.months),
                    tr("应缴税额", "Tax"),
                    tax.amount,
                ],
            ],
        )
    )
    commercial = Section(
        tr("商业保险", "Commercial motor insurance"),
        header=[
            tr("险别", "Coverage"),
            tr("保额/限额", "Sum / limit"),
            tr("基准保费", "Base premium"),
            tr("NCD系数", "NCD"),
            tr("自主定价系数", "Self-pricing"),
            tr("保险费", "Premium"),
        ],
    )
    for item in result.commercial:
        amount = item.sum_insured if item.coverage in ("damage",) else item.limit
        commercial.rows.append(
            [
                coverage_name(item.coverage),
                amount,
                item.base_premium,
                rate_text(item.ncd_factor),
                rate_text(item.self_pricing),
                item.premium,
            ]
        )
    commercial.rows.append(
        [tr("商业险合计", "Commercial total"), "", "", "", "", result.commercial_total]
    )
    sections.append(commercial)
    sections.append(
        Section(
            tr("保费合计", "Total"),
            [
                [
                    tr("交强险", "CTPL"),
                    result.ctpl.premium,
                    tr("车船税", "Vehicle tax"),
                    tax.amount,
                    tr("商业险", "Commercial"),
                    result.commercial_total,
                ],
                [
                    tr("合计（人民币）", "Total (RMB)"),
                    result.total,
                    tr("大写", "In words"),
                    rmb_upper(result.total),
                    "",
                    "",
                ],
            ],
        )
    )
    return ProposalContent(
        title=tr("机动车保险投保单", "Motor insurance proposal form"),
        subtitle=tr(
            "{u}  打印日期 {d}  经办 {c}",
            "{u}  printed {d}  clerk {c}",
            u=unit_name,
            d=printed,
            c=clerk,
        ),
        sections=sections,
        declaration=tr(*DECLARATION),
        signatures=[
            tr(
                "投保人签名/盖章：____________________",
                "Applicant's signature / seal: ____________________",
            ),
            tr("日期：______年____月____日", "Date: ______-____-____"),
        ],
        estimate_note=tr(
            "注：商业险保费为估算，以核保出单为准。",
            "Note: commercial premiums are an estimate until underwritten.",
        )
        if result.estimate
        else None,
    )


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return money_text(value)
    return str(value)
