"""What a group or a link may hold: corporate customers the user can see, no self-link,
no cycle of parents."""

from sqlmodel import Session

from tui_crm.domain import CustomerKind
from tui_crm.i18n import tr
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.storage.models import CorporateGroup, Customer

MAX_DEPTH = 50  # no real group nests deeper; a longer chain is a broken one


def company(session: Session, actor: Actor, customer_id: int, field: str) -> Customer:
    """A corporate customer of the user's units."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(tr("没有客户 {i}", "No customer {i}", i=customer_id), field=field)
    actor.require_scope(customer.unit_id)
    if customer.kind != CustomerKind.CORPORATE.value:
        raise ValidationFailed(
            tr(
                "客户 {i} 不是企业客户",
                "Customer {i} is not a company",
                i=customer_id,
            ),
            field=field,
        )
    return customer


def group(session: Session, group_id: int) -> CorporateGroup:
    found = session.get(CorporateGroup, group_id)
    if found is None:
        raise NotFound(tr("没有集团 {i}", "No group {i}", i=group_id), field="group")
    return found


def no_cycle(session: Session, parent: Customer, child: Customer) -> None:
    """Refuse a link that makes a customer its own ancestor."""
    if parent.id == child.id:
        raise ValidationFailed(
            tr("不能把公司关联为自己的母公司", "A company cannot be its own parent"),
            field="child",
        )
    seen: set[int] = set()
    current: Customer | None = parent
    while current is not None and current.parent_customer_id is not None:
        if current.parent_customer_id == child.id or len(seen) > MAX_DEPTH:
            raise ValidationFailed(
                tr(
                    "{c} 已是 {p} 的上级公司，不能循环关联",
                    "{c} is already above {p}: links cannot go round",
                    c=child.name,
                    p=parent.name,
                ),
                field="child",
            )
        seen.add(current.parent_customer_id)
        current = session.get(Customer, current.parent_customer_id)
