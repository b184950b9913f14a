"""Campaigns: one template sent to a list of customers (from a worklist, a report
drill-down or a saved search), checked customer by customer.

`build` records the campaign and every member — the message it will carry, or why the
customer is skipped — and returns the preview (count, three rendered messages, skipped by
reason). A marketing campaign larger than the threshold `campaign.approval_size` waits for
a supervisor's approval (not the builder's own). `queue` puts the messages in the SMS
queue in one transaction; marketing is held until quiet hours end. `cancel` withdraws what
has not been sent. Every step is audited.
"""

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, update
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.campaigns.recipients import recipients
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tui_crm.services.core.masking import mask_phone
from tui_crm.services.core.text import clean_text
from tui_crm.services.core.thresholds import threshold_int
from tui_crm.services.sms import quiet_ends
from tui_crm.services.sms.quiet import quiet_window
from tui_crm.storage.db import Database
from tui_crm.storage.models import (
    Customer,
    SmsCampaign,
    SmsCampaignMember,
    SmsDelivery,
    SmsMessage,
    SmsTemplate,
)

SAMPLES = 3


@dataclass(frozen=True)
class CampaignPreview:
    id: int
    name: str
    template_code: str
    marketing: bool
    status: str
    total: int
    to_send: int
    skipped: dict[str, int]  # reason code → customers
    samples: list[str]  # three rendered messages, phones masked
    needs_approval: bool


@dataclass(frozen=True)
class SkippedCustomer:
    customer_id: int
    customer_name: str
    reason: str


@dataclass(frozen=True)
class CampaignProgress:
    id: int
    status: str
    by_status: dict[str, int]  # queued/sending/sent/delivered/failed/cancelled
    skipped: int
    not_before: datetime | None


class CampaignService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def build(
        self,
        actor: Actor,
        *,
        name: str,
        template_code: str,
        customer_ids: list[int],
        values: dict[str, str] | None = None,
        source: str = "",
    ) -> CampaignPreview:
        actor.require(Permission.CAMPAIGN_RUN)
        name = clean_text(name)[:60]
        if not name:
            raise ValidationFailed(tr("请填写活动名称", "Name the campaign"), field="name")
        if not customer_ids:
            raise ValidationFailed(tr("客户名单为空", "The customer list is empty"), field="list")
        values = {k: clean_text(v) for k, v in (values or {}).items()}
        with self.database.session() as session:
            template = session.get(SmsTemplate, template_code)
            if template is None or not template.active:
                raise NotFound(
                    tr("没有短信模板 {c}", "No SMS template {c}", c=template_code),
                    field="template",
                )
            found = recipients(
                session.connection(),
                customer_ids,
                body=template.body,
                marketing=template.marketing,
                values=values,
                scope=actor.scope_unit_ids,
            )
            skipped = sum(1 for r in found if r.skip_reason)
            to_send = len(found) - skipped
            large = to_send > threshold_int(session, "campaign.approval_size")
            campaign = SmsCampaign(
                name=name,
                template_code=template_code,
                marketing=template.marketing,
                source=clean_text(source)[:120],
                values_json=json.dumps(values, ensure_ascii=False),
                status="awaiting_approval" if template.marketing and large else "draft",
                unit_id=actor.unit_id,
                created_by_id=actor.id,
                total=len(found),
                skipped=skipped,
            )
            session.add(campaign)
            session.flush()
            assert campaign.id is not None
            members = SmsCampaignMember.__table__  # type: ignore[attr-defined]
            rows = [
                {
                    "campaign_id": campaign.id,
                    "customer_id": r.customer_id,
                    "phone": r.phone,
                    "body": r.body,
                    "skip_reason": r.skip_reason,
                }
                for r in found
                if r.skip_reason != "out_of_scope" or _exists(session, r.customer_id)
            ]
            if rows:
                session.execute(insert(members), rows)
            audit.record(
                session,
                actor,
                "campaign_create",
                entity="sms_campaign",
                entity_id=campaign.id,
                after={
                    "template": template_code,
                    "total": len(found),
                    "to_send": to_send,
                    "skipped": dict(Counter(r.skip_reason for r in found if r.skip_reason)),
                },
            )
            session.commit()
            return _preview(session, campaign)

    def preview(self, actor: Actor, campaign_id: int) -> CampaignPreview:
        actor.require(Permission.CAMPAIGN_RUN)
        with self.database.session() as session:
            return _preview(session, _campaign(session, actor, campaign_id))

    def skipped(self, actor: Actor, campaign_id: int) -> list[SkippedCustomer]:
        actor.require(Permission.CAMPAIGN_RUN)
        with self.database.session() as session:
            _campaign(session, actor, campaign_id)
            rows = session.exec(
                select(SmsCampaignMember.customer_id, Customer.name, SmsCampaignMember.skip_reason)
                .join(Customer, col(Customer.id) == SmsCampaignMember.customer_id)
                .where(
                    SmsCampaignMember.campaign_id == campaign_id,
                    col(SmsCampaignMember.skip_reason).is_not(None),
                )
                .order_by(col(SmsCampaignMember.id))
            ).all()
            return [
                SkippedCustomer(
                    customer_id=cid,
                    customer_name=name if reason != "out_of_scope" else "",
                    reason=reason or "",
                )
                for cid, name, reason in rows
            ]

    def approve(self, actor: Actor, campaign_id: int) -> CampaignPreview:
        actor.require(Permission.CAMPAIGN_APPROVE)
        with self.database.session() as session:
            campaign = _campaign(session, actor, campaign_id)
            if campaign.status != "awaiting_approval":
                raise Conflict(
                    tr("该活动无需批准或已处理", "This campaign is not awaiting approval"),
                    field="campaign",
                )
            if campaign.created_by_id == actor.id:
                raise Forbidden(
                    tr("不能批准自己创建的活动", "You may not approve your own campaign"),
                    code="own_campaign",
                )
            campaign.status = "approved"
            campaign.approved_by_id, campaign.approved_at = actor.id, self.clock.now()
            audit.record(
                session, actor, "campaign_approve", entity="sms_campaign", entity_id=campaign_id
            )
            session.commit()
            return _preview(session, campaign)

    def queue(self, actor: Actor, campaign_id: int) -> CampaignProgress:
        """Every member's message into the SMS queue (once); marketing waits for morning."""
        actor.require(Permission.CAMPAIGN_RUN)
        now = self.clock.now()
        with self.database.session() as session:
            campaign = _campaign(session, actor, campaign_id)
            if campaign.status == "awaiting_approval":
                raise Conflict(
                    tr(
                        "营销群发超过规定人数，需主管批准后发送",
                        "A marketing campaign this large needs a supervisor's approval first",
                    ),
                    field="campaign",
                )
            if campaign.status not in ("draft", "approved"):
                raise Conflict(
                    tr("该活动已排队或已取消", "This campaign was queued or cancelled already"),
                    field="campaign",
                )
            not_before = quiet_ends(now, *quiet_window(session)) if campaign.marketing else now
            count = self._enqueue(session, actor, campaign, not_before)
            campaign.status, campaign.queued_at = "queued", now
            campaign.not_before = not_before
            audit.record(
                session,
                actor,
                "campaign_queue",
                entity="sms_campaign",
                entity_id=campaign_id,
                after={"queued": count, "not_before": not_before.isoformat()},
            )
            session.commit()
        return self.progress(actor, campaign_id)

    def _enqueue(
        self, session: Session, actor: Actor, campaign: SmsCampaign, not_before: datetime
    ) -> int:
        members = session.exec(
            select(
                col(SmsCampaignMember.id),
                col(SmsCampaignMember.customer_id),
                col(SmsCampaignMember.phone),
                col(SmsCampaignMember.body),
            )
            .where(
                SmsCampaignMember.campaign_id == campaign.id,
                col(SmsCampaignMember.skip_reason).is_(None),
            )
            .order_by(col(SmsCampaignMember.id))
        ).all()
        if not members:
            return 0
        created = self.clock.now()
        messages = SmsMessage.__table__  # type: ignore[attr-defined]
        ids = (
            session.execute(
                insert(messages).returning(messages.c.id, sort_by_parameter_order=True),
                [
                    {
                        "customer_id": customer_id,
                        "phone": phone,
                        "direction": "out",
                        "template_code": campaign.template_code,
                        "body": body,
                        "status": "queued",
                        "staff_id": actor.id,
                        "created_at": created,
                    }
                    for _, customer_id, phone, body in members
                ],
            )
            .scalars()
            .all()
        )
        session.execute(
            insert(SmsDelivery.__table__),  # type: ignore[attr-defined]
            [{"message_id": i, "campaign_id": campaign.id, "not_before": not_before} for i in ids],
        )
        return len(ids)

    def cancel(self, actor: Actor, campaign_id: int) -> CampaignProgress:
        """Withdraw what is still queued; what was sent stays sent."""
        actor.require(Permission.CAMPAIGN_RUN)
        with self.database.session() as session:
            campaign = _campaign(session, actor, campaign_id)
            if campaign.status == "cancelled":
                raise Conflict(tr("该活动已取消", "This campaign is cancelled already"))
            mine = select(SmsDelivery.message_id).where(SmsDelivery.campaign_id == campaign_id)
            result = session.execute(
                update(SmsMessage)
                .where(col(SmsMessage.id).in_(mine), col(SmsMessage.status) == "queued")
                .values(status="cancelled")
            )
            withdrawn = int(getattr(result, "rowcount", 0))
            campaign.status = "cancelled"
            audit.record(
                session,
                actor,
                "campaign_cancel",
                entity="sms_campaign",
                entity_id=campaign_id,
                after={"withdrawn": withdrawn},
            )
            session.commit()
        return self.progress(actor, campaign_id)

    def progress(self, actor: Actor, campaign_id: int) -> CampaignProgress:
        actor.require(Permission.CAMPAIGN_RUN)
        with self.database.session() as session:
            campaign = _campaign(session, actor, campaign_id)
            rows = session.exec(
                select(SmsMessage.status, func.count())
                .join(SmsDelivery, col(SmsDelivery.message_id) == SmsMessage.id)
                .where(SmsDelivery.campaign_id == campaign_id)
                .group_by(col(SmsMessage.status))
            ).all()
            return CampaignProgress(
                id=campaign_id,
                status=campaign.status,
                by_status={status: int(n) for status, n in rows},
                skipped=campaign.skipped,
                not_before=campaign.not_before,
            )

    def campaigns(self, actor: Actor, *, limit: int = 100) -> list[CampaignPreview]:
        actor.require(Permission.CAMPAIGN_RUN)
        with self.database.session() as session:
            rows = session.exec(
                select(SmsCampaign)
                .where(col(SmsCampaign.unit_id).in_(actor.scope_unit_ids))
                .order_by(col(SmsCampaign.id).desc())
                .limit(limit)
            ).all()
            return [_preview(session, c) for c in rows]


def _exists(session: Session, customer_id: int) -> bool:
    return session.get(Customer, customer_id) is not None


def _campaign(session: Session, actor: Actor, campaign_id: int) -> SmsCampaign:
    campaign = session.get(SmsCampaign, campaign_id)
    if campaign is None or not actor.in_scope(campaign.unit_id):
        raise NotFound(tr("没有该短信活动", "No such campaign"), field="campaign")
    return campaign


def _preview(session: Session, campaign: SmsCampaign) -> CampaignPreview:
    reasons = session.exec(
        select(SmsCampaignMember.skip_reason, func.count())
        .where(
            SmsCampaignMember.campaign_id == campaign.id,
            col(SmsCampaignMember.skip_reason).is_not(None),
        )
        .group_by(col(SmsCampaignMember.skip_reason))
    ).all()
    samples = session.exec(
        select(SmsCampaignMember.phone, SmsCampaignMember.body)
        .where(
            SmsCampaignMember.campaign_id == campaign.id,
            col(SmsCampaignMember.skip_reason).is_(None),
        )
        .order_by(col(SmsCampaignMember.id))
        .limit(SAMPLES)
    ).all()
    skipped = {reason or "": int(n) for reason, n in reasons}
    out_of_scope = campaign.skipped - sum(skipped.values())
    if out_of_scope:  # customers that do not exist: no member row to count
        skipped["out_of_scope"] = skipped.get("out_of_scope", 0) + out_of_scope
    return CampaignPreview(
        id=campaign.id or 0,
        name=campaign.name,
        template_code=campaign.template_code,
        marketing=campaign.marketing,
        status=campaign.status,
        total=campaign.total,
        to_send=campaign.total - campaign.skipped,
        skipped=skipped,
        samples=[f"{mask_phone(phone)}: {body}" for phone, body in samples],
        needs_approval=campaign.status == "awaiting_approval",
    )
