"""Staff asking the book about a vehicle by SMS.

A staff user registers a mobile with a PIN (argon2, like passwords): themselves, or an
administrator for staff of their units. The gateway hands in every message that starts
with `CX`; the query is checked in this order, each outcome recorded in
`staff_sms_query` and audited:

1. an unregistered phone (or an inactive user's) — `unknown_phone`: no reply at all, so
   the number confirms nothing to a stranger and cannot be used to send texts elsewhere;
2. the phone's queries today (local day) at the daily limit (`sms.staff_query_daily_limit`)
   — `over_limit`: one short refusal for the first query past it, silence after;
3. a wrong or missing PIN — `wrong_pin`: a short refusal;
4. a plate not found among the vehicles of the asker's units — `not_found` (the same
   words whether it does not exist or belongs to another unit);
5. else `answered`: the vehicle's policy and latest claim, masked.

Replies are queued as outbound SMS to the registered phone for the dispatcher.
"""

from dataclasses import dataclass
from datetime import datetime, time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.accounts import build_actor
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import BRANCH_TZ, Clock
from tui_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from tui_crm.services.core.masking import mask_phone
from tui_crm.services.core.text import clean_text, norm_phone, within
from tui_crm.services.core.thresholds import threshold_int
from tui_crm.services.staff_sms.answer import answer, find_vehicle
from tui_crm.services.staff_sms.command import PIN_PATTERN, parse
from tui_crm.services.validation import validate
from tui_crm.storage.db import Database
from tui_crm.storage.models import SmsMessage, StaffSmsPhone, StaffSmsQuery, StaffUser


@dataclass(frozen=True)
class RegisteredPhone:
    username: str
    phone_masked: str


@dataclass(frozen=True)
class QueryResult:
    outcome: str  # answered, not_found, wrong_pin, over_limit, unknown_phone
    reply_id: int | None


class StaffSmsService:
    def __init__(self, database: Database, clock: Clock, hasher: PasswordHasher) -> None:
        self.database = database
        self.clock = clock
        self.hasher = hasher

    def register(self, actor: Actor, username: str, phone: str, pin: str) -> RegisteredPhone:
        """Register `username`'s mobile with a PIN (replacing an earlier one): the user
        themself, or an administrator for staff of their units."""
        username = within(clean_text(username), 40, field="user", label=("员工", "Staff user"))
        if username != actor.username:
            actor.require(Permission.USER_ADMIN)
        verdict = validate(
            "phone", within(phone.strip(), 20, field="phone", label=("手机", "Mobile"))
        )
        if not verdict.valid or getattr(verdict, "phone_type", "") != "mobile":
            raise ValidationFailed(
                tr("请填写有效的手机号码", "Give a valid mobile number"), field="phone"
            )
        if not PIN_PATTERN.fullmatch(pin or ""):
            raise ValidationFailed(tr("PIN 应为 4–8 位数字", "The PIN is 4–8 digits"), field="pin")
        with self.database.session() as session:
            user = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
            if user is None or user.id is None or not actor.in_scope(user.unit_id):
                raise NotFound(tr("没有员工 {u}", "No staff user {u}", u=username), field="user")
            taken = session.exec(
                select(StaffSmsPhone).where(StaffSmsPhone.phone == verdict.normalised)
            ).first()
            if taken is not None and taken.staff_id != user.id:
                raise Conflict(
                    tr("该号码已登记给其他员工", "The number is registered to another user"),
                    field="phone",
                )
            row = session.get(StaffSmsPhone, user.id) or StaffSmsPhone(
                staff_id=user.id, phone="", pin_hash="", registered_by_id=actor.id
            )
            row.phone, row.pin_hash = verdict.normalised, self.hasher.hash(pin)
            row.registered_by_id, row.registered_at = actor.id, self.clock.now()
            session.add(row)
            masked = mask_phone(verdict.normalised) or ""
            audit.record(
                session, actor, "staff_sms_register", entity="staff_user", entity_id=user.id,
                after={"phone": masked},
            )  # fmt: skip
            session.commit()
            return RegisteredPhone(username, masked)

    def query(self, gateway: Actor, phone: str, body: str) -> QueryResult:
        """One `CX` message from `phone` (the gateway's act): answer, refuse or ignore."""
        gateway.require(Permission.SMS_RECEIVE)
        phone = norm_phone(phone)[:20]
        command = parse(body)
        now = self.clock.now()
        with self.database.session() as session:
            registered = session.exec(
                select(StaffSmsPhone, StaffUser)
                .join(StaffUser, col(StaffUser.id) == StaffSmsPhone.staff_id)
                .where(StaffSmsPhone.phone == phone, col(StaffUser.active))
            ).first()
            asked = _asked_today(session, phone, now)
            if registered is None:
                return _close(
                    session, gateway, phone, None, command.plate, "unknown_phone", None, now
                )
            entry, user = registered
            asker = build_actor(session, user)
            limit = threshold_int(session, "sms.staff_query_daily_limit")
            if asked >= limit:
                text = tr(
                    "今日短信查询次数已用完。", "Today's SMS queries are used up."
                ) if asked == limit else None  # fmt: skip
                return _close(
                    session, asker, phone, text, command.plate, "over_limit", user.id, now
                )
            if not command.pin or not self._pin_ok(entry, command.pin):
                text = tr(
                    "查询未执行：格式为 CX 车牌 PIN，或 PIN 错误。",
                    "Query refused: send CX plate PIN, or the PIN is wrong.",
                )
                return _close(session, asker, phone, text, command.plate, "wrong_pin", user.id, now)
            found = (
                find_vehicle(session, asker, command.plate)
                if asker.can(Permission.CUSTOMER_READ)
                else None
            )
            if found is None:
                text = tr(
                    "未找到车辆 {p}（或不在您的机构范围内）。",
                    "No vehicle {p} in your units.",
                    p=command.plate,
                )
                return _close(session, asker, phone, text, command.plate, "not_found", user.id, now)
            return _close(
                session,
                asker,
                phone,
                answer(session, *found),
                command.plate,
                "answered",
                user.id,
                now,
            )

    def _pin_ok(self, entry: StaffSmsPhone, pin: str) -> bool:
        try:
            return bool(self.hasher.verify(entry.pin_hash, pin))
        except (VerificationError, InvalidHashError):
            return False


def _asked_today(session: Session, phone: str, now: datetime) -> int:
    midnight = datetime.combine(now.astimezone(BRANCH_TZ).date(), time(0), tzinfo=BRANCH_TZ)
    count = session.exec(
        select(func.count())
        .select_from(StaffSmsQuery)
        .where(StaffSmsQuery.phone == phone, col(StaffSmsQuery.received_at) >= midnight)
    ).one()
    return int(count or 0)


def _close(
    session: Session,
    actor: Actor,
    phone: str,
    reply: str | None,
    plate: str,
    outcome: str,
    staff_id: int | None,
    now: datetime,
) -> QueryResult:
    """Queue the reply (if any), record the query and audit it, in one commit."""
    message = None
    if reply is not None:
        message = SmsMessage(
            phone=phone, direction="out", body=reply[:500], status="queued", staff_id=staff_id
        )
        session.add(message)
        session.flush()
    reply_id = message.id if message else None
    row = StaffSmsQuery(
        phone=phone, staff_id=staff_id, plate=plate, outcome=outcome, reply_id=reply_id,
        received_at=now,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "staff_sms_query", entity="staff_sms_query", entity_id=row.id,
        after={"phone": mask_phone(phone), "plate": plate, "outcome": outcome},
    )  # fmt: skip
    session.commit()
    return QueryResult(outcome, reply_id)
