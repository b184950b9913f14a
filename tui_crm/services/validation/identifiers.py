"""Checks for the identifiers staff type or import: resident ID, credit code, phone, plate, VIN.

Each check returns a verdict (never raises) with the normalised value, a reason in the
interface language, warnings that do not block, and the facts the identifier carries
(birth date, gender and region of an ID number...). Screens show `reason` next to the
field; services call `require(kind, value, field=...)` to refuse bad input.

The check digits come from python-stdnum (`calc_check_digit`); the tolerant rules are
ours (docs/reference.md): unknown or retired region codes only warn; a credit code's
first two characters may be letters (registrant and type, e.g. village collectives N2…)
but characters 3–8 are the administrative division digits (GB 32100).
"""

import re
from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric, uscc

from tui_crm.domain import IDENTIFIER_KINDS
from tui_crm.i18n import tr
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.core.text import norm_identifier, norm_phone
from tui_crm.services.validation.phone_plan import is_service_number, lengths_for
from tui_crm.services.validation.vehicle import (
    PlateVerdict,
    VinVerdict,
    check_plate,
    check_vin,
    vin_check_digit,
)
from tui_crm.services.validation.verdict import Verdict, region_name

KINDS = IDENTIFIER_KINDS


@dataclass
class IdVerdict(Verdict):
    birth_date: date | None = None
    gender: str | None = None  # M / F
    region_code: str | None = None
    region_name: str | None = None


@dataclass
class UsccVerdict(Verdict):
    registrant: str | None = None  # first character: registration authority
    region_code: str | None = None
    region_name: str | None = None
    organisation_code: str | None = None


@dataclass
class PhoneVerdict(Verdict):
    phone_type: str | None = None  # mobile / landline / service (400, 800: companies only)
    area_code: str | None = None


# ---------------------------------------------------------------- resident ID

_ID_RE = re.compile(r"^\d{17}[\dX]$")


def check_resident_id(value: str, *, today: date | None = None) -> IdVerdict:
    number = norm_identifier(value)
    verdict = IdVerdict("id", value, False, number, "")
    if re.fullmatch(r"\d{15}", number):
        verdict.reason = tr(
            "这是15位旧身份证号，请使用18位号码",
            "This is an old 15-digit ID number; use the 18-digit one",
        )
        return verdict
    if len(number) != 18:
        verdict.reason = tr(
            "身份证号应为18位（现为{n}位）",
            "A resident ID number has 18 characters ({n} given)",
            n=len(number),
        )
        return verdict
    if not _ID_RE.match(number):
        verdict.reason = tr(
            "身份证号前17位须为数字，末位为数字或X",
            "The first 17 characters must be digits, the last a digit or X",
        )
        return verdict
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        verdict.reason = tr(
            "出生日期 {d} 不是有效日期",
            "Birth date {d} is not a real date",
            d=f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
        )
        return verdict
    today = today or _today()
    if born > today:
        verdict.reason = tr(
            "出生日期 {d} 晚于今天", "Birth date {d} is in the future", d=born.isoformat()
        )
        return verdict
    if born.year < 1900:
        verdict.reason = tr(
            "出生日期 {d} 不合理", "Birth date {d} is not plausible", d=born.isoformat()
        )
        return verdict
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        verdict.reason = tr(
            "校验位错误：末位应为 {c}",
            "Wrong check digit: the last character should be {c}",
            c=expected,
        )
        return verdict
    verdict.valid = True
    verdict.birth_date = born
    verdict.gender = "M" if int(number[16]) % 2 else "F"
    verdict.region_code = number[:6]
    name, current = region_name(number[:6])
    verdict.region_name = name or None
    if not current:
        verdict.warnings.append(
            tr(
                "地区代码 {c} 不在现行行政区划中（可能是已撤销的旧代码）",
                "Region code {c} is not a current division (perhaps a retired code)",
                c=number[:6],
            )
        )
    verdict.reason = tr("身份证号有效", "Valid resident ID number")
    return verdict


def _today() -> date:
    from tui_crm.services.core.clock import Clock

    return Clock().today()


# ---------------------------------------------------------------- credit code

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_REGISTRANTS = {
    "1": ("机构编制", "establishment office"),
    "5": ("民政", "civil affairs"),
    "9": ("工商", "market regulation"),
    "N": ("农业", "agriculture"),
    "Y": ("其他", "other"),
}


def check_credit_code(value: str) -> UsccVerdict:
    code = norm_identifier(value)
    verdict = UsccVerdict("uscc", value, False, code, "")
    if len(code) != 18:
        verdict.reason = tr(
            "统一社会信用代码应为18位（现为{n}位）",
            "A unified social credit code has 18 characters ({n} given)",
            n=len(code),
        )
        return verdict
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        verdict.reason = tr(
            "含不允许的字符 {c}（不用 I、O、Z、S、V）",
            "Contains characters not allowed: {c} (I, O, Z, S, V are never used)",
            c=" ".join(bad),
        )
        return verdict
    if not code[2:8].isdigit():
        verdict.reason = tr(
            "第3–8位是登记管理机关行政区划码，应为数字（现为 {c}）",
            "Characters 3–8 are the administrative division code and must be digits ({c} given)",
            c=code[2:8],
        )
        return verdict
    expected = uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        verdict.reason = tr(
            "校验码错误：末位应为 {c}",
            "Wrong check character: the last character should be {c}",
            c=expected,
        )
        return verdict
    verdict.valid = True
    verdict.reason = tr("统一社会信用代码有效", "Valid unified social credit code")
    zh_en = _REGISTRANTS.get(code[0])
    verdict.registrant = tr(*zh_en) if zh_en else code[0]
    verdict.organisation_code = code[8:17]
    verdict.region_code = code[2:8]
    name, _current = region_name(code[2:8])
    verdict.region_name = name or None
    if not _organisation_code_ok(code[8:17]):
        verdict.warnings.append(
            tr(
                "第9–17位组织机构代码的校验位不符",
                "The organisation code (characters 9–17) has a wrong check digit",
            )
        )
    return verdict


def _organisation_code_ok(code: str) -> bool:
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    try:
        total = sum(int(c, 36) * w for c, w in zip(code[:8], weights, strict=True))
    except ValueError:
        return False
    c = 11 - total % 11
    return code[8] == {10: "X", 11: "0"}.get(c, str(c))


# ---------------------------------------------------------------- phone

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LOCAL_AREA_CODE = "0573"  # Jiaxing


def check_phone(value: str, *, corporate: bool = False) -> PhoneVerdict:
    """A mobile or a landline; `corporate` (a company's or authority's contact) also takes
    the nationwide 400 / 800 service numbers companies list."""
    digits = norm_phone(value)
    verdict = PhoneVerdict("phone", value, False, digits, "")
    if not digits:
        verdict.reason = tr("请输入电话号码", "Enter a phone number")
        return verdict
    if digits.startswith("1"):
        if _MOBILE_RE.match(digits):
            verdict.valid, verdict.phone_type = True, "mobile"
            verdict.reason = tr("手机号有效", "Valid mobile number")
        else:
            verdict.reason = tr(
                "手机号应为11位，以13–19开头",
                "A mobile number has 11 digits and starts with 13–19",
            )
        return verdict
    if is_service_number(digits):
        if corporate:
            verdict.valid, verdict.phone_type = True, "service"
            verdict.reason = tr("企业服务号码有效", "Valid company service number")
        else:
            verdict.reason = tr(
                "400/800 服务号码只用于企业客户",
                "400 / 800 service numbers are for company customers only",
            )
        return verdict
    if digits.startswith("0"):
        area_len = 3 if digits[1:2] in ("1", "2") else 4  # "0" alone: still typing
        area, local = digits[:area_len], digits[area_len:]
        lengths = lengths_for(area)
        if len(local) in lengths and local[0] not in "01":
            verdict.valid, verdict.phone_type, verdict.area_code = True, "landline", area
            verdict.reason = tr("固定电话有效", "Valid landline number")
        else:
            verdict.reason = _landline_reason(area, lengths)
        return verdict
    if len(digits) in lengths_for(LOCAL_AREA_CODE) and digits[0] not in "01":
        verdict.valid, verdict.phone_type, verdict.area_code = True, "landline", LOCAL_AREA_CODE
        verdict.normalised = LOCAL_AREA_CODE + digits
        verdict.warnings.append(
            tr("未填区号，按嘉兴0573处理", "No area code given: taken as Jiaxing 0573")
        )
        verdict.reason = tr("固定电话有效", "Valid landline number")
        return verdict
    verdict.reason = tr(
        "不是有效的手机号（11位）或固定电话（区号+7–8位）",
        "Not a mobile number (11 digits) or a landline (area code + 7–8 digits)",
    )
    return verdict


def _landline_reason(area: str, lengths: tuple[int, ...]) -> str:
    if len(lengths) == 1:
        return tr(
            "区号 {a} 的固定电话为{n}位号码（不以0、1开头）",
            "Landlines behind area code {a} have {n} digits (not starting with 0 or 1)",
            a=area,
            n=lengths[0],
        )
    return tr(
        "固定电话应为区号（如0573）加7–8位号码",
        "A landline is an area code (e.g. 0573) and 7–8 digits",
    )


# ---------------------------------------------------------------- dispatch


def validate(
    kind: str, value: str, *, today: date | None = None, corporate: bool = False
) -> Verdict:
    """The verdict for one value of a kind in KINDS ('id', 'uscc', 'phone', 'plate', 'vin');
    `corporate` lets a phone be a company's 400 / 800 service number."""
    value = value or ""
    if kind == "id":
        return check_resident_id(value, today=today)
    if kind == "uscc":
        return check_credit_code(value)
    if kind == "phone":
        return check_phone(value, corporate=corporate)
    if kind == "plate":
        return check_plate(value)
    if kind == "vin":
        return check_vin(value)
    raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")


def require(kind: str, value: str, *, field: str | None = None, today: date | None = None) -> str:
    """The normalised value, or ValidationFailed naming `field` with the reason."""
    verdict = validate(kind, value, today=today)
    if not verdict.valid:
        raise ValidationFailed(verdict.reason, field=field or kind)
    return verdict.normalised


def is_valid(kind: str, value: str, *, today: date | None = None) -> bool:
    return validate(kind, value, today=today).valid


__all__ = [
    "KINDS",
    "IdVerdict",
    "PhoneVerdict",
    "PlateVerdict",
    "UsccVerdict",
    "Verdict",
    "VinVerdict",
    "check_credit_code",
    "check_phone",
    "check_plate",
    "check_resident_id",
    "check_vin",
    "is_valid",
    "region_name",
    "require",
    "validate",
    "vin_check_digit",
]


# ISO 7064 MOD 11-2 weights and check characters of the 18-digit resident ID.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECKS = "10X98765432"


def id_18_from_15(old: str) -> str:
    """The 18-digit resident ID of a 15-digit one (born in the 1900s, check digit added)."""
    body = old[:6] + "19" + old[6:]
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + _CHECKS[total % 11]
