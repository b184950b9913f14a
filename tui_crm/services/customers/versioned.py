"""Writing one customer row: reading it within the clerk's scope, the serving unit a code
names, and the optimistic-locking update every edit and move goes through."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from tui_crm.domain import CustomerKind
from tui_crm.i18n import tr
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.errors import Conflict, Forbidden, NotFound
from tui_crm.services.core.text import name_pinyin, reverse
from tui_crm.services.customers.pinyin_variants import write_variants
from tui_crm.services.customers.records import id_type_for, local_time
from tui_crm.storage.models import AuditLog, Customer, OrgUnit


def get_in_scope(session: Session, actor: Actor, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(tr("没有编号为 {i} 的客户", "No customer {i}", i=customer_id))
    actor.require_scope(customer.unit_id)
    return customer


def unit_for(session: Session, actor: Actor, code: str | None) -> int:
    if not code:
        return actor.unit_id
    unit = session.exec(select(OrgUnit).where(OrgUnit.code == code.strip())).first()
    if unit is None or unit.id is None:
        raise NotFound(tr("没有机构 {c}", "No unit {c}", c=code), field="unit")
    if not actor.in_scope(unit.id):
        raise Forbidden(
            tr("超出本机构及下级机构的范围", "Outside your unit and the units below it"),
            field="unit",
            code="out_of_scope",
        )
    return unit.id


def bump(session: Session, c: Customer, version: int, changes: dict[str, Any]) -> None:
    """UPDATE … SET version = version + 1 WHERE version = the one the clerk started from."""
    values = dict(changes)
    if "name" in values:
        kind = values.get("kind", c.kind)
        person = kind == CustomerKind.INDIVIDUAL
        values["name_pinyin"], values["name_initials"] = name_pinyin(values["name"], person=person)
        assert c.id is not None
        write_variants(session, c.id, values["name"], kind)
    if "id_number" in values:
        values["id_number_rev"] = reverse(values["id_number"])
        values["id_type"] = id_type_for(values.get("kind", c.kind), values["id_number"])
    values["version"] = version + 1
    values["updated_at"] = datetime.now(UTC)
    result = session.execute(
        update(Customer)
        .where(col(Customer.id) == c.id, col(Customer.version) == version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return
    session.rollback()
    last = session.exec(
        select(AuditLog)
        .where(AuditLog.entity == "customer", AuditLog.entity_id == str(c.id))
        .where(col(AuditLog.action).in_(("update", "move_unit")))
        .order_by(col(AuditLog.id).desc())
    ).first()
    who = (
        tr("（{u} 于 {t}）", " (by {u} at {t})", u=last.actor_username, t=local_time(last.at))
        if last
        else ""
    )
    raise Conflict(
        tr(
            "保存失败：此客户在您打开后已被他人修改{w}，您的修改未保存。请重新打开后再改。",
            "Not saved: someone else changed this customer after you opened it{w}. "
            "Nothing was overwritten; reopen it and edit again.",
            w=who,
        ),
        code="stale_version",
    )
