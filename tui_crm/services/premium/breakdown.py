"""The itemised breakdown of a trial as rows (item, how it was computed, amount) for the
screen, the CLI table and the proposal form — every step the rules take, in order.
Amounts are for a person: separators and two decimals (JSON carries its own strings)."""

from dataclasses import dataclass
from decimal import Decimal

from tui_crm.formats import money
from tui_crm.i18n import tr
from tui_crm.services.premium.commercial import Valuation
from tui_crm.services.premium.ctpl import use_name
from tui_crm.services.premium.money import percent_text, rate_text
from tui_crm.services.premium.trial import TrialResult, new_car_label


@dataclass(frozen=True)
class Line:
    item: str
    detail: str
    amount: str
    kind: str = "step"  # step | subtotal | total | note


def breakdown(result: TrialResult) -> list[Line]:
    lines = _ctpl_lines(result)
    lines.append(_tax_line(result))
    if result.input.new_car:
        rules = tr(
            "车龄 0，实际价值 = 新车购置价；按首年投保、无出险记录",
            "vehicle age 0, actual value = new-car price; first year, no claim history",
        )
        lines.append(Line(new_car_label(), rules, "", "note"))
    if result.valuation is not None:
        lines.append(_valuation_line(result.valuation))
    lines.extend(_commercial_lines(result))
    lines.append(
        Line(tr("合计", "Total"), use_name(result.input.use), money(result.total), "total")
    )
    return lines


def _ctpl_lines(result: TrialResult) -> list[Line]:
    c = result.ctpl
    return [
        Line(
            tr("交强险基础保费", "CTPL base premium"),
            c.band_label
            + (
                tr("（挂车 × {f}）", " (trailer × {f})", f=rate_text(c.trailer_factor))
                if c.trailer_factor is not None
                else ""
            ),
            money(c.base),
        ),
        Line(
            tr("浮动等级", "Floating level"),
            f"{c.level} {c.level_label}  {percent_text(c.rate)} → × {rate_text(c.factor)}",
            "",
        ),
        Line(
            tr("交强险保费", "CTPL premium"),
            f"{money(c.base)} × {rate_text(c.factor)}",
            money(c.premium),
            "subtotal",
        ),
    ]


def _tax_line(result: TrialResult) -> Line:
    t = result.tax
    detail = f"{t.band_label} {money(t.annual)}"
    weight = result.input.curb_weight
    if t.band_key.endswith(":per_ton") and weight is not None:
        per_ton = t.annual / weight
        detail = tr(
            "{b} {r} × {w} 吨 = {a}",
            "{b} {r} × {w} t = {a}",
            b=t.band_label,
            r=money(per_ton),
            w=f"{weight.normalize():f}",
            a=money(t.annual),
        )
    if t.relief == "exempt":
        detail += tr("；新能源免征", "; new energy: exempt")
    elif t.relief == "half":
        detail += tr("；节能减半 → {a}", "; energy saving: half → {a}", a=money(t.after_relief))
    if t.months != 12:
        detail += tr(
            "；{y} 年购置，按 {m}/12 个月",
            "; bought in {y}: {m}/12 months",
            y=t.tax_year,
            m=t.months,
        )
    return Line(tr("车船税", "Vehicle tax"), detail, money(t.amount), "subtotal")


def _valuation_line(v: Valuation) -> Line:
    return Line(
        tr("实际价值", "Actual value"),
        tr(
            "新车购置价 {p} × (1 − {m} 月 × {r})",
            "new-car price {p} × (1 − {m} months × {r})",
            p=money(v.new_car_price),
            m=v.months_used,
            r=rate_text(v.monthly_rate),
        ),
        money(v.actual_value),
        "note",
    )


def _commercial_lines(result: TrialResult) -> list[Line]:
    lines: list[Line] = []
    if result.commercial:
        ncd_note = tr("（推算）", " (derived)") if result.ncd_derived else ""
        lines.append(
            Line(
                tr("NCD 等级", "NCD level"),
                f"{result.ncd_level:+d}{ncd_note} × {rate_text(result.ncd_factor or Decimal(1))}",
                "",
                "note",
            )
        )
    for item in result.commercial:
        limit = ""
        if item.seats is not None and item.limit is not None:
            limit = tr(
                "每座 {l} × {n} 座 ", "{l} per seat × {n} ", l=money(item.limit), n=item.seats
            )
        elif item.limit is not None:
            limit = tr("限额 {l} ", "limit {l} ", l=money(item.limit))
        elif item.sum_insured is not None:
            limit = tr("保额 {l} ", "sum insured {l} ", l=money(item.sum_insured))
        lines.append(
            Line(
                item.label,
                f"{limit}{money(item.base_pure_premium)} ÷ (1 − {rate_text(item.loading)})"
                f" = {money(item.base_premium)} × {rate_text(item.ncd_factor)}"
                f" × {rate_text(item.self_pricing)}",
                money(item.premium),
            )
        )
    if result.commercial:
        label = tr("商业险合计", "Commercial total")
        if result.estimate:
            label += tr("（估算）", " (estimate)")
        lines.append(Line(label, "", money(result.commercial_total), "subtotal"))
    return lines
