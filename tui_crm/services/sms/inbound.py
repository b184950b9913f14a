"""What comes back through the gateway: delivery reports and customers' replies.

A report marks our message delivered or failed with the provider's code. A message that
starts with `CX` is a staff query (`services/staff_sms`): answered, refused or ignored
there, never kept as a reply (it carries a PIN). Any other reply is
recorded as an inbound message (a TD/退订 reply withdraws marketing consent, the one
rule of `servicing`); any other reply from a known customer becomes a task for the
customer's account manager, due the next day. The inbox lists replies in the reader's
scope with the phone masked.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.masking import mask_phone
from tui_crm.services.servicing import SmsService
from tui_crm.services.servicing.sms import OPT_OUT_WORDS
from tui_crm.services.sms.gateway import Gateway, InboundEvent, message_id_of
from tui_crm.services.staff_sms import StaffSmsService, is_query
from tui_crm.storage.db import Database
from tui_crm.storage.models import Customer, ServiceTask, SmsDelivery, SmsMessage


@dataclass
class InboundReport:
    reports: int = 0
    replies: int = 0
    opt_outs: int = 0
    tasks: int = 0
    staff_queries: int = 0


@dataclass(frozen=True)
class InboxItem:
    id: int
    received_at: datetime
    customer_id: int | None
    customer_name: str
    phone_masked: str
    body: str
    task_id: int | None
    task_status: str | None


class SmsInbox:
    def __init__(
        self, database: Database, clock: Clock, sms: SmsService, staff_sms: StaffSmsService
    ) -> None:
        self.database = database
        self.clock = clock
        self.sms = sms
        self.staff_sms = staff_sms

    def collect(self, actor: Actor, gateway: Gateway) -> InboundReport:
        """Poll the gateway once and take in every report and reply (the gateway's act)."""
        actor.require(Permission.SMS_RECEIVE)
        return self.take(actor, gateway.poll())

    def take(self, actor: Actor, events: list[InboundEvent]) -> InboundReport:
        actor.require(Permission.SMS_RECEIVE)
        report = InboundReport()
        reports = [e for e in events if e.kind == "report"]
        if reports:
            report.reports = self._reports(reports)
        for event in events:
            if event.kind == "reply" and event.phone and is_query(event.body):
                self.staff_sms.query(actor, event.phone, event.body)
                report.staff_queries += 1
            elif event.kind == "reply" and event.phone:
                report.replies += 1
                opt_out, task = self._reply(actor, event.phone, event.body)
                report.opt_outs += opt_out
                report.tasks += task
        return report

    def _reports(self, events: list[InboundEvent]) -> int:
        """Delivery reports in bulk: one UPDATE per outcome, one executemany for codes."""
        now = self.clock.now()
        by_id = {}
        for event in events:
            message_id = message_id_of(event.ref)
            if message_id is not None:
                by_id[message_id] = event  # the last report of a message wins
        if not by_id:
            return 0
        with self.database.session() as session:
            known = set(
                session.exec(
                    select(SmsDelivery.message_id).where(
                        col(SmsDelivery.message_id).in_(list(by_id))
                    )
                ).all()
            )
            if not known:
                return 0
            for delivered in (True, False):
                ids = [i for i in known if by_id[i].delivered is delivered]
                if ids:
                    session.execute(
                        update(SmsMessage)
                        .where(
                            col(SmsMessage.id).in_(ids),
                            col(SmsMessage.status).in_(("sent", "sending")),
                        )
                        .values(status="delivered" if delivered else "failed")
                    )
            table = SmsDelivery.__table__  # type: ignore[attr-defined]
            session.execute(
                update(table)
                .where(table.c.message_id == bindparam("mid"))
                .values(
                    provider_code=bindparam("code"),
                    finished_at=bindparam("at"),
                    reason=bindparam("why"),
                ),
                [
                    {
                        "mid": i,
                        "code": by_id[i].code[:40] or None,
                        "at": now,
                        "why": None if by_id[i].delivered else (by_id[i].code or "undelivered"),
                    }
                    for i in known
                ],
                execution_options={"synchronize_session": False},
            )
            session.commit()
        return len(known)

    def _reply(self, actor: Actor, phone: str, body: str) -> tuple[int, int]:
        received = self.sms.receive(actor, phone, body)
        if received.body.strip().upper() in OPT_OUT_WORDS:
            return 1, 0
        with self.database.session() as session:
            message = session.get(SmsMessage, received.id)
            if message is None or message.customer_id is None:
                return 0, 0
            customer = session.get(Customer, message.customer_id)
            assert customer is not None
            task = ServiceTask(
                kind="sms_reply",
                customer_id=customer.id,
                assignee_id=customer.account_manager_id,
                unit_id=customer.unit_id,
                message_id=message.id,
                subject=received.body[:200],
                due_date=self.clock.today() + timedelta(days=1),
            )
            session.add(task)
            session.flush()
            audit.record(session, actor, "task_create", entity="service_task", entity_id=task.id)
            session.commit()
        return 0, 1

    def inbox(self, actor: Actor, *, limit: int = 200) -> list[InboxItem]:
        """Replies newest first: customers in the reader's scope, and unknown senders."""
        actor.require(Permission.SMS_SEND)
        with self.database.session() as session:
            return _inbox(session, actor, limit)


def _inbox(session: Session, actor: Actor, limit: int) -> list[InboxItem]:
    rows = session.exec(
        select(SmsMessage, col(Customer.name), col(ServiceTask.id), col(ServiceTask.status))
        .outerjoin(Customer, col(Customer.id) == SmsMessage.customer_id)
        .outerjoin(ServiceTask, col(ServiceTask.message_id) == SmsMessage.id)
        .where(col(SmsMessage.direction) == "in")
        .where(
            col(SmsMessage.customer_id).is_(None) | col(Customer.unit_id).in_(actor.scope_unit_ids)
        )
        .order_by(col(SmsMessage.created_at).desc(), col(SmsMessage.id).desc())
        .limit(limit)
    ).all()
    return [
        InboxItem(
            id=message.id or 0,
            received_at=message.created_at,
            customer_id=message.customer_id,
            customer_name=name or "",
            phone_masked=mask_phone(message.phone) or "",
            body=message.body,
            task_id=task_id,
            task_status=task_status,
        )
        for message, name, task_id, task_status in rows
    ]
