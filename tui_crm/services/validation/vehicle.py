"""Plate and VIN checks (see `validation` for the dispatcher and the other kinds)."""

import re
from dataclasses import dataclass

from tui_crm.i18n import tr
from tui_crm.services.core.text import norm_identifier, norm_plate
from tui_crm.services.validation.verdict import Verdict


@dataclass
class PlateVerdict(Verdict):
    province: str | None = None
    city_letter: str | None = None
    city: str | None = None
    new_energy: bool = False
    size: str | None = None  # small / large (new-energy plates)


@dataclass
class VinVerdict(Verdict):
    wmi: str | None = None
    check_digit: str | None = None
    model_year_code: str | None = None


# ---------------------------------------------------------------- plate

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
ZHEJIANG_CITIES = dict(
    zip(
        "ABCDEFGHJKL",
        ["杭州", "宁波", "温州", "绍兴", "湖州", "嘉兴", "金华", "衢州", "台州", "丽水", "舟山"],
        strict=True,
    )
)
_ALNUM = "[A-HJ-NP-Z0-9]"  # no I, no O
_FUEL_RE = re.compile(rf"^{_ALNUM}{{5}}$")
_SUFFIX_RE = re.compile(rf"^{_ALNUM}{{4}}[挂学警]$")
# GA 36-2018 small new-energy: D (electric) / F (other; some cities also A–H, J, K), then
# a letter or digit, then four digits
_NEV_SMALL_RE = re.compile(rf"^[A-HJK]{_ALNUM}\d{{4}}$")
_NEV_LARGE_RE = re.compile(r"^\d{5}[DF]$")


def check_plate(value: str) -> PlateVerdict:
    plate = norm_plate(value)
    verdict = PlateVerdict("plate", value, False, plate, "")
    if not plate or plate[0] not in PROVINCES:
        verdict.reason = tr(
            "号牌应以省份简称开头，如 浙F12345",
            "A plate starts with the province character, e.g. 浙F12345",
        )
        return verdict
    if len(plate) < 2 or not ("A" <= plate[1] <= "Z") or plate[1] in "IO":
        verdict.reason = tr(
            "省份简称后应为发牌机关字母（不用 I、O）",
            "The province character is followed by a city letter (not I or O)",
        )
        return verdict
    rest = plate[2:]
    if _FUEL_RE.match(rest) or _SUFFIX_RE.match(rest):
        verdict.valid = True
    elif len(rest) == 6 and (_NEV_LARGE_RE.match(rest) or _NEV_SMALL_RE.match(rest)):
        verdict.valid, verdict.new_energy = True, True
        verdict.size = "large" if _NEV_LARGE_RE.match(rest) else "small"
    elif re.search("[IO]", rest):
        verdict.reason = tr("号牌中不用字母 I 和 O", "Plates never use the letters I and O")
        return verdict
    else:
        verdict.reason = tr(
            "号牌格式不符：省份+字母+5位（新能源6位：D/F+字母或数字+4位数字，如 浙FD12345）",
            "Not a plate: province, letter and 5 characters (new energy 6: D/F, a letter or"
            " digit, 4 digits, e.g. 浙FD12345)",
        )
        return verdict
    verdict.province, verdict.city_letter = plate[0], plate[1]
    if plate[0] == "浙":
        verdict.city = ZHEJIANG_CITIES.get(plate[1])
    verdict.reason = (
        tr("新能源号牌有效", "Valid new-energy plate")
        if verdict.new_energy
        else tr("号牌有效", "Valid plate")
    )
    return verdict


# ---------------------------------------------------------------- VIN

VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_VALUES = {str(d): d for d in range(10)} | dict(
    zip(
        "ABCDEFGHJKLMNPRSTUVWXYZ",
        [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9],
        strict=True,
    )
)


def vin_check_digit(vin: str) -> str:
    """The check character (position 9) of a 17-character VIN (ISO 3779)."""
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def check_vin(value: str) -> VinVerdict:
    vin = norm_identifier(value)
    verdict = VinVerdict("vin", value, False, vin, "")
    if len(vin) != 17:
        verdict.reason = tr(
            "车架号（VIN）应为17位（现为{n}位）",
            "A VIN has 17 characters ({n} given)",
            n=len(vin),
        )
        return verdict
    forbidden = sorted({c for c in vin if c in "IOQ"})
    if forbidden:
        verdict.reason = tr(
            "车架号不用字母 I、O、Q（含 {c}）",
            "A VIN never uses I, O or Q (found {c})",
            c=" ".join(forbidden),
        )
        return verdict
    if not re.fullmatch(r"[A-Z0-9]{17}", vin):
        verdict.reason = tr("车架号只含字母和数字", "A VIN has only letters and digits")
        return verdict
    expected = vin_check_digit(vin)
    if vin[8] != expected:
        verdict.reason = tr(
            "校验位（第9位）错误：应为 {c}",
            "Wrong check digit (position 9): should be {c}",
            c=expected,
        )
        return verdict
    verdict.valid = True
    verdict.wmi, verdict.check_digit, verdict.model_year_code = vin[:3], vin[8], vin[9]
    verdict.reason = tr("车架号有效", "Valid VIN")
    return verdict
