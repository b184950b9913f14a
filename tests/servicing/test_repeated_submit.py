"""The same form submitted twice within seconds by the same user is done once: SMS,
service records and new customers, on both databases."""

import pytest
from sqlmodel import select

from tests.factories import make_customer, make_user
from tui_crm.services.core import RepeatedSubmit
from tui_crm.services.customers import CustomerInput
from tui_crm.storage.models import Customer, ServiceContact, SmsMessage

WARNING = {"event": "台风"}


def _count(services, model) -> int:
    with services.database.session() as session:
        return len(session.exec(select(model)).all())


def test_sms_sent_twice_is_queued_once(services, clock) -> None:
    counter = make_user(services, "counter", "counter")
    customer = make_customer(services, "李四", phone="13900001111")
    first = services.sms.send(counter, customer, "disaster_warning", WARNING)
    with pytest.raises(RepeatedSubmit) as again:
        services.sms.send(counter, customer, "disaster_warning", WARNING)
    assert again.value.entity_id == first.id and f"#{first.id}" in again.value.message
    assert again.value.code == "repeated"
    assert _count(services, SmsMessage) == 1
    clock.advance(seconds=11)  # after the window the same message is a new one
    services.sms.send(counter, customer, "disaster_warning", WARNING)
    assert _count(services, SmsMessage) == 2


def test_a_different_sms_or_another_clerk_is_not_a_repeat(services) -> None:
    counter = make_user(services, "counter", "counter")
    other = make_user(services, "counter2", "counter")
    customer = make_customer(services, "李四", phone="13900001111")
    services.sms.send(counter, customer, "disaster_warning", WARNING)
    services.sms.send(other, customer, "disaster_warning", WARNING)
    services.sms.send(counter, customer, "disaster_warning", {"event": "暴雨"})
    assert _count(services, SmsMessage) == 3


def test_a_refused_sms_leaves_no_claim(services) -> None:
    counter = make_user(services, "counter", "counter")
    customer = make_customer(services, "王五")  # no mobile: refused
    for _ in range(2):
        with pytest.raises(Exception) as refusal:
            services.sms.send(counter, customer, "disaster_warning", WARNING)
        assert not isinstance(refusal.value, RepeatedSubmit)


def test_service_record_twice_is_saved_once(services, clock) -> None:
    counter = make_user(services, "counter", "counter")
    customer = make_customer(services, "王小明", phone="13812345678")
    first = services.service_log.record(counter, customer, kind="visit", subject="续保咨询")
    with pytest.raises(RepeatedSubmit) as again:
        services.service_log.record(counter, customer, kind="visit", subject="续保咨询")
    assert again.value.entity_id == first.id
    services.service_log.record(counter, customer, kind="visit", subject="续保咨询，带行驶证")
    clock.advance(seconds=30)
    services.service_log.record(counter, customer, kind="visit", subject="续保咨询")
    with services.database.session() as session:
        subjects = sorted(c.subject for c in session.exec(select(ServiceContact)).all())
    assert subjects == ["续保咨询", "续保咨询", "续保咨询，带行驶证"]


def test_new_customer_twice_is_created_once(services, clock) -> None:
    counter = make_user(services, "counter", "counter")
    data = CustomerInput(kind="individual", name="赵敏", mobile="13700002222")
    first = services.customers.create(counter, data)
    # the phone is already a possible duplicate; saving anyway is still a repeat
    with pytest.raises(RepeatedSubmit) as again:
        services.customers.create(counter, data, allow_duplicates=True)
    assert again.value.entity_id == first
    assert "赵敏" not in again.value.message or str(first) in again.value.message
    with services.database.session() as session:
        assert [c.id for c in session.exec(select(Customer)).all()] == [first]
    clock.advance(seconds=11)
    second = services.customers.create(counter, data, allow_duplicates=True)
    assert second != first  # a deliberate second customer with that phone, later


def test_window_is_a_threshold_and_zero_turns_it_off(services) -> None:
    admin = make_user(services, "admin", "admin", "3304")
    counter = make_user(services, "counter", "counter")
    services.thresholds.set(admin, "form.repeat_seconds", "0")
    customer = make_customer(services, "李四", phone="13900001111")
    services.sms.send(counter, customer, "disaster_warning", WARNING)
    services.sms.send(counter, customer, "disaster_warning", WARNING)
    assert _count(services, SmsMessage) == 2
