"""Who of a campaign's list gets the message, and what it says — in bulk.

For each customer: in the sender's scope, a mobile number (all a service message needs),
for marketing the customer's recorded consent and no opt-out, one message per phone, and
every field the template names. Otherwise the customer is skipped with the reason's code.
"""

import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select
from sqlmodel import col

from tui_crm.services.servicing.sms import MAX_LENGTH, OPT_OUT_LINE
from tui_crm.storage.models import Contact, Customer, Policy, Vehicle

CHUNK = 900  # ids per IN list: within SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class Recipient:
    customer_id: int
    phone: str | None
    body: str | None
    skip_reason: str | None


def chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def template_fields(body: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(body) if name]


def recipients(
    connection: Connection,
    customer_ids: Iterable[int],
    *,
    body: str,
    marketing: bool,
    values: dict[str, str],
    scope: frozenset[int],
) -> list[Recipient]:
    ids = list(dict.fromkeys(customer_ids))  # each customer once, in the given order
    wanted = template_fields(body)
    seen_phones: set[str] = set()
    found: list[Recipient] = []
    for part in chunks(ids):
        facts = _facts(connection, part, set(wanted))
        for customer_id in part:
            fact = facts.get(customer_id)
            recipient = _one(customer_id, fact, body, wanted, marketing, values, scope)
            phone = recipient.phone
            if phone and recipient.body:
                if phone in seen_phones:
                    recipient = Recipient(customer_id, phone, None, "duplicate_phone")
                seen_phones.add(phone)
            found.append(recipient)
    return found


def _one(
    customer_id: int,
    fact: dict[str, Any] | None,
    body: str,
    wanted: list[str],
    marketing: bool,
    values: dict[str, str],
    scope: frozenset[int],
) -> Recipient:
    if fact is None or fact["unit_id"] not in scope:
        return Recipient(customer_id, None, None, "out_of_scope")
    phone = fact.get("phone")
    if not phone:
        return Recipient(customer_id, None, None, "no_mobile")
    if marketing and fact.get("opted_out_at") is not None:
        return Recipient(customer_id, phone, None, "opted_out")
    if marketing and not fact.get("consent"):
        return Recipient(customer_id, phone, None, "no_consent")
    fields = {k: v for k, v in fact.items() if k in ("name", "plate", "end_date") and v}
    fields |= values
    if any(not fields.get(name) for name in wanted):
        return Recipient(customer_id, phone, None, "missing_values")
    text = body.format(**{name: fields[name] for name in wanted})
    if marketing and OPT_OUT_LINE not in text:
        text += OPT_OUT_LINE
    if len(text) > MAX_LENGTH:
        return Recipient(customer_id, phone, None, "missing_values")
    return Recipient(customer_id, phone, text, None)


def _facts(connection: Connection, ids: list[int], wanted: set[str]) -> dict[int, dict[str, Any]]:
    """Unit, name and mobile of each customer; the plate and the last policy's end only
    when the template names them (two grouped reads saved per chunk otherwise)."""
    facts: dict[int, dict[str, Any]] = {}
    customers = select(col(Customer.id), col(Customer.name), col(Customer.unit_id)).where(
        col(Customer.id).in_(ids)
    )
    for customer_id, name, unit_id in connection.execute(customers):
        facts[int(customer_id or 0)] = {"name": re.sub(r"\s+", "", name), "unit_id": unit_id}
    mobiles = (
        select(
            col(Contact.customer_id),
            col(Contact.value_norm),
            col(Contact.consent_marketing_sms),
            col(Contact.opted_out_at),
        )
        .where(col(Contact.customer_id).in_(ids), col(Contact.kind) == "mobile")
        .order_by(col(Contact.customer_id), col(Contact.is_primary).desc(), col(Contact.id))
    )
    for customer_id, phone, consent, opted_out_at in connection.execute(mobiles):
        fact = facts.get(customer_id)
        if fact is not None and "phone" not in fact and phone:
            fact.update(phone=phone, consent=consent, opted_out_at=opted_out_at)
    if "plate" in wanted:
        _plates(connection, ids, facts)
    if "end_date" in wanted:
        _ends(connection, ids, facts)
    return facts


def _plates(connection: Connection, ids: list[int], facts: dict[int, dict[str, Any]]) -> None:
    plates = (
        select(col(Vehicle.owner_customer_id), func.min(col(Vehicle.plate)))
        .where(col(Vehicle.owner_customer_id).in_(ids))
        .group_by(col(Vehicle.owner_customer_id))
    )
    for customer_id, plate in connection.execute(plates):
        if customer_id in facts and plate:
            facts[customer_id]["plate"] = plate


def _ends(connection: Connection, ids: list[int], facts: dict[int, dict[str, Any]]) -> None:
    ends = (
        select(col(Policy.customer_id), func.max(col(Policy.end_date)))
        .where(col(Policy.customer_id).in_(ids))
        .group_by(col(Policy.customer_id))
    )
    for customer_id, end in connection.execute(ends):
        if customer_id in facts and end is not None:
            facts[customer_id]["end_date"] = end.isoformat()
