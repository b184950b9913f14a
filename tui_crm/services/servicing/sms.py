"""SMS: renewal notices, claim progress, care and warnings; marketing only with consent.

Messages are queued in `sms_message` for the operator's SMS gateway, which marks them
sent/delivered. Marketing templates need the customer's recorded consent, are never sent
after an opt-out, and always end with the opt-out line (工信部令第31号). An inbound reply of
TD/T/退订 records the opt-out.
"""

import re
import string
from dataclasses import dataclass

from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.adjusters import claim_contact
from tui_crm.services.core import audit, repeat
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from tui_crm.services.core.fixtures import fixture_rows
from tui_crm.services.core.masking import mask_phone
from tui_crm.services.core.text import clean_text, norm_phone
from tui_crm.storage.db import Database
from tui_crm.storage.models import (
    Claim,
    Contact,
    Customer,
    Policy,
    SmsMessage,
    SmsTemplate,
    Vehicle,
)

OPT_OUT_LINE = "回复TD退订"
OPT_OUT_WORDS = {"TD", "T", "N", "退订", "UNSUBSCRIBE"}
MAX_LENGTH = 500
SMS_WORDS = ("短信", "SMS")


@dataclass(frozen=True)
class SmsPreview:
    customer_id: int
    phone_masked: str
    body: str
    marketing: bool


@dataclass(frozen=True)
class SentSms:
    id: int
    customer_id: int | None
    phone_masked: str
    body: str
    status: str


def seed_sms_templates(session: Session) -> None:
    for row in fixture_rows("sms_templates.csv"):
        if session.get(SmsTemplate, row["code"]) is None:
            session.add(
                SmsTemplate(
                    code=row["code"],
                    name=row["name"],
                    body=row["body"],
                    marketing=row["marketing"] == "1",
                )
            )


class SmsService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def templates(self, actor: Actor) -> list[SmsTemplate]:
        actor.require(Permission.SMS_SEND)
        with self.database.session() as session:
            query = (
                select(SmsTemplate).where(col(SmsTemplate.active)).order_by(col(SmsTemplate.code))
            )
            return list(session.exec(query).all())

    def preview(
        self,
        actor: Actor,
        customer_id: int,
        template_code: str,
        values: dict[str, str] | None = None,
    ) -> SmsPreview:
        actor.require(Permission.SMS_SEND)
        with self.database.session() as session:
            return self._compose(session, actor, customer_id, template_code, values or {})[0]

    def send(
        self,
        actor: Actor,
        customer_id: int,
        template_code: str,
        values: dict[str, str] | None = None,
    ) -> SentSms:
        actor.require(Permission.SMS_SEND)
        digest = repeat.fingerprint(customer_id, template_code, values or {})
        with self.database.session() as session:
            claimed = repeat.claim(session, actor, "sms", digest, self.clock.now(), SMS_WORDS)
            preview, phone = self._compose(session, actor, customer_id, template_code, values or {})
            message = SmsMessage(
                customer_id=customer_id,
                phone=phone,
                direction="out",
                template_code=template_code,
                body=preview.body,
                status="queued",
                staff_id=actor.id,
            )
            session.add(message)
            session.flush()
            repeat.made(session, claimed, message.id)
            audit.record(
                session,
                actor,
                "sms_send",
                entity="sms_message",
                entity_id=message.id,
                after={"customer_id": customer_id, "template": template_code},
            )
            session.commit()
            return SentSms(
                id=message.id or 0,
                customer_id=customer_id,
                phone_masked=preview.phone_masked,
                body=preview.body,
                status="queued",
            )

    def receive(self, actor: Actor, phone: str, body: str) -> SentSms:
        """An inbound SMS from the gateway; opt-out words withdraw marketing consent.

        The gateway's act, not a clerk's: only its role holds the permission, and the
        audit row names its account."""
        actor.require(Permission.SMS_RECEIVE)
        phone = norm_phone(phone)
        body = clean_text(body)[:MAX_LENGTH]
        with self.database.session() as session:
            contacts = session.exec(select(Contact).where(Contact.value_norm == phone)).all()
            customer_id = contacts[0].customer_id if contacts else None
            if body.upper() in OPT_OUT_WORDS:
                for contact in contacts:
                    contact.consent_marketing_sms = False
                    contact.opted_out_at = self.clock.now()
                audit.record(
                    session, actor, "sms_opt_out", entity="customer", entity_id=customer_id
                )
            message = SmsMessage(
                customer_id=customer_id, phone=phone, direction="in", body=body, status="received"
            )
            session.add(message)
            session.commit()
            seen = customer_id is not None and _in_scope(session, actor, customer_id)
            return SentSms(
                id=message.id or 0,
                customer_id=customer_id if seen else None,
                phone_masked=mask_phone(phone) or "",
                body=body,
                status="received",
            )

    def _compose(
        self,
        session: Session,
        actor: Actor,
        customer_id: int,
        template_code: str,
        values: dict[str, str],
    ) -> tuple[SmsPreview, str]:
        template = session.get(SmsTemplate, template_code)
        if template is None or not template.active:
            raise NotFound(
                tr("没有短信模板 {c}", "No SMS template {c}", c=template_code), field="template"
            )
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(
                tr("没有编号为 {i} 的客户", "No customer {i}", i=customer_id), field="customer"
            )
        actor.require_scope(customer.unit_id)
        mobile = session.exec(
            select(Contact)
            .where(Contact.customer_id == customer_id, Contact.kind == "mobile")
            .order_by(col(Contact.is_primary).desc(), col(Contact.id))
        ).first()
        if mobile is None or not mobile.value_norm:
            raise Conflict(
                tr("该客户没有手机号码", "The customer has no mobile number"), field="customer"
            )
        if template.marketing and (not mobile.consent_marketing_sms or mobile.opted_out_at):
            raise Conflict(
                tr(
                    "客户未同意接收营销短信或已退订",
                    "No marketing consent, or the customer opted out",
                ),
                field="template",
            )
        fields = _known_fields(session, customer) | {k: clean_text(v) for k, v in values.items()}
        wanted = [name for _, name, _, _ in string.Formatter().parse(template.body) if name]
        missing = [name for name in wanted if not fields.get(name)]
        if missing:
            raise ValidationFailed(
                tr("请填写：{f}", "Fill in: {f}", f="、".join(missing)), field=missing[0]
            )
        body = template.body.format(**{name: fields[name] for name in wanted})
        if template.marketing and OPT_OUT_LINE not in body:
            body = f"{body}{OPT_OUT_LINE}"
        if len(body) > MAX_LENGTH:
            raise ValidationFailed(tr("短信过长", "Message too long"), field="body")
        preview = SmsPreview(
            customer_id=customer_id,
            phone_masked=mask_phone(mobile.value_norm) or "",
            body=body,
            marketing=template.marketing,
        )
        return preview, mobile.value_norm


def _known_fields(session: Session, customer: Customer) -> dict[str, str]:
    fields = {"name": re.sub(r"\s+", "", customer.name)}
    plate = session.exec(
        select(Vehicle.plate)
        .where(Vehicle.owner_customer_id == customer.id)
        .order_by(col(Vehicle.id))
    ).first()
    if plate:
        fields["plate"] = plate
    end = session.exec(
        select(col(Policy.end_date))
        .where(Policy.customer_id == customer.id)
        .order_by(col(Policy.end_date).desc())
    ).first()
    if end:
        fields["end_date"] = end.isoformat()
    return fields | _claim_fields(session, customer)


def _claim_fields(session: Session, customer: Customer) -> dict[str, str]:
    """The customer's latest claim and whom to call about it: the adjuster on duty when
    it was reported (else its handler, else the unit's service phone), for claim_care."""
    claim = session.exec(
        select(Claim)
        .where(Claim.customer_id == customer.id)
        .order_by(col(Claim.report_date).desc(), col(Claim.id).desc())
    ).first()
    if claim is None:
        return {}
    fields = {"claim_no": claim.claim_no}
    contact = claim_contact(session, claim)
    if contact is not None:
        fields["adjuster"] = contact.name
        fields["adjuster_phone"] = contact.phone
    return fields


def _in_scope(session: Session, actor: Actor, customer_id: int) -> bool:
    customer = session.get(Customer, customer_id)
    return customer is not None and customer.unit_id in actor.scope_unit_ids
