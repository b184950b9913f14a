"""One registry row checked: the identifiers normalised and validated, or the reason the
row is rejected (it goes to the rejects file; the valid rows are kept)."""

import re
from dataclasses import dataclass
from datetime import date

from tui_crm.i18n import tr
from tui_crm.services.core.text import clean_text, norm_identifier, norm_plate
from tui_crm.services.validation import id_18_from_15, is_valid

HOME_PROVINCE = "浙"  # a plate written without its province is one of ours
DISTRICT = re.compile(r"\d{6}")
# 2020-05-01, 2020/5/1, 2020.5.1, 2020年5月1日 or 20200501 (a time after it is ignored)
DATE = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))(?:[ T][\d:.]+)?")


@dataclass(frozen=True)
class RegistryRow:
    line: int
    vin: str | None
    plate: str | None
    owner_name: str
    owner_id: str  # 18-digit resident ID or credit code
    owner_id_given: str  # as written (a 15-digit ID stays findable)
    registration_date: date | None
    use: str | None
    district_code: str
    make_model: str | None

    @property
    def key(self) -> str:
        return f"V:{self.vin}" if self.vin else f"P:{self.plate}"

    @property
    def corporate(self) -> bool:
        return not self.owner_id[:17].isdigit()


class Rejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_row(line: int, row: dict[str, str]) -> RegistryRow:
    """The row checked, or `Rejected` with the reason."""
    vin = norm_identifier(row.get("vin")) or None
    if vin is not None and not is_valid("vin", vin):
        raise Rejected(tr("车架号无效：{v}", "Invalid VIN: {v}", v=vin))
    plate = norm_plate(row.get("plate")) or None
    if plate is not None and not ("\u4e00" <= plate[0] <= "\u9fff"):
        plate = HOME_PROVINCE + plate
    if plate is not None and not is_valid("plate", plate):
        raise Rejected(tr("号牌无效：{p}", "Invalid plate: {p}", p=plate))
    if vin is None and plate is None:
        raise Rejected(tr("车架号和号牌都为空", "Neither VIN nor plate"))
    name = clean_text(row.get("owner_name"))
    if not name or len(name) > 100:
        raise Rejected(tr("车主名称为空或过长", "Owner name empty or too long"))
    given = norm_identifier(row.get("owner_id"))
    owner_id = _owner_id(given)
    district = (row.get("district_code") or "").strip()
    if not DISTRICT.fullmatch(district):
        raise Rejected(tr("区县代码应为6位数字：{d}", "District is 6 digits: {d}", d=district))
    use = clean_text(row.get("use")) or None
    make_model = clean_text(row.get("make_model"))[:100] or None
    return RegistryRow(
        line, vin, plate, name, owner_id, given, _date(row.get("registration_date")),
        use[:20] if use else None, district, make_model,
    )  # fmt: skip


def _owner_id(given: str) -> str:
    if re.fullmatch(r"\d{15}", given):
        return id_18_from_15(given)
    if len(given) == 18 and (is_valid("id", given) or is_valid("uscc", given)):
        return given
    raise Rejected(
        tr("车主证件号无效（身份证或统一社会信用代码）：{i}", "Invalid owner ID: {i}", i=given)
    )


def _date(text: str | None) -> date | None:
    if not (text or "").strip():
        return None
    found = DATE.fullmatch((text or "").strip())
    try:
        if found is None:
            return _bad(text)
        month, day = (found[2], found[3]) if found[2] else (found[4], found[5])
        return date(int(found[1]), int(month), int(day))
    except ValueError:
        return _bad(text)


def _bad(text: str | None) -> date:
    raise Rejected(tr("登记日期无效：{d}", "Invalid registration date: {d}", d=text))
