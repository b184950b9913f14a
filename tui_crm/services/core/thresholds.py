"""Reading and editing business thresholds (table `threshold`), with audit on change."""

from decimal import Decimal, InvalidOperation

from sqlmodel import Session, col, select

import tui_crm.services.core.audit as audit
from tui_crm.i18n import tr
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
            Decimal(value)
        except InvalidOperation:
            raise ValidationFailed(tr("请输入数字", "Enter a number"), field="value") from None
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
