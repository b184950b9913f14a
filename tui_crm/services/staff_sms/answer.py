"""The reply to a staff query: the vehicle's latest policy (in force until, product) and
its latest claim (status, paid, outstanding), masked — the owner's name and mobile
masked, no ID number. Only vehicles whose owner is in the asker's units."""

from sqlmodel import Session, col, select

from tui_crm.formats import money
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.masking import mask_name, mask_phone
from tui_crm.storage.models import Claim, Contact, Customer, Policy, Vehicle


def find_vehicle(session: Session, actor: Actor, plate: str) -> tuple[Vehicle, Customer] | None:
    """The vehicle with that plate whose owner is in the actor's units."""
    if not plate:
        return None
    rows = session.exec(
        select(Vehicle, Customer)
        .join(Customer, col(Customer.id) == Vehicle.owner_customer_id)
        .where(Vehicle.plate == plate, col(Customer.unit_id).in_(actor.scope_unit_ids))
        .order_by(col(Vehicle.id).desc())
    ).first()
    return (rows[0], rows[1]) if rows else None


def answer(session: Session, vehicle: Vehicle, owner: Customer) -> str:
    mobile = session.exec(
        select(Contact.value_norm)
        .where(Contact.customer_id == owner.id, Contact.kind == "mobile")
        .order_by(col(Contact.is_primary).desc(), col(Contact.id))
    ).first()
    parts = [
        tr(
            "{p} 车主{n} {m}",
            "{p} owner {n} {m}",
            p=vehicle.plate,
            n=mask_name(owner.name) or "",
            m=mask_phone(mobile) or "",
        ).strip()
    ]
    policy = session.exec(
        select(Policy)
        .where(Policy.vehicle_id == vehicle.id)
        .order_by(col(Policy.end_date).desc(), col(Policy.id).desc())
    ).first()
    if policy is None:
        parts.append(tr("无保单", "no policy"))
        return "；".join(parts) + "。"
    parts.append(
        tr(
            "保单{no} {line} {s} 保至{end}",
            "policy {no} {line} {s} until {end}",
            no=policy.policy_no,
            line=label("product_line", policy.line_code),
            s=label("policy_status", policy.status),
            end=policy.end_date.isoformat(),
        )
    )
    claim = session.exec(
        select(Claim)
        .join(Policy, col(Policy.id) == Claim.policy_id)
        .where(Policy.vehicle_id == vehicle.id)
        .order_by(col(Claim.report_date).desc(), col(Claim.id).desc())
    ).first()
    if claim is None:
        parts.append(tr("无赔案", "no claim"))
    else:
        parts.append(
            tr(
                "最近赔案{no} {s} 已付{paid}元 未决{out}元",
                "latest claim {no} {s} paid {paid} outstanding {out}",
                no=claim.claim_no,
                s=label("claim_status", claim.status),
                paid=money(claim.paid),
                out=money(claim.outstanding),
            )
        )
    return "；".join(parts) + "。"
