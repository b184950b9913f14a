"""Customers with mobiles and queued SMS for the SMS tests."""

from datetime import date

from sqlmodel import col, select

from tests.factories import make_customer, make_policy, make_user, make_vehicle
from tui_crm.services.container import Services
from tui_crm.services.core.actor import Actor
from tui_crm.storage.models import Contact, SmsDelivery, SmsMessage


def customers(services: Services, n: int, *, consent: bool = True) -> list[int]:
    ids = []
    for i in range(n):
        customer = make_customer(services, f"客户{i:04d}", phone=f"139{i:08d}")
        make_vehicle(services, customer, f"浙F{i:05d}")
        make_policy(services, customer, date(2026, 1, 1))
        ids.append(customer)
    if consent:
        with services.database.session() as session:
            for contact in session.exec(select(Contact)).all():
                contact.consent_marketing_sms = True
            session.commit()
    return ids


def clerk(services: Services) -> Actor:
    return make_user(services, "am", "account_manager")


def gateway_user(services: Services) -> Actor:
    return make_user(services, "sms_gw", "gateway", "3304")


def queue(services: Services, actor: Actor, ids: list[int], template: str = "renewal_notice"):
    values = {"offer": "续保九折"} if template == "offer" else {}
    return [services.sms.send(actor, c, template, values).id for c in ids]


def statuses(services: Services) -> dict[int, str]:
    with services.database.session() as session:
        rows = session.exec(
            select(SmsMessage.id, SmsMessage.status).where(col(SmsMessage.direction) == "out")
        ).all()
    return {message_id or 0: status for message_id, status in rows}


def delivery(services: Services, message_id: int) -> SmsDelivery:
    with services.database.session() as session:
        row = session.get(SmsDelivery, message_id)
        assert row is not None
        return row
