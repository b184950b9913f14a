"""Cell values of an extract row, parsed or refused with the column and a reason.

Every parser takes the cell text (already stripped) and returns the value or raises
`RowError(column, reason)`; the runner turns that into a row of the rejects file."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from stdnum.cn import ric

from tui_crm.i18n import tr
from tui_crm.services.core.text import clean_text, norm_identifier
from tui_crm.services.validation import validate


class RowError(Exception):
    """A bad value: the row goes to the rejects file with `column` and `reason`."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


_EIGHT_DIGITS = re.compile(r"\d{8}")
_FIFTEEN_DIGITS = re.compile(r"\d{15}")
_ID_SHAPE = re.compile(r"\d{17}[\dX]")
_MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
TRUE = {"1", "y", "yes", "true", "t", "是", "有"}
FALSE = {"", "0", "n", "no", "false", "f", "否", "无"}


def text(row: dict[str, str], column: str, limit: int, *, required: bool = False) -> str | None:
    value = clean_text(row.get(column))
    if not value:
        if required:
            raise RowError(column, tr("不能为空", "must not be empty"))
        return None
    if len(value) > limit:
        raise RowError(column, tr("超过 {n} 个字符", "longer than {n} characters", n=limit))
    return value


def money(row: dict[str, str], column: str, *, required: bool = False) -> Decimal | None:
    """Yuan exact to the fen: digits with at most two decimals (commas between thousands
    allowed); anything else, a third decimal included, is refused."""
    raw = (row.get(column) or "").replace(",", "").replace("，", "").strip()
    if not raw:
        if required:
            raise RowError(column, tr("不能为空", "must not be empty"))
        return None
    value = _yuan(raw)
    if value is not None:
        return value
    if not _MONEY.match(raw):
        raise RowError(
            column,
            tr(
                "金额应为数字且最多两位小数：{v}",
                "Money is a number with at most two decimals: {v}",
                v=raw[:30],
            ),
        )
    value = Decimal(raw)
    if value < 0:
        raise RowError(column, tr("金额不能为负：{v}", "Money cannot be negative: {v}", v=raw))
    return value


@lru_cache(maxsize=1 << 16)
def _yuan(raw: str) -> Decimal | None:
    """A well-formed amount (cached: extracts repeat amounts), None for anything else."""
    if not _MONEY.match(raw):
        return None
    value = Decimal(raw)
    return value if value >= 0 else None


def decimal(row: dict[str, str], column: str) -> Decimal | None:
    raw = (row.get(column) or "").strip()
    if not raw:
        return None
    if not _DECIMAL.match(raw):
        raise RowError(column, tr("应为数字：{v}", "expected a number: {v}", v=raw[:30]))
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise RowError(column, tr("应为数字：{v}", "expected a number: {v}", v=raw[:30])) from None


def integer(row: dict[str, str], column: str) -> int | None:
    raw = (row.get(column) or "").strip()
    if not raw:
        return None
    if raw.endswith(".0"):
        raw = raw[:-2]
    if not raw.isdigit() or len(raw) > 9:
        raise RowError(column, tr("应为整数：{v}", "expected a whole number: {v}", v=raw[:30]))
    return int(raw)


def day(row: dict[str, str], column: str, *, required: bool = False) -> date | None:
    """YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD (a time after the date is ignored)."""
    raw = (row.get(column) or "").strip().split(" ")[0].split("T")[0]
    if not raw:
        if required:
            raise RowError(column, tr("不能为空", "must not be empty"))
        return None
    found = _day(raw)
    if found is None:
        raise RowError(
            column,
            tr("日期无效：{v}（应为 YYYY-MM-DD）", "Not a date: {v} (YYYY-MM-DD)", v=raw[:30]),
        )
    return found


@lru_cache(maxsize=1 << 16)
def _day(raw: str) -> date | None:
    """A date cell's text as a date (cached: an extract has few distinct days), or None."""
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass  # said below
    candidate = raw.replace("/", "-").replace(".", "-")
    if _EIGHT_DIGITS.fullmatch(candidate):
        candidate = f"{candidate[:4]}-{candidate[4:6]}-{candidate[6:]}"
    parts = candidate.split("-")
    try:
        if len(parts) != 3:
            raise ValueError
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def flag(row: dict[str, str], column: str) -> bool:
    raw = (row.get(column) or "").strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise RowError(column, tr("应为 1/0 或 是/否：{v}", "expected 1/0 or yes/no: {v}", v=raw[:20]))


def choice(
    row: dict[str, str], column: str, allowed: dict[str, str], *, default: str | None = None
) -> str:
    raw = (row.get(column) or "").strip().lower()
    if not raw and default is not None:
        return default
    if raw not in allowed:
        raise RowError(
            column,
            tr(
                "未知取值 {v}（可用：{a}）",
                "Unknown value {v} (one of: {a})",
                v=raw[:30],
                a="|".join(sorted(set(allowed))),
            ),
        )
    return allowed[raw]


def upgrade_id(number: str) -> str:
    """A first-generation 15-digit resident ID number as its 18-digit form (GB 11643:
    the year gains "19", then the check digit)."""
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


@dataclass(frozen=True)
class CustomerKey:
    """A customer key of an extract: an ID number, a credit code or a source's own number."""

    kind: str  # "id" | "uscc" | "external"
    value: str


def identity_number(raw: str, column: str, *, kind: str = "id", today: date | None = None) -> str:
    """A resident ID (15 digits upgraded) or credit code, checked; `kind` 'id' or 'uscc'."""
    number = norm_identifier(raw)
    if kind == "id" and _FIFTEEN_DIGITS.fullmatch(number):
        number = upgrade_id(number)
    verdict = validate(kind, number, today=today)
    if not verdict.valid:
        raise RowError(column, verdict.reason)
    return verdict.normalised


def customer_key(
    row: dict[str, str], column: str, *, required: bool = True, today: date | None = None
) -> CustomerKey | None:
    """What a `*_key` cell names: an 18-character value is an ID number or a credit code
    (refused when it is neither), 15 digits a first-generation ID number, anything else a
    source's own customer number."""
    raw = norm_identifier(row.get(column))
    if not raw:
        if required:
            raise RowError(column, tr("不能为空", "must not be empty"))
        return None
    return _customer_key(raw, column, today)


@lru_cache(maxsize=1 << 16)
def _customer_key(raw: str, column: str, today: date | None) -> CustomerKey:
    """Cached: policies name the same customers again and again (a refusal is not cached)."""
    if _FIFTEEN_DIGITS.fullmatch(raw):
        return CustomerKey("id", identity_number(raw, column, today=today))
    if len(raw) == 18:
        if _ID_SHAPE.fullmatch(raw) and validate("id", raw, today=today).valid:
            return CustomerKey("id", raw)
        if validate("uscc", raw).valid:
            return CustomerKey("uscc", raw)
        kind = "id" if _ID_SHAPE.fullmatch(raw) else "uscc"
        identity_number(raw, column, kind=kind, today=today)  # raises with the reason
    if len(raw) > 40:
        raise RowError(column, tr("客户号过长", "customer number too long"))
    return CustomerKey("external", raw)
