"""Moving a customer to another serving unit (managers): the customer row under its
version check, the move kept as history (`customer_unit_move`) and audited."""

from sqlmodel import Session

from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.customers.versioned import bump, get_in_scope, unit_for
from tui_crm.storage.models import CustomerUnitMove


def move_unit(
    session: Session, actor: Actor, customer_id: int, unit_code: str, *, version: int, reason: str
) -> int:
    """Move and commit; the new version. The caller has checked the permission."""
    c = get_in_scope(session, actor, customer_id)
    to_unit = unit_for(session, actor, unit_code)
    if to_unit == c.unit_id:
        raise ValidationFailed(
            tr("客户已在该机构", "The customer is already served there"), field="unit"
        )
    from_unit = c.unit_id
    bump(session, c, version, {"unit_id": to_unit})
    session.add(
        CustomerUnitMove(
            customer_id=customer_id,
            from_unit_id=from_unit,
            to_unit_id=to_unit,
            moved_by_id=actor.id,
            reason=(reason or "")[:200] or None,
        )
    )
    audit.record(
        session,
        actor,
        "move_unit",
        entity="customer",
        entity_id=customer_id,
        before={"unit_id": from_unit},
        after={"unit_id": to_unit},
        detail=reason or None,
    )
    session.commit()
    return version + 1
