"""车船税 collected with 交强险, from the region's `vehicle_tax` table.

- Category: passenger vehicles whose seats fall in a `bus:seats` band (10–19 medium,
  20+ large) pay the bus amount; other passenger vehicles (≤ 9 seats) are 乘用车 banded by
  displacement, each band including its upper edge. Trucks pay `truck:per_ton` × curb
  weight, trailers `trailer:per_ton`, special vehicles `special:per_ton`; motorcycles and
  tractors their `:any` amount (tractors are outside the tax's schedule: 0).
- Curb weight with a fraction counts as it is (实施条例: 有尾数的据实计算); the annual
  amount is rounded to the fen there.
- New-energy vehicles: × `new_energy_factor` (0, exempt). Energy-saving vehicles: ×
  `energy_saving_factor` (0.5), rounded to the fen.
- Tax year = the year of the policy start. In the year of purchase (purchase date, or the
  first registration when none is given; for a new car not yet registered, the policy
  start) the tax is annual × months from the purchase month to December inclusive / 12,
  computed exactly and rounded to the fen once. Without any of these the vehicle is taken
  as not bought in the tax year (full amount).
"""

from dataclasses import dataclass
from decimal import Decimal

from tui_crm.domain import VehicleUse
from tui_crm.i18n import tr
from tui_crm.services.premium.bands import find_band, measures
from tui_crm.services.premium.ctpl import lookup_band
from tui_crm.services.premium.errors import Problems
from tui_crm.services.premium.inputs import PASSENGER_USES, TRUCK_USES, TrialInput
from tui_crm.services.premium.money import to_fen
from tui_crm.services.premium.tables import VEHICLE_TAX, RateBook


@dataclass(frozen=True)
class TaxResult:
    band_key: str
    band_label: str
    annual: Decimal  # after any per-ton computation, before relief and prorating
    relief: str  # "none" | "exempt" | "half"
    relief_factor: Decimal
    after_relief: Decimal
    tax_year: int
    months: int  # months taxed in the tax year (12 unless bought in it)
    amount: Decimal


def _per_ton(
    trial: TrialInput, entries: dict[str, Decimal], key: str, problems: Problems
) -> Decimal | None:
    rate = entries.get(key)
    if rate is None:
        problems.add("use", tr("车船税表中没有 {k}", "The vehicle tax table has no {k}", k=key))
        return None
    if trial.curb_weight is None:
        problems.add(
            "curb_weight",
            tr(
                "货车、挂车和专用作业车按整备质量计税，请填写整备质量（吨）",
                "Trucks, trailers and special vehicles are taxed on curb weight: give it in tons",
            ),
        )
        return None
    return to_fen(rate * trial.curb_weight)


def annual_tax(
    trial: TrialInput, entries: dict[str, Decimal], problems: Problems
) -> tuple[str, Decimal] | None:
    use = trial.use
    if use in TRUCK_USES:
        key = "trailer:per_ton" if trial.trailer else "truck:per_ton"
        amount = _per_ton(trial, entries, key, problems)
        return None if amount is None else (key, amount)
    if use == VehicleUse.SPECIAL:
        amount = _per_ton(trial, entries, "special:per_ton", problems)
        return None if amount is None else ("special:per_ton", amount)
    if use in PASSENGER_USES:
        if trial.seats is None:
            problems.add("seats", tr("请填写核定座位数", "Give the number of seats"))
            return None
        bus_key = find_band(entries, "bus", "seats", Decimal(trial.seats))
        if bus_key is not None:
            return bus_key, entries[bus_key]
        if trial.new_energy and trial.displacement is None:
            return "car:new_energy", Decimal(0)  # exempt anyway; no displacement needed
        car = lookup_band(entries, "car", trial, problems, what=tr("乘用车", "passenger car"))
        return None if car is None else (car, entries[car])
    if measures(entries, use):
        other = lookup_band(entries, use, trial, problems, what=use)
        return None if other is None else (other, entries[other])
    problems.add("use", tr("车船税表中没有该类车辆", "The vehicle tax table has no such vehicles"))
    return None


def compute_tax(trial: TrialInput, book: RateBook, problems: Problems) -> TaxResult | None:
    table = book.table(VEHICLE_TAX)
    if not table:
        problems.add(
            "region",
            tr(
                "地区“{r}”在 {d} 没有生效的车船税税额表",
                "Region '{r}' has no vehicle tax table in force on {d}",
                r=book.region,
                d=book.on.isoformat(),
            ),
        )
        return None
    found = annual_tax(trial, table.entries, problems)
    if found is None or trial.start is None:
        return None
    key, annual = found
    relief, factor = "none", Decimal(1)
    if trial.new_energy:
        relief, factor = "exempt", table.entries.get("new_energy_factor", Decimal(0))
    elif trial.energy_saving:
        relief, factor = "half", table.entries.get("energy_saving_factor", Decimal("0.5"))
    after_relief = to_fen(annual * factor)
    bought = trial.purchase_date or trial.first_registration
    if bought is None and trial.new_car:
        bought = trial.start
    tax_year = trial.start.year
    months = 12
    if bought is not None and bought.year == tax_year:
        months = 12 - bought.month + 1
    amount = to_fen(after_relief * months / 12)
    label = table.label(key) if key in table.labels else tr("新能源汽车", "new-energy vehicle")
    return TaxResult(
        band_key=key,
        band_label=label,
        annual=annual,
        relief=relief,
        relief_factor=factor,
        after_relief=after_relief,
        tax_year=tax_year,
        months=months,
        amount=amount,
    )
