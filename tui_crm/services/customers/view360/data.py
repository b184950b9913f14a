"""What the customer 360 view shows: plain data (no ORM objects), masked for the role."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tui_crm.i18n import is_english


@dataclass
class LossFigures:
    year: int | None  # None: all years
    policies: int
    written: Decimal
    earned: Decimal
    paid: Decimal
    outstanding: Decimal
    claims: int
    earned_loss_ratio: Decimal | None  # 满期赔付率 (paid + outstanding) / earned
    simple_loss_ratio: Decimal | None  # 简单赔付率 paid / written


@dataclass
class Blacklist:
    status: str  # none / active / lifted
    reasons: list[str] = field(default_factory=list)
    approved_at: datetime | None = None
    lifted_at: datetime | None = None
    pending_nomination: bool = False


@dataclass
class GroupMember:
    id: int
    name: str
    role: str  # head / subsidiary
    unit_code: str
    premium_12m: Decimal


@dataclass
class Group:
    id: int
    name: str
    members: list[GroupMember]  # those the reader's units may see
    premium_12m: Decimal  # rolled up over the members shown
    other_units: int = 0  # members of other units: counted, never named or summed


@dataclass
class Customer360:
    id: int
    name: str
    kind: str
    customer_class: str
    class_reasons: list[dict[str, Any]]
    class_reason_texts: list[str]
    flag_key: bool
    flag_blacklist: bool
    flag_renewal_due: bool
    blacklist: Blacklist
    id_type: str | None
    id_number_masked: str | None
    phone_masked: str | None
    birth_date: date | None
    gender: str | None
    industry: str | None
    ownership: str | None
    source: str
    note: str | None
    unit_id: int
    unit_code: str
    unit_name: str
    account_manager: str | None
    version: int
    updated_at: datetime | None
    policies: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    loss: LossFigures | None = None
    loss_by_year: list[LossFigures] = field(default_factory=list)
    receivables: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    service: list[dict[str, Any]] = field(default_factory=list)
    class_history: list[dict[str, Any]] = field(default_factory=list)
    group: Group | None = None
    # Parent → subsidiary links of a company, those in the reader's units: (id, name).
    parent_company: tuple[int, str] | None = None
    subsidiaries: list[tuple[int, str]] = field(default_factory=list)


def personal_id(kind: str) -> bool:
    """Resident ID numbers are personal data; companies' credit codes are public."""
    return kind == "individual"


def reason_texts(reasons: list[dict[str, Any]]) -> list[str]:
    key = "message_en" if is_english() else "message_zh"
    return [str(r.get(key) or r.get("message") or r.get("code") or "") for r in reasons]


def parse_reasons(raw: str | None) -> list[dict[str, Any]]:
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except ValueError:
        return [{"code": "unknown", "message": raw}]
    if isinstance(data, dict):
        data = [data]
    return [r if isinstance(r, dict) else {"code": str(r)} for r in data]
