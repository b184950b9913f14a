"""Reading and editing business thresholds (table `threshold`), with audit on change."""

from decimal import Decimal, InvalidOperation

from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.storage.db import Database
from tui_crm.storage.models import Threshold


def threshold_value(session: Session, code: str) -> str:
    row = session.get(Threshold, code)
    if row is None:
        raise NotFound(tr("缺少阈值 {c}", "Missing threshold {c}", c=code))
    return row.value


def threshold_decimal(session: Session, code: str) -> Decimal:
    return Decimal(threshold_value(session, code))


def threshold_int(session: Session, code: str) -> int:
    return int(threshold_value(session, code))


THRESHOLD_MAX = Decimal(1_000_000_000)


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
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or not 0 <= number <= THRESHOLD_MAX:
            raise ValidationFailed(
                tr(
                    "请输入 0 到 {m} 之间的数字",
                    "Enter a number from 0 to {m}",
                    m=THRESHOLD_MAX,
                ),
                field="value",
            )
        with self.database.session() as session:
            row = session.get(Threshold, code)
            if row is None:
                raise NotFound(tr("缺少阈值 {c}", "Missing threshold {c}", c=code), field="code")
            # A count or a number of days stays whole; ratios and amounts keep 4 decimals.
            places = 0 if "." not in row.value else 4
            if number != number.quantize(Decimal(1).scaleb(-places)):
                raise ValidationFailed(
                    tr(
                        "该阈值最多 {p} 位小数",
                        "This threshold takes at most {p} decimals",
                        p=places,
                    ),
                    field="value",
                )
            value = format(number, "f")
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
