"""Reading and editing business thresholds (table `threshold`), with audit on change.

Each threshold has a kind and a range, kept as data next to its default in
fixtures/thresholds.csv: a value outside the range (a negative failure limit, a lock of
centuries, an idle lock of zero minutes) is refused before it reaches the table.
"""

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from sqlmodel import Session, col, select

import tui_crm.services.core.audit as audit
from tui_crm.i18n import tr
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.core.fixtures import fixture_file
from tui_crm.storage.db import Database
from tui_crm.storage.models import Threshold

BOUNDS_FILE = fixture_file("thresholds.csv")


@dataclass(frozen=True)
class ThresholdBounds:
    kind: str  # integer | decimal | money
    low: Decimal
    high: Decimal

    def check(self, value: str) -> str:
        """The value as it will be stored; ValidationFailed with the range otherwise."""
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValidationFailed(tr("请输入数字", "Enter a number"), field="value") from None
        if not number.is_finite():
            raise ValidationFailed(tr("请输入数字", "Enter a number"), field="value")
        if self.kind == "integer" and number != number.to_integral_value():
            raise ValidationFailed(tr("请输入整数", "Enter a whole number"), field="value")
        if self.kind == "money" and number != number.quantize(Decimal("0.01")):
            raise ValidationFailed(
                tr("金额最多两位小数", "At most two decimals for money"), field="value"
            )
        if not self.low <= number <= self.high:
            raise ValidationFailed(
                tr(
                    "取值范围 {lo} 至 {hi}",
                    "Allowed range {lo} to {hi}",
                    lo=self.low,
                    hi=self.high,
                ),
                field="value",
            )
        return str(int(number)) if self.kind == "integer" else value.strip()

    def clamp(self, stored: str) -> str:
        """A value stored before the range existed (or by hand) is read within it."""
        try:
            number = Decimal(stored)
        except InvalidOperation:
            return stored
        if not number.is_finite():
            return str(self.high)
        return str(min(max(number, self.low), self.high))


@cache
def threshold_bounds() -> dict[str, ThresholdBounds]:
    with BOUNDS_FILE.open("r", encoding="utf-8") as handle:
        return {
            row["code"]: ThresholdBounds(row["kind"], Decimal(row["min"]), Decimal(row["max"]))
            for row in csv.DictReader(handle)
        }


def threshold_value(session: Session, code: str) -> str:
    row = session.get(Threshold, code)
    if row is None:
        raise NotFound(tr("缺少阈值 {c}", "Missing threshold {c}", c=code))
    bounds = threshold_bounds().get(code)
    return bounds.clamp(row.value) if bounds else row.value


def threshold_decimal(session: Session, code: str) -> Decimal:
    return Decimal(threshold_value(session, code))


def threshold_int(session: Session, code: str) -> int:
    return int(threshold_value(session, code))


class ThresholdService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def integer(self, code: str) -> int:
        """A threshold that is not secret (idle lock, quotas): no actor needed."""
        with self.database.session() as session:
            return threshold_int(session, code)

    def all(self, actor: Actor) -> list[Threshold]:
        with self.database.session() as session:
            return list(session.exec(select(Threshold).order_by(col(Threshold.code))).all())

    def set(self, actor: Actor, code: str, value: str) -> Threshold:
        actor.require(Permission.THRESHOLD_EDIT)
        bounds = threshold_bounds().get(code)
        if bounds is None:
            raise NotFound(tr("缺少阈值 {c}", "Missing threshold {c}", c=code), field="code")
        value = bounds.check(value)
        with self.database.session() as session:
            row = session.get(Threshold, code)
            if row is None:
                raise NotFound(tr("缺少阈值 {c}", "Missing threshold {c}", c=code), field="code")
            before = row.value
            row.value = value
            row.updated_by_id = actor.id
            audit.record(
                session,
                actor,
                "update",
                entity="threshold",
                entity_id=code,
                before={"value": before},
                after={"value": value},
            )
            session.commit()
            return row
