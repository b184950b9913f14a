"""Callbacks the SMS provider posts to `tui-crm sms serve`: delivery reports and replies.

    POST /sms/report  {"message_id": "p-1", "ref": "crm-42", "delivered": true, "code": "DELIVRD"}
    POST /sms/reply   {"message_id": "p-2", "phone": "139…", "body": "TD"}

Each request is signed like the gateway's own requests to the provider: HMAC-SHA256 with
the shared secret over ``timestamp\\nMETHOD\\npath\\nbody`` (headers `X-Key-Id`,
`X-Timestamp`, `X-Signature`), the timestamp within five minutes of the clock. A callback
is taken in once per provider message id and kind (`sms_callback`): the provider may post
it again after a lost answer and is told it is a duplicate. What it carries is recorded
by the same calls as the polled gateway and `sms receive` (`SmsInbox.take`).
"""

import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from tui_crm.i18n import tr
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.servicing.sms import MAX_LENGTH
from tui_crm.services.sms.gateway import InboundEvent
from tui_crm.services.sms.http_gateway import signature
from tui_crm.services.sms.inbound import InboundReport, SmsInbox
from tui_crm.storage.db import Database
from tui_crm.storage.models import SmsCallback

KINDS = ("report", "reply")
MAX_SKEW = 300  # seconds between the provider's timestamp and ours
MAX_BODY = 64 * 1024  # bytes of one callback
MAX_ID = 80  # characters of the provider's message id


@dataclass(frozen=True)
class Callback:
    """One callback as the provider posted it: its message id and what it reports."""

    provider_id: str
    event: InboundEvent


@dataclass(frozen=True)
class CallbackOutcome:
    status: str  # recorded / duplicate
    inbound: InboundReport


def signed(
    key_id: str,
    secret: str,
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    now: float,
) -> bool:
    """Whether the request carries our key id, a fresh timestamp and the right signature."""
    given_key = headers.get("X-Key-Id") or ""
    stamp = headers.get("X-Timestamp") or ""
    given = headers.get("X-Signature") or ""
    if not (given_key and stamp.isdigit() and given):
        return False
    if abs(int(stamp) - now) > MAX_SKEW:
        return False
    expected = signature(secret, stamp, method, path, body)
    key_ok = hmac.compare_digest(given_key.encode(), key_id.encode())
    return hmac.compare_digest(given.encode(), expected.encode()) and key_ok


def parse_callback(kind: str, body: bytes) -> Callback:
    """The callback in `body`, or ValidationFailed saying what is wrong with it."""
    if kind not in KINDS:
        raise ValidationFailed(tr("未知的回调类型", "Unknown callback kind"), field="kind")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationFailed(tr("回调不是 JSON", "The callback is not JSON")) from None
    if not isinstance(data, dict):
        raise ValidationFailed(tr("回调应为 JSON 对象", "The callback must be a JSON object"))
    provider_id = _text(data, "message_id", MAX_ID, required=True)
    if kind == "report":
        delivered = data.get("delivered")
        if not isinstance(delivered, bool):
            raise ValidationFailed(
                tr("delivered 应为 true 或 false", "delivered must be true or false"),
                field="delivered",
            )
        event = InboundEvent(
            kind="report",
            ref=_text(data, "ref", 40, required=True),
            delivered=delivered,
            code=_text(data, "code", 40),
        )
    else:
        event = InboundEvent(
            kind="reply",
            phone=_text(data, "phone", 20, required=True),
            body=_text(data, "body", MAX_LENGTH, required=True),
        )
    return Callback(provider_id, event)


def _text(data: dict[str, Any], name: str, limit: int, *, required: bool = False) -> str:
    value = data.get(name, "")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValidationFailed(
            tr("{f} 应为文本", "{f} must be text", f=name),
            field=name,
        )
    value = value.strip()
    if required and not value:
        raise ValidationFailed(tr("缺少 {f}", "{f} is missing", f=name), field=name)
    if len(value) > limit:
        raise ValidationFailed(
            tr(
                "{f} 过长：最多 {n} 个字符",
                "{f} is too long: at most {n} characters",
                f=name,
                n=limit,
            ),
            field=name,
        )
    return value


class SmsCallbacks:
    def __init__(self, database: Database, clock: Clock, inbox: SmsInbox) -> None:
        self.database = database
        self.clock = clock
        self.inbox = inbox

    def take(self, actor: Actor, callback: Callback) -> CallbackOutcome:
        """Record a callback once: a repeat of the same provider message id is a duplicate.

        The id is claimed first (so two deliveries of the same callback at once record it
        once) and released again when recording fails, so the provider's retry gets in."""
        actor.require(Permission.SMS_RECEIVE)
        if not self._claim(callback):
            return CallbackOutcome("duplicate", InboundReport())
        try:
            inbound = self.inbox.take(actor, [callback.event])
        except BaseException:
            self._release(callback)
            raise
        return CallbackOutcome("recorded", inbound)

    def _claim(self, callback: Callback) -> bool:
        dialect = postgresql if self.database.dialect == "postgresql" else sqlite
        table = SmsCallback.__table__  # type: ignore[attr-defined]
        statement = (
            dialect.insert(table)
            .values(
                kind=callback.event.kind,
                provider_id=callback.provider_id,
                received_at=self.clock.now(),
            )
            .on_conflict_do_nothing(index_elements=["kind", "provider_id"])
            .returning(table.c.provider_id)
        )
        with self.database.connect() as connection:
            return connection.execute(statement).first() is not None

    def _release(self, callback: Callback) -> None:
        table = SmsCallback.__table__  # type: ignore[attr-defined]
        with self.database.connect() as connection:
            connection.execute(
                delete(table).where(
                    table.c.kind == callback.event.kind,
                    table.c.provider_id == callback.provider_id,
                )
            )
