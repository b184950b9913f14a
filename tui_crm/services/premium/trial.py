"""A premium trial: checks the inputs, reads the tables in force on the start date and
itemises 交强险, 车船税 and each commercial coverage (every step kept for the breakdown).

Checks of combinations (each names its field): a category that needs seats, tonnage,
class, engine size or displacement without it (found by the band lookup); seats outside
every band of the category (a 12-seat family car); a trailer that is not a truck; new
energy together with energy saving; a start date before today; a first registration or
purchase after the start (a registration after today is a new car's: accepted);
claim-free years together with at-fault claims last year, or with a fatal accident; an
NCD level or self-pricing coefficient outside the table's range; a tractor where the
region has entered no rate.

A new car not yet registered (新车未上牌) has no first registration, no claim history and
no NCD level of its own: it is rated as a first-year vehicle (vehicle age 0, actual value =
new-car price, NCD and 交强险 floating from an empty history); giving any of those with
it is refused, naming the field.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from tui_crm.i18n import tr
from tui_crm.services.premium.commercial import CommercialItem, Valuation, compute_commercial
from tui_crm.services.premium.ctpl import CtplResult, compute_ctpl
from tui_crm.services.premium.errors import FieldError, Problems
from tui_crm.services.premium.inputs import TRUCK_USES, TrialInput
from tui_crm.services.premium.money import money_text, rate_text
from tui_crm.services.premium.tables import COMMERCIAL_BASE, RateBook, VersionRef
from tui_crm.services.premium.vehicle_tax import TaxResult, compute_tax


@dataclass(frozen=True)
class TrialResult:
    input: TrialInput
    start: date
    end: date  # inclusive: start + 1 year − 1 day
    region: str
    ctpl: CtplResult
    tax: TaxResult
    commercial: list[CommercialItem]
    valuation: Valuation | None
    ncd_level: int | None
    ncd_factor: Decimal | None
    ncd_derived: bool
    estimate: bool  # commercial base table is the illustrative one
    tables: list[VersionRef]

    @property
    def commercial_total(self) -> Decimal:
        return sum((item.premium for item in self.commercial), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.ctpl.premium + self.tax.amount + self.commercial_total

    def as_json(self) -> dict[str, object]:
        """The CLI's JSON: money as strings with two decimals, factors as strings."""
        return {
            "region": self.region,
            "start": self.start,
            "end": self.end,
            "ctpl_band": self.ctpl.band_key,
            "ctpl_base": money_text(self.ctpl.base),
            "ctpl_level": self.ctpl.level,
            "ctpl_rate": rate_text(self.ctpl.rate),
            "ctpl_factor": rate_text(self.ctpl.factor),
            "ctpl_premium": money_text(self.ctpl.premium),
            "new_car": self.input.new_car,
            "vehicle_tax_band": self.tax.band_key,
            "vehicle_tax_annual": money_text(self.tax.annual),
            "vehicle_tax_relief": self.tax.relief,
            "vehicle_tax_months": self.tax.months,
            "vehicle_tax": money_text(self.tax.amount),
            "actual_value": money_text(self.valuation.actual_value) if self.valuation else None,
            "ncd_level": self.ncd_level,
            "ncd_factor": rate_text(self.ncd_factor) if self.ncd_factor is not None else None,
            "ncd_derived": self.ncd_derived,
            "commercial": [
                {
                    "coverage": item.coverage,
                    "limit": money_text(item.limit) if item.limit is not None else None,
                    "sum_insured": money_text(item.sum_insured)
                    if item.sum_insured is not None
                    else None,
                    "base_pure_premium": money_text(item.base_pure_premium),
                    "loading": rate_text(item.loading),
                    "base_premium": money_text(item.base_premium),
                    "ncd_level": item.ncd_level,
                    "ncd_factor": rate_text(item.ncd_factor),
                    "self_pricing": rate_text(item.self_pricing),
                    "premium": money_text(item.premium),
                }
                for item in self.commercial
            ],
            "commercial_total": money_text(self.commercial_total),
            "estimate": self.estimate,
            "total": money_text(self.total),
            "tables": [
                {"code": v.code, "region": v.region, "effective_from": v.effective_from, "id": v.id}
                for v in self.tables
            ],
        }


def check_input(trial: TrialInput, today: date, problems: Problems) -> None:
    if trial.start is not None and trial.start < today:
        problems.add(
            "start",
            tr(
                "保险起期不能早于今天（{d}）",
                "The start date cannot be before today ({d})",
                d=today.isoformat(),
            ),
        )
    # a new car is insured before it is registered: a registration after today is fine
    # as long as it is not after the start of cover
    if (
        trial.first_registration is not None
        and trial.start is not None
        and trial.first_registration > trial.start
    ):
        problems.add(
            "first_registration",
            tr("初次登记日期晚于保险起期", "First registration is after the start date"),
        )
    if (
        trial.purchase_date is not None
        and trial.start is not None
        and trial.purchase_date > trial.start
    ):
        problems.add(
            "purchase_date", tr("购置日期晚于保险起期", "The purchase date is after the start date")
        )
    if trial.trailer and trial.use not in TRUCK_USES:
        problems.add(
            "trailer",
            tr(
                "挂车只能按非营业货车或营业货车录入",
                "A trailer is entered as a truck or business truck",
            ),
        )
    if trial.new_energy and trial.energy_saving:
        problems.add(
            "energy_saving",
            tr(
                "新能源车免征车船税，不能同时选择节能车减半",
                "New-energy (exempt) and energy-saving (half) exclude each other",
            ),
        )
    if trial.claim_free_years and trial.at_fault_claims:
        problems.add(
            "claim_free_years",
            tr(
                "上年有有责事故时连续无赔款年数应为 0",
                "Claim-free years must be 0 when there were at-fault claims last year",
            ),
        )
    if trial.fatal and trial.claim_free_years:
        problems.add(
            "fatal",
            tr(
                "上年发生有责死亡事故时连续无赔款年数应为 0",
                "A fatal at-fault accident last year means no claim-free years",
            ),
        )


def new_car_label() -> str:
    return tr("新车（未上牌）", "New car (not registered)")


def registered_text(trial: TrialInput, first_registration: date | None) -> str:
    """What the form shows under 初次登记."""
    if trial.new_car:
        return new_car_label()
    return first_registration.isoformat() if first_registration else ""


def check_new_car(trial: TrialInput, problems: Problems) -> None:
    if not trial.new_car:
        return
    if trial.first_registration is not None:
        problems.add(
            "first_registration",
            tr(
                "新车（未上牌）没有初次登记日期，请留空",
                "A new car (not registered) has no first registration: leave it empty",
            ),
        )
    history = (
        ("claim_free_years", trial.claim_free_years),
        ("at_fault_claims", trial.at_fault_claims),
        ("fatal", trial.fatal),
        ("ncd_level", trial.ncd_level is not None),
    )
    for name, given in history:
        if given:
            problems.add(
                name,
                tr(
                    "新车按首年投保、无出险记录计算，请留空",
                    "A new car is rated as first-year with no claim history: leave it empty",
                ),
            )


def compute(
    trial: TrialInput, book: RateBook, today: date, problems: Problems
) -> TrialResult | None:
    """The itemised trial, or None with the reasons in `problems`."""
    check_input(trial, today, problems)
    check_new_car(trial, problems)
    ctpl = compute_ctpl(trial, book, problems)
    tax = compute_tax(trial, book, problems)
    items, value, ncd = compute_commercial(trial, book, problems)
    if problems or ctpl is None or tax is None or trial.start is None:
        return None
    return TrialResult(
        input=trial,
        start=trial.start,
        end=trial.start + relativedelta(years=1, days=-1),
        region=book.region,
        ctpl=ctpl,
        tax=tax,
        commercial=items,
        valuation=value,
        ncd_level=ncd[0] if ncd else None,
        ncd_factor=ncd[1] if ncd else None,
        ncd_derived=ncd[2] if ncd else False,
        estimate=bool(book.table(COMMERCIAL_BASE).get("illustrative")),
        tables=book.versions(),
    )


@dataclass(frozen=True)
class TrialOutcome:
    """What a screen shows while the clerk types: the result, or every field's problem."""

    result: TrialResult | None
    errors: list[FieldError]
