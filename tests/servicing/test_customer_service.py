"""Service contacts, complaints and SMS consent rules on both databases."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.factories import make_customer, make_policy, make_user, make_vehicle
from tui_crm.services.core.errors import Conflict, Forbidden, ValidationFailed
from tui_crm.storage.models import AuditLog, Contact, SmsMessage


def test_complaint_is_open_until_resolved(services, clock) -> None:
    counter = make_user(services, "counter", "counter")
    customer = make_customer(services, "王小明", phone="13812345678")
    services.service_log.record(counter, customer, kind="call", subject="咨询续保")
    complaint = services.service_log.record(
        counter, customer, kind="complaint", subject="理赔太慢", notes="客户来电"
    )
    assert [c.subject for c in services.service_log.complaints(counter)] == ["理赔太慢"]
    clock.advance(days=2)
    with pytest.raises(ValidationFailed) as missing:
        services.service_log.resolve(counter, complaint.id, resolution=" ")
    assert missing.value.field == "resolution"
    services.service_log.resolve(counter, complaint.id, resolution="已协调加快", satisfaction=4)
    assert services.service_log.complaints(counter) == []
    with pytest.raises(Conflict):
        services.service_log.resolve(counter, complaint.id, resolution="again")
    summary = services.service_log.summary(counter, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert summary.by_kind == {"call": 1, "complaint": 1}
    assert summary.complaints == 1 and summary.complaints_resolved == 1
    assert summary.average_days_to_resolve == 2.0
    history = services.service_log.for_customer(counter, customer)
    assert sorted(h.kind for h in history) == ["call", "complaint"]


def test_other_county_cannot_see_or_record(services) -> None:
    counter_xz = make_user(services, "counter_xz", "counter", "330411")
    customer = make_customer(services, "南湖客户", unit_code="330402")
    with pytest.raises(Forbidden):
        services.service_log.record(counter_xz, customer, kind="visit", subject="x")
    with pytest.raises(Forbidden):
        services.service_log.for_customer(counter_xz, customer)
    counter = make_user(services, "counter", "counter")
    services.service_log.record(counter, customer, kind="complaint", subject="x")
    assert services.service_log.complaints(counter_xz) == []


def test_renewal_notice_fills_plate_and_end_date(services) -> None:
    counter = make_user(services, "counter", "counter")
    customer = make_customer(services, "李四", phone="13900001111")
    make_vehicle(services, customer, "浙F12345")
    make_policy(services, customer, date(2026, 1, 5))
    sent = services.sms.send(counter, customer, "renewal_notice")
    assert "浙F12345" in sent.body and "2027-01-04" in sent.body and "李四" in sent.body
    assert sent.phone_masked == "139****1111" and sent.status == "queued"
    with services.database.session() as session:
        row = session.exec(select(SmsMessage)).one()
        assert row.phone == "13900001111" and row.direction == "out"
        assert session.exec(select(AuditLog).where(AuditLog.action == "sms_send")).one()


def test_marketing_needs_consent_and_carries_opt_out(services, clock) -> None:
    counter = make_user(services, "counter", "counter")
    customer = make_customer(services, "赵六", phone="13700002222")
    with pytest.raises(Conflict):
        services.sms.send(counter, customer, "offer", {"offer": "九折"})
    with services.database.session() as session:
        contact = session.exec(select(Contact)).one()
        contact.consent_marketing_sms = True
        contact.consent_at = clock.now() - timedelta(days=30)
        session.commit()
    sent = services.sms.send(counter, customer, "offer", {"offer": "九折"})
    assert sent.body.endswith("回复TD退订")
    gateway = make_user(services, "sms_gateway", "gateway", "3304")
    services.sms.receive(gateway, "+86 137 0000 2222", "td")
    with pytest.raises(Conflict):
        services.sms.send(counter, customer, "offer", {"offer": "九折"})
    # Service messages still go out after a marketing opt-out.
    assert services.sms.send(counter, customer, "disaster_warning", {"event": "台风"}).body


def test_missing_template_values_are_named(services) -> None:
    counter = make_user(services, "counter", "counter")
    customer = make_customer(services, "钱七", phone="13600003333")
    with pytest.raises(ValidationFailed) as refusal:
        services.sms.preview(counter, customer, "claim_progress")
    assert refusal.value.field == "claim_no" and "claim_no" in refusal.value.message


def test_roles_without_sms_permission_are_refused(services) -> None:
    manager = make_user(services, "manager", "manager", "3304")
    customer = make_customer(services, "孙八", phone="13500004444")
    with pytest.raises(Forbidden):
        services.sms.send(manager, customer, "renewal_notice")
