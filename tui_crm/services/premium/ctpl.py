"""交强险: base premium by category and band, floating level, premium.

- The base premium is the `ctpl_base` entry whose band holds the vehicle (see bands.py):
  passenger categories by seats, trucks by rated load (tonnage), special vehicles by class
  1–4, motorcycles by engine size, tractors by whatever the region entered (a flat
  `tractor:any` or `tractor:kw:<band>` by engine power). A trailer (`trailer`, only with a
  truck use) pays `trailer_factor` (30%) of the same-tonnage truck's base, rounded to the fen.
- Floating level (`ctpl_floating` of the region): a fatal at-fault accident last year → A6;
  two or more at-fault accidents last year → A5; one → A4; otherwise 1 / 2 / 3+ claim-free
  years → A1 / A2 / A3; no history (0 claim-free years and no accident: new or first time
  insured) → A0, this product's code for "no history", which the tables rate 0%. When several
  conditions apply the highest rate of the table wins (a fatal accident beats a count).
- Premium = base × (1 + rate), rounded to the fen (ROUND_HALF_UP) once, at the end.
"""

from dataclasses import dataclass
from decimal import Decimal

from tui_crm.domain import VehicleUse
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label
from tui_crm.services.premium.bands import covered_range, find_band, measures
from tui_crm.services.premium.errors import Problems
from tui_crm.services.premium.inputs import TRUCK_USES, TrialInput
from tui_crm.services.premium.money import to_fen
from tui_crm.services.premium.tables import CTPL_BASE, CTPL_FLOATING, CTPL_LIMITS, RateBook

# measure → (input field, unit zh, unit en, whole numbers?)
MEASURES = {
    "seats": ("seats", "座", " seats", True),
    "tons": ("tonnage", "吨", " t", False),
    "cc": ("engine_cc", "CC", " cc", True),
    "kw": ("power_kw", "kW", " kW", False),
    "litres": ("displacement", "升", " L", False),
}


def use_name(use: str) -> str:
    return label("vehicle_use", use)


@dataclass(frozen=True)
class CtplResult:
    band_key: str
    band_label: str
    base: Decimal
    level: str
    level_label: str
    rate: Decimal
    factor: Decimal
    premium: Decimal
    trailer_factor: Decimal | None
    limits: dict[str, Decimal]


def measure_value(trial: TrialInput, measure: str) -> Decimal | None:
    field = MEASURES[measure][0]
    value = getattr(trial, field)
    return None if value is None else Decimal(value)


def lookup_band(
    entries: dict[str, Decimal], prefix: str, trial: TrialInput, problems: Problems, *, what: str
) -> str | None:
    """The key of the band holding the vehicle in category `prefix`, or a problem."""
    found = measures(entries, prefix)
    if "any" in found:
        return f"{prefix}:any"
    if "class" in found:
        if trial.special_class is None:
            problems.add("special_class", tr("请填写特种车类别 1–4", "Give the special class 1–4"))
            return None
        key = f"{prefix}:class:{trial.special_class}"
        if key not in entries:
            problems.add("special_class", tr("没有该类别的费率", "No rate for that class"))
            return None
        return key
    for measure in ("seats", "tons", "cc", "kw", "litres"):
        if measure not in found:
            continue
        field, unit_zh, unit_en, integer = MEASURES[measure]
        value = measure_value(trial, measure)
        if value is None:
            problems.add(field, tr("{w}需要填写此项", "{w} needs this value", w=what))
            return None
        banded = find_band(entries, prefix, measure, value)
        if banded is None:
            span = covered_range(entries, prefix, measure, tr(unit_zh, unit_en), integer=integer)
            problems.add(
                field,
                tr(
                    "{w}没有 {v}{u} 的费率档（费率表覆盖 {r}）",
                    "{w}: no band for {v}{u} (the table covers {r})",
                    w=what,
                    v=value.normalize(),
                    u=tr(unit_zh, unit_en),
                    r=span,
                ),
            )
        return banded
    return None


def ctpl_base(
    trial: TrialInput, book: RateBook, problems: Problems
) -> tuple[str, Decimal, Decimal | None] | None:
    table = book.table(CTPL_BASE)
    entries = table.entries
    if not measures(entries, trial.use):
        if trial.use == VehicleUse.TRACTOR:
            message = tr(
                "地区“{r}”尚未录入拖拉机交强险费率（保监产险〔2007〕53号，由管理员录入）",
                "No tractor CTPL rate entered for region '{r}' (an administrator enters it)",
                r=book.region,
            )
        else:
            message = tr(
                "{d} 生效的交强险费率表中没有“{u}”",
                "The CTPL table in force on {d} has no rate for '{u}'",
                d=book.on.isoformat(),
                u=use_name(trial.use),
            )
        problems.add("use", message)
        return None
    key = lookup_band(entries, trial.use, trial, problems, what=use_name(trial.use))
    if key is None:
        return None
    base = entries[key]
    trailer_factor = None
    if trial.trailer and trial.use in TRUCK_USES:
        trailer_factor = entries.get("trailer_factor")
        if trailer_factor is None:
            problems.add("trailer", tr("费率表中没有挂车比例", "The table has no trailer factor"))
            return None
        base = to_fen(base * trailer_factor)
    return key, base, trailer_factor


def floating_candidates(trial: TrialInput) -> list[str]:
    """The levels whose conditions the history meets (the caller takes the highest rate)."""
    levels = []
    if trial.fatal:
        levels.append("A6")
    if trial.at_fault_claims >= 2:
        levels.append("A5")
    elif trial.at_fault_claims == 1:
        levels.append("A4")
    if not levels:
        years = trial.claim_free_years
        levels.append("A3" if years >= 3 else f"A{years}")
    return levels


def floating_level(
    trial: TrialInput, book: RateBook, problems: Problems
) -> tuple[str, Decimal] | None:
    table = book.table(CTPL_FLOATING)
    if not table:
        problems.add(
            "region",
            tr(
                "地区“{r}”在 {d} 没有生效的交强险浮动费率方案",
                "Region '{r}' has no CTPL floating scheme in force on {d}",
                r=book.region,
                d=book.on.isoformat(),
            ),
        )
        return None
    rated = [
        (level, table.entries[level])
        for level in floating_candidates(trial)
        if level in table.entries
    ]
    if not rated:
        problems.add(
            "claim_free_years",
            tr("浮动方案缺少对应等级", "The floating scheme lacks the level for this history"),
        )
        return None
    return max(rated, key=lambda pair: pair[1])


def compute_ctpl(trial: TrialInput, book: RateBook, problems: Problems) -> CtplResult | None:
    base = ctpl_base(trial, book, problems)
    level = floating_level(trial, book, problems)
    if base is None or level is None:
        return None
    key, amount, trailer_factor = base
    code, rate = level
    factor = Decimal(1) + rate
    base_table = book.table(CTPL_BASE)
    return CtplResult(
        band_key=key,
        band_label=base_table.label(key),
        base=amount,
        level=code,
        level_label=book.table(CTPL_FLOATING).label(code),
        rate=rate,
        factor=factor,
        premium=to_fen(amount * factor),
        trailer_factor=trailer_factor,
        limits=dict(book.table(CTPL_LIMITS).entries),
    )
