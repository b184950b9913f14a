"""What a clerk types to create or edit a customer, and its field-by-field checks.

The same checks serve the form (a message under each field as the clerk types) and the
service (which refuses with the first failing field). Identifiers use the shared
validators (`services.validation`): resident ID for individuals, unified social credit
code for companies and authorities, mobile and landline numbers.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tui_crm.domain import CustomerKind
from tui_crm.i18n import tr
from tui_crm.services.core.text import clean_text
from tui_crm.services.validation.identifiers import IdVerdict, PhoneVerdict, validate

FIELDS = (
    "kind",
    "name",
    "id_number",
    "birth_date",
    "gender",
    "mobile",
    "landline",
    "address",
    "email",
    "industry",
    "ownership",
    "note",
)
CONTACT_FIELDS = ("mobile", "landline", "address", "email")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LIMITS = {"name": 100, "address": 300, "email": 100, "industry": 40, "ownership": 20, "note": 500}


@dataclass
class CustomerInput:
    """A customer as typed. On edit, `None` means "leave as it is" (a masked value the
    clerk did not touch); an empty string clears an optional field."""

    kind: str
    name: str
    id_number: str | None = None  # resident ID (individual) or credit code (others)
    birth_date: date | str | None = None
    gender: str | None = None  # M / F
    mobile: str | None = None
    landline: str | None = None
    address: str | None = None
    email: str | None = None
    industry: str | None = None
    ownership: str | None = None
    note: str | None = None
    unit_code: str | None = None  # serving unit (create only); default: the clerk's unit
    consent_marketing_sms: bool | None = None


@dataclass
class Checked:
    """Normalised values of the fields given, and a message per field that failed."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def id_label(kind: str) -> str:
    if kind == CustomerKind.INDIVIDUAL:
        return tr("身份证号", "Resident ID")
    return tr("统一社会信用代码", "Credit code")


def check_field(kind: str, name: str, value: Any, *, today: date | None = None) -> Checked:
    """One field on its own (the form calls this as the clerk types)."""
    out = Checked()
    if value is None:
        return out
    if name == "kind":
        return _check_kind(value, out)
    if name == "birth_date":
        return _check_birth(value, today, out)
    if name == "gender":
        return _check_gender(value, out)
    text = clean_text(str(value))
    if name in ("mobile", "landline", "id_number") and not text:
        out.values[name] = None
        return out
    if name == "id_number":
        return _check_id(kind, text, today, out)
    if name in ("mobile", "landline"):
        return _check_phone(kind, name, text, out)
    return _check_text(name, text, out)


def _check_kind(value: Any, out: Checked) -> Checked:
    if value not in {k.value for k in CustomerKind}:
        out.errors["kind"] = tr(
            "客户类型应为个人、企业或机关", "Kind: individual, corporate or government"
        )
    else:
        out.values["kind"] = value
    return out


def _check_gender(value: Any, out: Checked) -> Checked:
    text = str(value).strip().upper()
    text = {"男": "M", "女": "F"}.get(text, text)
    if text not in ("", "M", "F"):
        out.errors["gender"] = tr("性别填 男/女（M/F）", "Gender: M or F")
    else:
        out.values["gender"] = text or None
    return out


def _check_phone(kind: str, name: str, text: str, out: Checked) -> Checked:
    # companies and authorities list 400 / 800 service numbers as their landline
    verdict = validate("phone", text, corporate=kind != CustomerKind.INDIVIDUAL)
    assert isinstance(verdict, PhoneVerdict)
    got = "landline" if verdict.phone_type == "service" else verdict.phone_type
    if not verdict.valid:
        out.errors[name] = verdict.reason
    elif got != name:
        out.errors[name] = (
            tr("这是固定电话，请填在“固定电话”", "This is a landline: use the landline field")
            if name == "mobile"
            else tr("这是手机号，请填在“手机”", "This is a mobile number: use the mobile field")
        )
    else:
        out.values[name] = verdict.normalised
        if verdict.warnings:
            out.warnings[name] = "；".join(verdict.warnings)
    return out


def _check_text(name: str, text: str, out: Checked) -> Checked:
    """Name, address, e-mail and the other free-text fields."""
    if name == "name" and not text:
        out.errors[name] = tr("请填写客户名称", "Enter the customer's name")
        return out
    if name == "email" and text and not _EMAIL.match(text):
        out.errors[name] = tr("电子邮箱格式不对", "Not an e-mail address")
        return out
    limit = LIMITS.get(name)
    if limit and len(text) > limit:
        out.errors[name] = tr("最多 {n} 个字", "At most {n} characters", n=limit)
        return out
    out.values[name] = text or None
    return out


def _check_id(kind: str, text: str, today: date | None, out: Checked) -> Checked:
    verdict = validate("id" if kind == CustomerKind.INDIVIDUAL else "uscc", text, today=today)
    if not verdict.valid:
        if kind == CustomerKind.INDIVIDUAL and validate("uscc", text).valid:
            out.errors["id_number"] = tr(
                "这是统一社会信用代码，个人客户请填身份证号",
                "This is a credit code; an individual needs a resident ID",
            )
        elif kind != CustomerKind.INDIVIDUAL and validate("id", text, today=today).valid:
            out.errors["id_number"] = tr(
                "这是身份证号，企业/机关客户请填统一社会信用代码",
                "This is a resident ID; a company or authority needs a credit code",
            )
        else:
            out.errors["id_number"] = verdict.reason
        return out
    out.values["id_number"] = verdict.normalised
    if isinstance(verdict, IdVerdict):
        out.values["_birth_from_id"] = verdict.birth_date
        out.values["_gender_from_id"] = verdict.gender
    if verdict.warnings:
        out.warnings["id_number"] = "；".join(verdict.warnings)
    return out


def _check_birth(value: Any, today: date | None, out: Checked) -> Checked:
    if isinstance(value, date):
        born: date | None = value
    else:
        text = str(value).strip()
        if not text:
            out.values["birth_date"] = None
            return out
        try:
            born = date.fromisoformat(text.replace("/", "-"))
        except ValueError:
            out.errors["birth_date"] = tr("日期格式：YYYY-MM-DD", "Date as YYYY-MM-DD")
            return out
    if born and today and born > today:
        out.errors["birth_date"] = tr("出生日期晚于今天", "Birth date is in the future")
        return out
    out.values["birth_date"] = born
    return out


def check_input(data: CustomerInput, *, today: date | None = None) -> Checked:
    """Every field of `data`, plus the rules between fields (ID ↔ birth date, kind)."""
    out = Checked()
    for name in FIELDS:
        one = check_field(data.kind, name, getattr(data, name), today=today)
        out.values.update(one.values)
        out.errors.update(one.errors)
        out.warnings.update(one.warnings)
    if data.kind == CustomerKind.INDIVIDUAL and "id_number" in out.values:
        born = out.values.pop("_birth_from_id", None)
        gender = out.values.pop("_gender_from_id", None)
        given = out.values.get("birth_date")
        if born and given and given != born and "birth_date" not in out.errors:
            out.errors["birth_date"] = tr(
                "出生日期与身份证号不符（应为 {d}）",
                "Birth date does not match the ID number ({d})",
                d=born.isoformat(),
            )
        elif born and data.birth_date in (None, ""):
            out.values["birth_date"] = born
        given_gender = out.values.get("gender")
        if gender and given_gender and given_gender != gender and "gender" not in out.errors:
            out.errors["gender"] = tr("性别与身份证号不符", "Gender does not match the ID number")
        elif gender and not given_gender:
            out.values["gender"] = gender
    out.values.pop("_birth_from_id", None)
    out.values.pop("_gender_from_id", None)
    if data.kind != CustomerKind.INDIVIDUAL:
        for name in ("birth_date", "gender"):
            if out.values.get(name):
                out.errors[name] = tr("仅个人客户填写", "Individuals only")
    return out
