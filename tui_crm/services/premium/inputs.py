"""What a clerk types for a trial, parsed from text the same way for the screen and the CLI.

Every value arrives as the text of a field or a flag (`parse_form`); numbers accept
full-width digits, thousands separators and a trailing 万 (10,000), dates `YYYY-MM-DD`,
`YYYY/MM/DD` or `YYYYMMDD`. Field names are the CLI flags without dashes.

Coverages are `code` or `code:limit`: `damage`, `third_party:1000000`, `driver:10000`
(per seat), `passenger:10000` (per seat, all seats but the driver's), and the riders
`scratch:5000` (车身划痕, with damage), `holiday_double` (法定节假日限额翻倍, family cars with
third-party cover), `medical_extra:10000` (医保外医疗费用, with third-party cover).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from tui_crm.domain import VehicleUse
from tui_crm.i18n import tr
from tui_crm.services.core.text import to_halfwidth
from tui_crm.services.premium.errors import Problems

COVERAGES = (
    "damage",
    "third_party",
    "driver",
    "passenger",
    "scratch",
    "holiday_double",
    "medical_extra",
)
NEEDS_LIMIT = frozenset({"third_party", "driver", "passenger", "scratch", "medical_extra"})
PASSENGER_USES = frozenset(
    {
        VehicleUse.FAMILY,
        VehicleUse.ENTERPRISE,
        VehicleUse.GOVERNMENT,
        VehicleUse.TAXI,
        VehicleUse.BUS,
        VehicleUse.COACH,
    }
)
TRUCK_USES = frozenset({VehicleUse.TRUCK, VehicleUse.BUSINESS_TRUCK})


@dataclass(frozen=True)
class CoverageRequest:
    code: str
    limit: Decimal | None = None


@dataclass
class TrialInput:
    use: str = VehicleUse.FAMILY.value
    seats: int | None = None
    tonnage: Decimal | None = None  # rated load, t (交强险 band of trucks)
    curb_weight: Decimal | None = None  # t (车船税 of trucks and special vehicles)
    special_class: int | None = None  # 特种车 1..4
    engine_cc: int | None = None  # motorcycles
    power_kw: Decimal | None = None  # tractors, when the region bands them by power
    displacement: Decimal | None = None  # litres
    new_energy: bool = False
    energy_saving: bool = False
    trailer: bool = False
    new_car: bool = False  # not registered yet (新车未上牌): no first registration
    first_registration: date | None = None
    purchase_date: date | None = None
    new_car_price: Decimal | None = None
    start: date | None = None
    region: str = "zhejiang"
    claim_free_years: int = 0
    at_fault_claims: int = 0
    fatal: bool = False
    ncd_level: int | None = None
    coverages: list[CoverageRequest] = field(default_factory=list)
    self_pricing: Decimal | None = None

    def coverage(self, code: str) -> CoverageRequest | None:
        return next((c for c in self.coverages if c.code == code), None)


def parse_decimal(text: str) -> Decimal:
    """'150,000' / '１５万' / '1.6' → Decimal; raises ValueError."""
    cleaned = to_halfwidth(text).strip().replace(",", "").replace("，", "").replace(" ", "")
    factor = Decimal(1)
    if cleaned.endswith("万"):
        cleaned, factor = cleaned[:-1], Decimal(10000)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value * factor


def parse_date(text: str) -> date:
    cleaned = to_halfwidth(text).strip()
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return _text(value).lower() in {"1", "true", "yes", "y", "on", "是"}


class _Reader:
    def __init__(self, values: Mapping[str, object], problems: Problems) -> None:
        self.values = values
        self.problems = problems

    def decimal(
        self,
        name: str,
        *,
        positive: bool = True,
        maximum: Decimal | None = None,
        places: int | None = None,
    ) -> Decimal | None:
        text = _text(self.values.get(name))
        if not text:
            return None
        try:
            value = parse_decimal(text)
        except ValueError:
            self.problems.add(name, tr("请输入数字", "Enter a number"))
            return None
        if positive and value <= 0:
            self.problems.add(name, tr("应大于 0", "Must be greater than 0"))
            return None
        if maximum is not None and value > maximum:
            self.problems.add(name, tr("不能超过 {m}", "Cannot exceed {m}", m=maximum))
            return None
        if places is not None and value != value.quantize(Decimal(1).scaleb(-places)):
            # Money is exact to the fen: a third decimal is refused, never rounded away.
            self.problems.add(name, tr("最多 {p} 位小数", "At most {p} decimals", p=places))
            return None
        return value

    def integer(self, name: str, *, low: int, high: int) -> int | None:
        text = _text(self.values.get(name))
        if not text:
            return None
        try:
            value = parse_decimal(text)
        except ValueError:
            value = Decimal("NaN")
        if value.is_nan() or value != value.to_integral_value():
            self.problems.add(name, tr("请输入整数", "Enter a whole number"))
            return None
        if not low <= value <= high:
            self.problems.add(
                name, tr("应在 {a} 到 {b} 之间", "Must be between {a} and {b}", a=low, b=high)
            )
            return None
        return int(value)

    def day(self, name: str) -> date | None:
        text = _text(self.values.get(name))
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            self.problems.add(name, tr("日期格式应为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"))
            return None


def parse_coverage(text: str, problems: Problems) -> CoverageRequest | None:
    code, _, limit_text = to_halfwidth(text).strip().partition(":")
    code = code.strip().lower().replace("-", "_")
    if code not in COVERAGES:
        problems.add(
            "coverage",
            tr(
                "未知险别“{c}”，可选：{all}",
                "Unknown coverage '{c}'; choose from: {all}",
                c=text,
                all=", ".join(COVERAGES),
            ),
            coverage=code or text,
        )
        return None
    limit: Decimal | None = None
    if limit_text.strip():
        try:
            limit = parse_decimal(limit_text)
        except ValueError:
            problems.add(
                "coverage", tr("限额应为数字", "The limit must be a number"), coverage=code
            )
            return None
        if limit <= 0:
            problems.add("coverage", tr("限额应大于 0", "The limit must be above 0"), coverage=code)
            return None
    elif code in NEEDS_LIMIT:
        problems.add(
            "coverage",
            tr(
                "请填写“{c}”的限额，如 {c}:10000", "Give the limit of '{c}', e.g. {c}:10000", c=code
            ),
            coverage=code,
        )
        return None
    return CoverageRequest(code, limit)


def parse_form(values: Mapping[str, object], *, today: date) -> tuple[TrialInput, Problems]:
    """Text of the fields / flags → TrialInput, with a problem per field that cannot be read.

    `start` defaults to tomorrow (cover begins at 0:00 of the next day)."""
    from datetime import timedelta

    problems = Problems()
    read = _Reader(values, problems)
    use = _text(values.get("use")).lower() or VehicleUse.FAMILY.value
    if use not in {u.value for u in VehicleUse}:
        problems.add(
            "use",
            tr(
                "未知车辆使用性质“{u}”，可选：{all}",
                "Unknown vehicle use '{u}'; choose from: {all}",
                u=use,
                all=", ".join(u.value for u in VehicleUse),
            ),
        )
    trial = TrialInput(
        use=use,
        seats=read.integer("seats", low=1, high=99),
        tonnage=read.decimal("tonnage", maximum=Decimal(200)),
        curb_weight=read.decimal("curb_weight", maximum=Decimal(200)),
        special_class=read.integer("special_class", low=1, high=4),
        engine_cc=read.integer("engine_cc", low=1, high=10000),
        power_kw=read.decimal("power_kw", maximum=Decimal(1000)),
        displacement=read.decimal("displacement", maximum=Decimal(20)),
        new_energy=_flag(values.get("new_energy")),
        energy_saving=_flag(values.get("energy_saving")),
        trailer=_flag(values.get("trailer")),
        new_car=_flag(values.get("new_car")),
        first_registration=read.day("first_registration"),
        purchase_date=read.day("purchase_date"),
        new_car_price=read.decimal("new_car_price", maximum=Decimal(100_000_000), places=2),
        start=read.day("start") if _text(values.get("start")) else today + timedelta(days=1),
        region=_text(values.get("region")).lower() or "zhejiang",
        claim_free_years=read.integer("claim_free_years", low=0, high=99) or 0,
        at_fault_claims=read.integer("at_fault_claims", low=0, high=99) or 0,
        fatal=_flag(values.get("fatal")),
        ncd_level=read.integer("ncd_level", low=-99, high=99),
        self_pricing=read.decimal("self_pricing", maximum=Decimal(100)),
    )
    raw = values.get("coverage") or []
    items: Sequence[object] = (
        raw if isinstance(raw, list | tuple) else re.split(r"[\s;]+", str(raw))
    )
    seen: set[str] = set()
    for item in items:
        if not _text(item):
            continue
        request = parse_coverage(_text(item), problems)
        if request is None:
            continue
        if request.code in seen:
            problems.add(
                "coverage",
                tr("险别“{c}”重复", "Coverage '{c}' given twice", c=request.code),
                coverage=request.code,
            )
            continue
        seen.add(request.code)
        trial.coverages.append(request)
    return trial, problems
