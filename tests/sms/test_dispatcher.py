"""The dispatcher sends queued SMS in order, once each, within quiet hours and the rate
limit, and records what the gateway said."""

import threading
from datetime import datetime

from sqlmodel import select

from tests.sms.book import clerk, customers, delivery, gateway_user, queue, statuses
from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.core.errors import Forbidden
from tui_crm.services.sms import OutboundSms, SendResult, SpoolGateway
from tui_crm.storage.models import AuditLog


class Recording:
    """A gateway that remembers what it was asked to send, in order."""

    name = "recording"

    def __init__(self, answers: list[SendResult] | None = None) -> None:
        self.sent: list[OutboundSms] = []
        self.answers = answers or []
        self.lock = threading.Lock()

    def send(self, message: OutboundSms) -> SendResult:
        with self.lock:
            self.sent.append(message)
            if self.answers:
                return self.answers.pop(0)
        return SendResult(accepted=True, provider_id=f"p-{message.ref}", code="OK")

    def poll(self):
        return []


def test_sends_in_order_and_records_the_provider_answer(services, tmp_path) -> None:
    am, gw = clerk(services), gateway_user(services)
    ids = queue(services, am, customers(services, 3))
    gateway = SpoolGateway(tmp_path / "spool")
    report = services.sms_dispatcher.dispatch_once(gw, gateway)
    assert report.sent == 3
    assert [m["id"] for m in gateway.sent()] == [f"crm-{i}" for i in ids]
    assert set(statuses(services).values()) == {"sent"}
    assert delivery(services, ids[0]).provider_id == f"loop-crm-{ids[0]}"
    # the loopback gateway reports delivery; collecting it marks the messages delivered
    inbound = services.sms_inbox.collect(gw, gateway)
    assert inbound.reports == 3
    assert set(statuses(services).values()) == {"delivered"}
    assert delivery(services, ids[0]).provider_code == "DELIVRD"
    with services.database.session() as session:
        row = session.exec(select(AuditLog).where(AuditLog.action == "sms_dispatch")).one()
    assert row.actor_username == "sms_gw"


def test_a_clerk_cannot_dispatch(services, tmp_path) -> None:
    am = clerk(services)
    try:
        services.sms_dispatcher.dispatch_once(am, SpoolGateway(tmp_path))
    except Forbidden:
        return
    raise AssertionError("a clerk dispatched")


def test_marketing_waits_for_the_morning_in_quiet_hours(database, tmp_path) -> None:
    clock = FixedClock(datetime(2026, 11, 25, 22, 30))
    services = make_services(database, clock=clock, fast_hash=True)
    am, gw = clerk(services), gateway_user(services)
    people = customers(services, 2)
    marketing = queue(services, am, people, "offer")
    service = queue(services, am, people, "renewal_notice")
    gateway = Recording()
    report = services.sms_dispatcher.dispatch_once(gw, gateway)
    assert report.quiet_hours and report.sent == 2
    assert [m.ref for m in gateway.sent] == [f"crm-{i}" for i in service]
    assert all(statuses(services)[i] == "queued" for i in marketing)
    clock.advance(hours=9)  # 07:30: still quiet
    assert services.sms_dispatcher.dispatch_once(gw, gateway).sent == 0
    clock.advance(minutes=30)  # 08:00
    assert services.sms_dispatcher.dispatch_once(gw, gateway).sent == 2
    assert all(statuses(services)[i] == "sent" for i in marketing)


def test_rate_limit_per_minute(database) -> None:
    clock = FixedClock(datetime(2026, 11, 25, 10, 0))
    services = make_services(database, clock=clock, fast_hash=True)
    am, gw = clerk(services), gateway_user(services)
    ids = queue(services, am, customers(services, 5))
    gateway = Recording()
    report = services.sms_dispatcher.dispatch_once(gw, gateway, rate_per_minute=3)
    assert report.sent == 3 and report.rate_limited
    assert [statuses(services)[i] for i in ids] == ["sent"] * 3 + ["queued"] * 2
    clock.advance(seconds=61)
    assert services.sms_dispatcher.dispatch_once(gw, gateway, rate_per_minute=3).sent == 2


def test_transient_failures_are_retried_then_failed_with_the_reason(database) -> None:
    clock = FixedClock(datetime(2026, 11, 25, 10, 0))
    services = make_services(database, clock=clock, fast_hash=True)
    am, gw = clerk(services), gateway_user(services)
    [message] = queue(services, am, customers(services, 1))
    timeout = SendResult(accepted=False, transient=True, code="TIMEOUT", reason="timed out")
    gateway = Recording([timeout, timeout, timeout])
    assert services.sms_dispatcher.dispatch_once(gw, gateway).retrying == 1
    assert statuses(services)[message] == "queued"
    assert services.sms_dispatcher.dispatch_once(gw, gateway).sent == 0  # not before 1 min
    clock.advance(minutes=1)
    assert services.sms_dispatcher.dispatch_once(gw, gateway).retrying == 1
    clock.advance(minutes=5)
    assert services.sms_dispatcher.dispatch_once(gw, gateway).failed == 1
    row = delivery(services, message)
    assert statuses(services)[message] == "failed"
    assert (row.attempts, row.provider_code, row.reason) == (3, "TIMEOUT", "timed out")
    assert len(gateway.sent) == 3


def test_a_refusal_fails_at_once_with_the_provider_code(services) -> None:
    am, gw = clerk(services), gateway_user(services)
    [message] = queue(services, am, customers(services, 1))
    refused = SendResult(accepted=False, code="E_BLACKLISTED", reason="number blocked")
    services.sms_dispatcher.dispatch_once(gw, Recording([refused]))
    row = delivery(services, message)
    assert statuses(services)[message] == "failed"
    assert (row.attempts, row.provider_code, row.reason) == (1, "E_BLACKLISTED", "number blocked")


def test_two_dispatchers_send_each_message_once(committed_database) -> None:
    services = make_services(committed_database, clock=FixedClock(datetime(2026, 11, 25, 10)))
    am, gw = clerk(services), gateway_user(services)
    ids = queue(services, am, customers(services, 40))
    gateway = Recording()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(name: str) -> None:
        barrier.wait()
        try:
            services.sms_dispatcher.dispatch_once(gw, gateway, worker=name, batch=3)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(f"d{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    refs = [m.ref for m in gateway.sent]
    assert sorted(refs) == sorted(f"crm-{i}" for i in ids)  # all of them, none twice
    assert set(statuses(services).values()) == {"sent"}
