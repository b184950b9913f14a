"""Writing a customer's record: primary contacts replaced kind by kind, the search columns
kept in step with the name and ID number, audit payloads with personal identifiers
masked, and the refusal when a duplicate is found."""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from tui_crm.domain import CustomerKind
from tui_crm.services.core.masking import mask_id_number, mask_phone
from tui_crm.services.core.text import name_pinyin, reverse
from tui_crm.services.customers.duplicates import Duplicate, DuplicateFound
from tui_crm.services.customers.input import CustomerInput
from tui_crm.services.customers.view360.data import personal_id
from tui_crm.storage.models import Contact, Customer

PHONE_CONTACTS = ("mobile", "landline")


def refuse_duplicates(found: list[Duplicate], allow: bool) -> None:
    hard = [d for d in found if d.hard]
    if hard or (found and not allow):
        raise DuplicateFound(hard or found)


def contact_value(contact: Contact | None) -> str | None:
    if contact is None:
        return None
    return contact.value_norm if contact.kind in PHONE_CONTACTS else contact.value


def primary_contacts(session: Session, customer_id: int) -> dict[str, Contact]:
    rows = session.exec(
        select(Contact)
        .where(Contact.customer_id == customer_id)
        .order_by(col(Contact.is_primary).desc(), col(Contact.id))
    ).all()
    out: dict[str, Contact] = {}
    for row in rows:
        out.setdefault(row.kind, row)
    return out


def set_contact(
    session: Session, customer_id: int, kind: str, value: str | None, data: CustomerInput
) -> None:
    """Replace the primary contact of a kind (None / "" removes it)."""
    current = primary_contacts(session, customer_id).get(kind)
    consent = data.consent_marketing_sms if kind == "mobile" else None
    if not value:
        if current is not None:
            session.delete(current)
        return
    phone = kind in PHONE_CONTACTS
    if current is None:
        current = Contact(customer_id=customer_id, kind=kind, value=value, is_primary=True)
    current.value = value
    current.value_norm = value if phone else None
    current.value_rev = reverse(value) if phone else None
    if consent is not None and consent != current.consent_marketing_sms:
        current.consent_marketing_sms = consent
        current.consent_at = datetime.now(UTC) if consent else None
        current.consent_source = "counter" if consent else None
        current.opted_out_at = None if consent else datetime.now(UTC)
    session.add(current)


def id_type_for(kind: str, id_number: str | None) -> str | None:
    if not id_number:
        return None
    return "resident_id" if kind == "individual" else "credit_code"


def derive_search_fields(customer: Customer) -> None:
    customer.name_pinyin, customer.name_initials = name_pinyin(
        customer.name, person=customer.kind == CustomerKind.INDIVIDUAL
    )
    customer.id_number_rev = reverse(customer.id_number)
    customer.id_type = id_type_for(customer.kind, customer.id_number)


def audit_view(values: dict[str, Any], kind: str) -> dict[str, Any]:
    """Audit rows record that personal identifiers changed, masked (not the values)."""
    out = {k: v for k, v in values.items() if not k.startswith("_")}
    if out.get("id_number") and personal_id(kind):
        out["id_number"] = mask_id_number(out["id_number"])
    for kind_ in PHONE_CONTACTS:
        if out.get(kind_):
            out[kind_] = mask_phone(out[kind_])
    return out


def local_time(moment: datetime) -> str:
    from tui_crm.services.core.clock import BRANCH_TZ

    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(BRANCH_TZ).strftime("%m-%d %H:%M")
