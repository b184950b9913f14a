"""商业车险 (2020 reform): premium = 基准纯风险保费 / (1 − 附加费用率) × NCD × 自主定价系数.

Rounding points (ROUND_HALF_UP to the fen): the actual value; each base pure premium; the
base premium (纯风险保费 / (1 − loading)); the premium of each coverage. The total is the
sum of the rounded premiums. Zhejiang has no traffic-violation factor.

- Actual value (实际价值) = new-car price × (1 − months used × monthly rate), depreciation at
  most `max_total` (80%); months used = whole months from first registration to the policy
  start (a part month does not count; no first registration = a new car, 0 months).
- NCD level: as given (the industry platform's), else derived from the history with the
  `derive:*` rows of the `ncd` table: at-fault claims last year (a fatal accident counts at
  least one) → `derive:claims:N`; none and N claim-free years → `derive:free:N`; capped at
  the highest row. The trial's only claim count is at-fault claims last year.
- The shipped base pure premium table is illustrative (row `illustrative` = 1): results are
  labelled 估算 / estimate until the company's own table is loaded.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from tui_crm.domain import VehicleUse
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label
from tui_crm.services.premium.bands import find_band, measures
from tui_crm.services.premium.errors import Problems
from tui_crm.services.premium.inputs import CoverageRequest, TrialInput
from tui_crm.services.premium.money import to_fen
from tui_crm.services.premium.tables import (
    COMMERCIAL_BASE,
    COMMERCIAL_PARAMS,
    DEPRECIATION,
    NCD,
    RateBook,
    Table,
)


def coverage_name(code: str) -> str:
    return label("coverage", code)


@dataclass(frozen=True)
class CommercialItem:
    coverage: str
    label: str
    limit: Decimal | None  # per accident (third party), per seat (seats), rider limit
    sum_insured: Decimal | None  # damage: actual value; seats: limit × seats
    seats: int | None
    base_pure_premium: Decimal
    loading: Decimal
    base_premium: Decimal
    ncd_level: int
    ncd_factor: Decimal
    self_pricing: Decimal
    premium: Decimal


@dataclass(frozen=True)
class Valuation:
    new_car_price: Decimal
    months_used: int
    monthly_rate: Decimal
    depreciation: Decimal  # share of the price, capped
    actual_value: Decimal


def months_used(trial: TrialInput) -> int:
    if trial.first_registration is None or trial.start is None:
        return 0
    span = relativedelta(trial.start, trial.first_registration)
    return max(0, span.years * 12 + span.months)


def valuation(trial: TrialInput, book: RateBook, problems: Problems) -> Valuation | None:
    if trial.new_car_price is None:
        problems.add(
            "new_car_price",
            tr(
                "车损险按新车购置价计算实际价值，请填写新车购置价",
                "Vehicle damage needs the new-car price (for the actual value)",
            ),
        )
        return None
    entries = book.table(DEPRECIATION).entries
    key = None
    found = measures(entries, trial.use)
    if "any" in found:
        key = f"{trial.use}:any"
    elif "seats" in found and trial.seats is not None:
        key = find_band(entries, trial.use, "seats", Decimal(trial.seats))
    if key is None:
        problems.add("use", tr("折旧率表中没有该类车辆", "No depreciation rate for this vehicle"))
        return None
    months = months_used(trial)
    rate = entries[key]
    cap = entries.get("max_total", Decimal("0.80"))
    share = min(rate * months, cap)
    actual = to_fen(trial.new_car_price * (1 - share))
    return Valuation(trial.new_car_price, months, rate, share, actual)


def ncd_level(
    trial: TrialInput, book: RateBook, problems: Problems
) -> tuple[int, Decimal, bool] | None:
    """(level, factor, derived?)"""
    entries = book.table(NCD).entries
    levels = sorted(int(k.split(":", 1)[1]) for k in entries if k.startswith("level:"))
    if not levels:
        problems.add("ncd_level", tr("没有生效的 NCD 系数表", "No NCD table in force"))
        return None
    derived = trial.ncd_level is None
    if derived:
        claims = max(trial.at_fault_claims, 1 if trial.fatal else 0)
        if claims or not trial.claim_free_years:
            kind, count = "claims", claims
        else:
            kind, count = "free", trial.claim_free_years
        rows = sorted(int(k.rsplit(":", 1)[1]) for k in entries if k.startswith(f"derive:{kind}:"))
        if not rows:
            problems.add("ncd_level", tr("请填写 NCD 等级", "Give the NCD level"))
            return None
        count = min(count, rows[-1])
        level = int(entries[f"derive:{kind}:{count}"])
    else:
        level = int(trial.ncd_level or 0)
    key = f"level:{level}"
    if key not in entries:
        problems.add(
            "ncd_level",
            tr(
                "NCD 等级应在 {a} 到 +{b} 之间",
                "The NCD level must be between {a} and +{b}",
                a=levels[0],
                b=levels[-1],
            ),
        )
        return None
    return level, entries[key], derived


def _rate(table: Table, key: str, problems: Problems, coverage: str) -> Decimal | None:
    value = table.get(key)
    if value is None:
        problems.add(
            "coverage",
            tr("基准纯风险保费表中没有 {k}", "The base pure premium table has no {k}", k=key),
            coverage=coverage,
        )
    return value


def _allowed(table: Table, prefix: str) -> list[Decimal]:
    return sorted(
        Decimal(k.split(":", 1)[1])
        for k in table.entries
        if k.startswith(prefix + ":") and k.split(":", 1)[1].isdigit()
    )


def _limit_choice(table: Table, request: CoverageRequest, problems: Problems) -> bool:
    allowed = _allowed(table, "tp_limit" if request.code == "third_party" else request.code)
    if request.limit in allowed:
        return True
    problems.add(
        "coverage",
        tr(
            "{c}的限额只能选 {a}",
            "The limit of {c} must be one of {a}",
            c=coverage_name(request.code),
            a=" / ".join(f"{v:,.0f}" for v in allowed),
        ),
        coverage=request.code,
    )
    return False


def _seat_limit(table: Table, request: CoverageRequest, problems: Problems) -> bool:
    low = table.get("seat_limit:min") or Decimal(0)
    high = table.get("seat_limit:max") or Decimal(10**9)
    step = table.get("seat_limit:step") or Decimal(1)
    limit = request.limit or Decimal(0)
    if low <= limit <= high and limit % step == 0:
        return True
    problems.add(
        "coverage",
        tr(
            "每座限额应在 {a:,.0f} 到 {b:,.0f} 元之间，且为 {s:,.0f} 的整数倍",
            "The per-seat limit must be {a:,.0f}–{b:,.0f} yuan, in steps of {s:,.0f}",
            a=low,
            b=high,
            s=step,
        ),
        coverage=request.code,
    )
    return False


_Pure = tuple[Decimal, Decimal | None, int | None]


def base_pure_premium(
    trial: TrialInput,
    request: CoverageRequest,
    table: Table,
    value: Valuation | None,
    problems: Problems,
) -> _Pure | None:
    """(base pure premium, sum insured, seats) of one coverage."""
    pure = _PURE_BY_CODE.get(request.code, _holiday_double)
    return pure(trial, request, table, value, problems)


def _damage(
    trial: TrialInput,
    request: CoverageRequest,
    table: Table,
    value: Valuation | None,
    problems: Problems,
) -> _Pure | None:
    use, code = trial.use, request.code
    fixed = _rate(table, f"damage:{use}:fixed", problems, code)
    rate = _rate(table, f"damage:{use}:rate", problems, code)
    if fixed is None or rate is None or value is None:
        return None
    return to_fen(fixed + rate * value.actual_value), value.actual_value, None


def _third_party(
    trial: TrialInput,
    request: CoverageRequest,
    table: Table,
    value: Valuation | None,
    problems: Problems,
) -> _Pure | None:
    base = _rate(table, f"third_party:{trial.use}", problems, request.code)
    if base is None or not _limit_choice(table, request, problems):
        return None
    return to_fen(base * table.entries[f"tp_limit:{request.limit:.0f}"]), None, None


def _seat_cover(
    trial: TrialInput,
    request: CoverageRequest,
    table: Table,
    value: Valuation | None,
    problems: Problems,
) -> _Pure | None:
    """Driver and passenger cover: a limit per seat."""
    code = request.code
    rate = _rate(table, f"{code}:{trial.use}:rate", problems, code)
    if rate is None or not _seat_limit(table, request, problems):
        return None
    assert request.limit is not None
    seats = 1
    if code == "passenger":
        if trial.seats is None or trial.seats < 2:
            problems.add(
                "coverage",
                tr(
                    "乘客座位险需要 2 座及以上的核定座位数",
                    "Passenger cover needs 2 or more seats",
                ),
                coverage=code,
            )
            return None
        seats = trial.seats - 1
    return to_fen(rate * request.limit * seats), request.limit * seats, seats


def _rider(base: str, entry: str, needs: tuple[str, str]) -> Callable[..., _Pure | None]:
    """A rider priced by its chosen limit, allowed only on top of its base coverage."""

    def pure(
        trial: TrialInput,
        request: CoverageRequest,
        table: Table,
        value: Valuation | None,
        problems: Problems,
    ) -> _Pure | None:
        if trial.coverage(base) is None:
            problems.add("coverage", tr(*needs), coverage=request.code)
            return None
        if not _limit_choice(table, request, problems):
            return None
        return table.entries[f"{entry}:{request.limit:.0f}"], request.limit, None

    return pure


_scratch = _rider(
    "damage", "scratch", ("车身划痕险须附加在车损险上", "The scratch rider needs vehicle damage")
)
_medical_extra = _rider(
    "third_party",
    "medical_extra",
    ("医保外医疗费用险须附加在第三者责任险上", "This rider needs third-party liability"),
)


def _holiday_double(
    trial: TrialInput,
    request: CoverageRequest,
    table: Table,
    value: Valuation | None,
    problems: Problems,
) -> _Pure | None:
    third = trial.coverage("third_party")
    if trial.use != VehicleUse.FAMILY or third is None:
        problems.add(
            "coverage",
            tr(
                "节假日限额翻倍险仅适用于投保了第三者责任险的家庭自用汽车",
                "The holiday rider is for family cars with third-party liability",
            ),
            coverage=request.code,
        )
        return None
    tp = base_pure_premium(trial, third, table, value, Problems())
    rate = _rate(table, "holiday_double:rate", problems, request.code)
    if tp is None or rate is None:
        return None
    return to_fen(tp[0] * rate), third.limit, None


# Every other code is the holiday rider, the last of the catalogue.
_PURE_BY_CODE = {
    "damage": _damage,
    "third_party": _third_party,
    "driver": _seat_cover,
    "passenger": _seat_cover,
    "scratch": _scratch,
    "medical_extra": _medical_extra,
}


def self_pricing(trial: TrialInput, book: RateBook, problems: Problems) -> Decimal | None:
    params = book.table(COMMERCIAL_PARAMS).entries
    low, high = params.get("self_pricing_min"), params.get("self_pricing_max")
    value = trial.self_pricing if trial.self_pricing is not None else Decimal("1.00")
    if low is not None and high is not None and not low <= value <= high:
        problems.add(
            "self_pricing",
            tr(
                "自主定价系数应在 {a} 到 {b} 之间",
                "The self-pricing coefficient must be {a}–{b}",
                a=low,
                b=high,
            ),
        )
        return None
    return value


def compute_commercial(
    trial: TrialInput, book: RateBook, problems: Problems
) -> tuple[list[CommercialItem], Valuation | None, tuple[int, Decimal, bool] | None]:
    ncd = ncd_level(trial, book, problems)
    coefficient = self_pricing(trial, book, problems)
    if not trial.coverages:
        return [], None, ncd
    table = book.table(COMMERCIAL_BASE)
    loading = book.table(COMMERCIAL_PARAMS).entries.get("loading")
    if not table or loading is None:
        problems.add("coverage", tr("没有生效的商业险费率表", "No commercial rate table in force"))
        return [], None, ncd
    value = valuation(trial, book, problems) if trial.coverage("damage") else None
    items = []
    for request in trial.coverages:
        found = base_pure_premium(trial, request, table, value, problems)
        if found is None or ncd is None or coefficient is None:
            continue
        pure, sum_insured, seats = found
        base_premium = to_fen(pure / (1 - loading))
        items.append(
            CommercialItem(
                coverage=request.code,
                label=coverage_name(request.code),
                limit=request.limit,
                sum_insured=sum_insured,
                seats=seats,
                base_pure_premium=pure,
                loading=loading,
                base_premium=base_premium,
                ncd_level=ncd[0],
                ncd_factor=ncd[1],
                self_pricing=coefficient,
                premium=to_fen(base_premium * ncd[1] * coefficient),
            )
        )
    return items, value, ncd
