"""The dispatcher: hands queued SMS to the gateway, in order, at most once each.

A round claims a batch of queued outbound messages by flipping their status from
`queued` to `sending` in one UPDATE that only matches rows still queued, so two
dispatchers running at once never claim the same row (the database decides). Then it
sends each claimed message outside any transaction and records the outcome: `sent` with
the provider's id and code, `failed` with the provider's code and reason, or back to
`queued` with a later `not_before` for a transient failure (timeouts, throttling) until
the attempts run out. Marketing is left queued during quiet hours; the rate limit counts
the messages sent in the last minute by every dispatcher. A claim older than
`STALE_CLAIM` (a dispatcher that died mid-send) is released; the idempotent message id
keeps the provider from sending it twice.
"""

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.thresholds import threshold_int
from tui_crm.services.sms.gateway import Gateway, OutboundSms, SendResult, message_ref
from tui_crm.services.sms.quiet import is_quiet, quiet_window
from tui_crm.storage.db import Database
from tui_crm.storage.models import SmsDelivery, SmsMessage, SmsTemplate

STALE_CLAIM = timedelta(minutes=10)
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))


@dataclass
class DispatchReport:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    rate_limited: bool = False
    quiet_hours: bool = False
    reports: int = 0
    replies: int = 0


@dataclass(frozen=True)
class _Claimed:
    id: int
    phone: str
    body: str
    attempts: int


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:60]


class SmsDispatcher:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def dispatch_once(
        self,
        actor: Actor,
        gateway: Gateway,
        *,
        worker: str | None = None,
        batch: int = 200,
        max_attempts: int = 3,
        rate_per_minute: int | None = None,
    ) -> DispatchReport:
        """Send what may be sent now; stop when nothing is left or the minute's budget is
        spent. One audit row per round says what was done."""
        actor.require(Permission.SMS_DISPATCH)
        worker = worker or worker_name()
        report = DispatchReport()
        self._release_stale_claims()
        while True:
            budget = self._budget(rate_per_minute)
            if budget <= 0:
                report.rate_limited = True
                break
            claimed, report.quiet_hours = self._claim(worker, min(batch, budget))
            if not claimed:
                break
            outcomes = [(item, gateway.send(_outbound(item))) for item in claimed]
            self._record(outcomes, max_attempts, report)
        if report.sent or report.failed or report.retrying:
            with self.database.session() as session:
                audit.record(
                    session,
                    actor,
                    "sms_dispatch",
                    entity="sms_message",
                    after={
                        "gateway": gateway.name,
                        "worker": worker,
                        "sent": report.sent,
                        "failed": report.failed,
                        "retrying": report.retrying,
                    },
                )
                session.commit()
        return report

    def _budget(self, rate_per_minute: int | None) -> int:
        now = self.clock.now()
        with self.database.session() as session:
            rate = rate_per_minute or threshold_int(session, "sms.rate_per_minute")
            recent = session.exec(
                select(func.count()).where(col(SmsDelivery.sent_at) > now - timedelta(minutes=1))
            ).one()
        return rate - int(recent)

    def _release_stale_claims(self) -> None:
        cutoff = self.clock.now() - STALE_CLAIM
        with self.database.session() as session:
            stale = select(SmsDelivery.message_id).where(col(SmsDelivery.claimed_at) < cutoff)
            session.execute(
                update(SmsMessage)
                .where(col(SmsMessage.status) == "sending", col(SmsMessage.id).in_(stale))
                .values(status="queued")
            )
            session.commit()

    def _claim(self, worker: str, limit: int) -> tuple[list[_Claimed], bool]:
        now = self.clock.now()
        with self.database.session() as session:
            quiet = is_quiet(now, *quiet_window(session))
            query = (
                select(SmsMessage.id)
                .outerjoin(SmsDelivery, col(SmsDelivery.message_id) == SmsMessage.id)
                .where(
                    col(SmsMessage.status) == "queued",
                    col(SmsMessage.direction) == "out",
                    or_(col(SmsDelivery.not_before).is_(None), col(SmsDelivery.not_before) <= now),
                )
                .order_by(col(SmsMessage.id))
                .limit(limit)
            )
            if quiet:
                query = query.outerjoin(
                    SmsTemplate, col(SmsTemplate.code) == SmsMessage.template_code
                ).where(or_(col(SmsTemplate.marketing).is_(None), ~col(SmsTemplate.marketing)))
            candidates = list(session.exec(query).all())
        if not candidates:
            return [], quiet
        # A transaction of its own: the UPDATE only matches rows nobody claimed meanwhile.
        with self.database.session() as session:
            won = session.execute(
                update(SmsMessage)
                .where(col(SmsMessage.id).in_(candidates), col(SmsMessage.status) == "queued")
                .values(status="sending")
                .returning(col(SmsMessage.id), col(SmsMessage.phone), col(SmsMessage.body))
            ).all()
            claimed = self._mark_claimed(session, worker, now, {row[0]: row for row in won})
            session.commit()
        return claimed, quiet

    def _mark_claimed(
        self, session: Session, worker: str, now: datetime, won: dict[int, tuple[int, str, str]]
    ) -> list[_Claimed]:
        if not won:
            return []
        existing = {
            row.message_id: row
            for row in session.exec(
                select(SmsDelivery).where(col(SmsDelivery.message_id).in_(list(won)))
            ).all()
        }
        claimed = []
        for message_id in sorted(won):
            row = existing.get(message_id)
            if row is None:
                row = SmsDelivery(message_id=message_id)
                session.add(row)
            row.claimed_by = worker
            row.claimed_at = now
            row.attempts += 1
            _, phone, body = won[message_id]
            claimed.append(_Claimed(message_id, phone, body, row.attempts))
        return claimed

    def _record(
        self,
        outcomes: list[tuple[_Claimed, SendResult]],
        max_attempts: int,
        report: DispatchReport,
    ) -> None:
        now = self.clock.now()
        with self.database.session() as session:
            deliveries = {
                row.message_id: row
                for row in session.exec(
                    select(SmsDelivery).where(
                        col(SmsDelivery.message_id).in_([item.id for item, _ in outcomes])
                    )
                ).all()
            }
            statuses: dict[str, list[int]] = {"sent": [], "failed": [], "queued": []}
            for item, result in outcomes:
                delivery = deliveries[item.id]
                delivery.provider_code = result.code[:40] or None
                delivery.claimed_at = None
                if result.accepted:
                    delivery.provider_id = (result.provider_id or "")[:80] or None
                    delivery.sent_at = now
                    delivery.reason = None
                    statuses["sent"].append(item.id)
                elif result.transient and item.attempts < max_attempts:
                    delay = RETRY_DELAYS[min(item.attempts, len(RETRY_DELAYS)) - 1]
                    delivery.not_before = now + delay
                    delivery.reason = result.reason[:200] or None
                    statuses["queued"].append(item.id)
                else:
                    delivery.reason = (result.reason or result.code)[:200] or None
                    delivery.finished_at = now
                    statuses["failed"].append(item.id)
            for status, ids in statuses.items():
                if ids:
                    session.execute(
                        update(SmsMessage)
                        .where(col(SmsMessage.id).in_(ids), col(SmsMessage.status) == "sending")
                        .values(status=status)
                    )
            session.commit()
        report.sent += len(statuses["sent"])
        report.failed += len(statuses["failed"])
        report.retrying += len(statuses["queued"])


def _outbound(item: _Claimed) -> OutboundSms:
    return OutboundSms(ref=message_ref(item.id), phone=item.phone, body=item.body)
