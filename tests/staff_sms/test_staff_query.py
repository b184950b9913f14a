"""Staff querying a vehicle by SMS, the whole loop through the loopback gateway: the
`CX` message comes in, the reply is queued with the right content and leaves through the
dispatcher; wrong PIN, unknown phone, the daily limit and another unit's vehicle."""

from datetime import date

import pytest
from sqlmodel import col, select

from tests.factories import make_claim, make_customer, make_policy, make_user, make_vehicle
from tui_crm.services.core.errors import Conflict, Forbidden, ValidationFailed
from tui_crm.services.sms import SpoolGateway
from tui_crm.storage.models import AuditLog, SmsMessage, StaffSmsPhone, StaffSmsQuery

PHONE = "13912340000"


@pytest.fixture
def book(services):
    admin = make_user(services, "root", "admin", "3304")
    make_user(services, "adj", "claims")
    services.staff_sms.register(admin, "adj", PHONE, "2468")
    owner = make_customer(services, "王大明", phone="13800001234", id_number="330402199001011234")
    car = make_vehicle(services, owner, "浙F11111")
    policy = make_policy(services, owner, date(2026, 3, 1), vehicle_id=car, policy_no="PDAA1")
    make_claim(services, policy, date(2026, 6, 1), paid="1200.50", outstanding="300",
               claim_no="RDAA1")  # fmt: skip
    other = make_customer(services, "秀洲车主", unit_code="330411", phone="13800005678")
    make_policy(services, other, date(2026, 3, 1), unit_code="330411", policy_no="PDAA2",
                vehicle_id=make_vehicle(services, other, "浙F22222"))  # fmt: skip
    return services, make_user(services, "sms_gw", "gateway", "3304")


def _ask(services, gateway, spool: SpoolGateway, body: str, phone: str = PHONE) -> list[str]:
    """Text `body` from `phone`, take it in, dispatch; the texts that left for `phone`."""
    before = len([m for m in spool.sent() if m["to"] == phone])
    spool.simulate_reply(phone, body)
    services.sms_inbox.collect(gateway, spool)
    services.sms_dispatcher.dispatch_once(gateway, spool)
    return [m["text"] for m in spool.sent() if m["to"] == phone][before:]


def _outcomes(services) -> list[str]:
    with services.database.session() as session:
        return list(
            session.exec(select(StaffSmsQuery.outcome).order_by(col(StaffSmsQuery.id))).all()
        )


def test_a_query_gets_the_policy_and_latest_claim_masked(book, tmp_path) -> None:
    services, gateway = book
    spool = SpoolGateway(tmp_path / "spool")
    [reply] = _ask(services, gateway, spool, "cx 浙f 11111 2468")
    assert "浙F11111" in reply and "PDAA1" in reply and "2027-02-28" in reply
    assert "RDAA1" in reply and "1,200.50" in reply and "300.00" in reply
    assert "王**" in reply and "138****1234" in reply
    assert "王大明" not in reply and "13800001234" not in reply and "1990" not in reply
    with services.database.session() as session:
        bodies = session.exec(select(SmsMessage.body)).all()
        query = session.exec(select(StaffSmsQuery)).one()
        audited = session.exec(select(AuditLog).where(AuditLog.action == "staff_sms_query")).one()
        message = session.get(SmsMessage, query.reply_id)
    assert not any("2468" in b for b in bodies)  # the PIN is never kept
    assert (query.outcome, query.plate, query.phone) == ("answered", "浙F11111", PHONE)
    assert message is not None and (message.phone, message.status) == (PHONE, "sent")
    assert audited.actor_username == "adj" and "139****0000" in (audited.after or "")


def test_wrong_pin_unknown_phone_and_another_units_vehicle(book, tmp_path) -> None:
    services, gateway = book
    spool = SpoolGateway(tmp_path / "spool")
    [refused] = _ask(services, gateway, spool, "CX 浙F11111 1357")
    assert "PIN" in refused and "PDAA1" not in refused
    assert _ask(services, gateway, spool, "CX 浙F11111 2468", phone="13700000000") == []
    [other] = _ask(services, gateway, spool, "CX 浙F22222 2468")
    assert "浙F22222" in other and "PDAA2" not in other and "秀洲" not in other
    [missing] = _ask(services, gateway, spool, "CX 浙F99999 2468")
    assert missing.replace("99999", "22222") == other  # the same words: nothing leaks
    [malformed] = _ask(services, gateway, spool, "CX 浙F11111")
    assert malformed == refused
    assert _outcomes(services) == [
        "wrong_pin", "unknown_phone", "not_found", "not_found", "wrong_pin",
    ]  # fmt: skip
    with services.database.session() as session:
        audited = session.exec(
            select(AuditLog.action).where(AuditLog.action == "staff_sms_query")
        ).all()
        inbound = session.exec(select(SmsMessage).where(SmsMessage.direction == "in")).all()
    assert len(audited) == 5 and inbound == []


def test_the_daily_limit_per_phone(book, tmp_path) -> None:
    services, gateway = book
    admin = services.auth.actor_for("root")
    services.thresholds.set(admin, "sms.staff_query_daily_limit", "2")
    spool = SpoolGateway(tmp_path / "spool")
    replies = [_ask(services, gateway, spool, "CX 浙F11111 2468") for _ in range(4)]
    assert ["PDAA1" in r[0] for r in replies[:2]] == [True, True]
    assert replies[2] == ["今日短信查询次数已用完。"] and replies[3] == []  # once, then silence
    services.clock.advance(days=1)
    [next_day] = _ask(services, gateway, spool, "CX 浙F11111 2468")
    assert "PDAA1" in next_day
    assert _outcomes(services) == [
        "answered", "answered", "over_limit", "over_limit", "answered",
    ]  # fmt: skip


def test_registering_a_phone(book) -> None:
    services, _gateway = book
    me = services.auth.actor_for("adj")
    clerk = make_user(services, "clerk", "counter")
    with pytest.raises(Forbidden):
        services.staff_sms.register(clerk, "adj", "13912340001", "1111")
    for phone, pin, field in (("0573-82001234", "1111", "phone"), (PHONE, "12", "pin"),
                              (PHONE, "12ab", "pin")):  # fmt: skip
        with pytest.raises(ValidationFailed) as refused:
            services.staff_sms.register(me, "adj", phone, pin)
        assert refused.value.field == field
    with pytest.raises(Conflict):
        services.staff_sms.register(clerk, "clerk", PHONE, "1111")  # adj's number
    done = services.staff_sms.register(me, "adj", "13912340009", "97531")
    assert done.phone_masked == "139****0009"
    with services.database.session() as session:
        row = session.get(StaffSmsPhone, me.id)
    assert row is not None and row.phone == "13912340009"
    assert row.pin_hash.startswith("$argon2") and "97531" not in row.pin_hash
