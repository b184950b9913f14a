"""Intermediaries (agencies, brokers, car dealers, banks): their codes, kind, licence and
default commission rate, kept by the branch. Anyone who reads customers sees those of
their units; managers and administrators (`intermediary.edit`) add and correct them,
audited with before and after."""

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlmodel import col, select

from tui_crm.domain import IntermediaryKind
from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text
from tui_crm.storage.db import Database
from tui_crm.storage.models import Intermediary, OrgUnit

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,19}")
RATE_MAX = Decimal("0.5")  # a commission above half the premium is a typing slip


@dataclass(frozen=True)
class IntermediaryRow:
    id: int
    code: str
    name: str
    kind: str
    licence_no: str | None
    commission_rate: Decimal | None
    unit_code: str
    active: bool


@dataclass(frozen=True)
class IntermediaryInput:
    code: str
    name: str
    kind: str
    unit_code: str
    commission_rate: str | None = None  # a fraction: "0.15"
    licence_no: str | None = None
    active: bool = True


class IntermediaryService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def rows(self, actor: Actor, *, include_inactive: bool = False) -> list[IntermediaryRow]:
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            query = (
                select(Intermediary, OrgUnit.code)
                .join(OrgUnit, col(OrgUnit.id) == col(Intermediary.unit_id))
                .where(col(Intermediary.unit_id).in_(actor.scope_unit_ids))
                .order_by(col(Intermediary.code))
            )
            if not include_inactive:
                query = query.where(col(Intermediary.active).is_(True))
            return [_row(i, code) for i, code in session.exec(query).all()]

    def save(self, actor: Actor, data: IntermediaryInput) -> IntermediaryRow:
        """Add an intermediary, or correct the one with this code."""
        actor.require(Permission.INTERMEDIARY_EDIT)
        values = _checked(data)
        with self.database.session() as session:
            unit = session.exec(
                select(OrgUnit).where(OrgUnit.code == data.unit_code.strip())
            ).first()
            if unit is None or unit.id is None:
                raise NotFound(tr("没有机构 {c}", "No unit {c}", c=data.unit_code), field="unit")
            actor.require_scope(unit.id)
            current = session.exec(
                select(Intermediary).where(Intermediary.code == values["code"])
            ).first()
            if current is not None:
                actor.require_scope(current.unit_id)
            before = _audit(current)
            row = current or Intermediary(**values, unit_id=unit.id)
            for name, value in values.items():
                setattr(row, name, value)
            row.unit_id = unit.id
            session.add(row)
            session.flush()
            after = _audit(row)
            if before == after:
                raise Conflict(tr("没有修改", "Nothing changed"), code="unchanged")
            audit.record(
                session,
                actor,
                "update" if current else "create",
                entity="intermediary",
                entity_id=row.code,
                before=before,
                after=after,
            )
            session.commit()
            return _row(row, unit.code)


def _checked(data: IntermediaryInput) -> dict[str, Any]:
    code = (data.code or "").strip().upper()
    if not CODE.fullmatch(code):
        raise ValidationFailed(
            tr("代码为 2–20 位字母、数字或连字符", "The code is 2–20 letters, digits or hyphens"),
            field="code",
        )
    name = clean_text(data.name)
    if not name or len(name) > 100:
        raise ValidationFailed(tr("名称为 1–100 字", "The name is 1–100 characters"), field="name")
    if data.kind not in set(IntermediaryKind):
        raise ValidationFailed(
            tr("类型应为 {k}", "The kind is one of {k}", k=", ".join(IntermediaryKind)),
            field="kind",
        )
    licence = clean_text(data.licence_no) or None
    if licence and len(licence) > 40:
        raise ValidationFailed(tr("许可证号不超过 40 位", "At most 40 characters"), field="licence")
    return {
        "code": code,
        "name": name,
        "kind": data.kind,
        "licence_no": licence,
        "commission_rate": _rate(data.commission_rate),
        "active": data.active,
    }


def _rate(text: str | None) -> Decimal | None:
    if text is None or not str(text).strip():
        return None
    try:
        rate = Decimal(str(text).strip())
    except InvalidOperation:
        rate = Decimal(-1)
    if (
        not rate.is_finite()
        or not 0 <= rate <= RATE_MAX
        or rate != rate.quantize(Decimal("0.000001"))
    ):
        raise ValidationFailed(
            tr(
                "佣金比例为 0 到 0.5 之间的小数（如 0.15 表示 15%），最多 6 位小数",
                "The commission rate is a fraction from 0 to 0.5 (0.15 for 15%), "
                "6 decimals at most",
            ),
            field="commission_rate",
        )
    return rate


def _row(i: Intermediary, unit_code: str) -> IntermediaryRow:
    return IntermediaryRow(
        i.id or 0, i.code, i.name, i.kind, i.licence_no, i.commission_rate, unit_code, i.active
    )


def _audit(i: Intermediary | None) -> dict[str, object] | None:
    if i is None:
        return None
    data = asdict(_row(i, ""))
    data.pop("id")
    data.pop("unit_code")
    data["unit_id"] = i.unit_id
    return data
