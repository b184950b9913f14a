"""Campaigns: consent per customer, skipped with the reason, preview, approval of large
marketing campaigns, quiet hours, progress and cancel."""

from datetime import datetime

import pytest
from sqlmodel import col, func, select

from tests.campaigns.book import crowd
from tests.factories import make_customer, make_user
from tui_crm.services.container import make_services
from tui_crm.services.core.clock import BRANCH_TZ, FixedClock
from tui_crm.services.core.errors import Conflict, Forbidden
from tui_crm.storage.models import AuditLog, SmsDelivery, SmsMessage


def test_a_thousand_customers_fifty_opted_out(services) -> None:
    am = make_user(services, "am", "account_manager")
    boss = make_user(services, "boss", "supervisor")
    opted_out = set(range(0, 1000, 20))  # 50 of them
    ids = crowd(services, 1000, opted_out=opted_out)
    preview = services.campaigns.build(
        am, name="老客户回馈", template_code="offer", customer_ids=ids, values={"offer": "洗车券"}
    )
    assert (preview.total, preview.to_send, preview.skipped) == (1000, 950, {"opted_out": 50})
    assert len(preview.samples) == 3
    assert (
        preview.samples[0]
        == "136****0001: 尊敬的群发00001：老客户专享洗车券，详询您的客户经理。回复TD退订"
    )
    assert preview.needs_approval  # marketing to more than 500
    with pytest.raises(Conflict):
        services.campaigns.queue(am, preview.id)
    with pytest.raises(Forbidden):
        services.campaigns.approve(am, preview.id)
    services.campaigns.approve(boss, preview.id)
    progress = services.campaigns.queue(am, preview.id)
    assert progress.by_status == {"queued": 950} and progress.skipped == 50
    skipped = services.campaigns.skipped(am, preview.id)
    assert len(skipped) == 50 and {s.reason for s in skipped} == {"opted_out"}
    assert {s.customer_id for s in skipped} == {ids[i] for i in opted_out}
    with services.database.session() as session:
        queued = session.exec(
            select(SmsMessage.customer_id).where(SmsMessage.status == "queued")
        ).all()
        linked = session.exec(
            select(func.count()).where(SmsDelivery.campaign_id == preview.id)
        ).one()
        actions = session.exec(
            select(AuditLog.action).where(col(AuditLog.action).startswith("campaign_"))
        ).all()
    assert sorted(queued) == sorted(set(ids) - {ids[i] for i in opted_out})
    assert linked == 950
    assert actions == ["campaign_create", "campaign_approve", "campaign_queue"]
    with pytest.raises(Conflict):  # queued once only
        services.campaigns.queue(am, preview.id)


def test_consent_and_other_reasons(services) -> None:
    am = make_user(services, "am", "account_manager")
    ids = crowd(services, 4, no_consent={1})
    no_phone = make_customer(services, "无手机")
    elsewhere = make_customer(services, "秀洲", unit_code="330411", phone="13800000099")
    same_phone = make_customer(services, "同号", phone="13600000000")  # as ids[0]
    everyone = [*ids, no_phone, elsewhere, same_phone, 999_999]
    marketing = services.campaigns.build(
        am, name="活动", template_code="offer", customer_ids=everyone, values={"offer": "礼品"}
    )
    # same_phone has no marketing consent either (make_customer records none)
    assert marketing.skipped == {"no_consent": 2, "no_mobile": 1, "out_of_scope": 2}
    assert marketing.to_send == 3 and not marketing.needs_approval
    reasons = {s.customer_id: s.reason for s in services.campaigns.skipped(am, marketing.id)}
    assert reasons[ids[1]] == "no_consent" and reasons[elsewhere] == "out_of_scope"
    # a service message needs no marketing consent
    service = services.campaigns.build(
        am,
        name="预警",
        template_code="disaster_warning",
        customer_ids=ids,
        values={"event": "台风"},
    )
    assert service.to_send == 4 and service.skipped == {}
    missing = services.campaigns.build(
        am, name="预警", template_code="disaster_warning", customer_ids=ids
    )
    assert missing.skipped == {"missing_values": 4}


def test_marketing_queued_at_night_waits_for_the_morning(database) -> None:
    clock = FixedClock(datetime(2026, 11, 25, 22, 15))
    services = make_services(database, clock=clock, fast_hash=True)
    am = make_user(services, "am", "account_manager")
    ids = crowd(services, 3)
    preview = services.campaigns.build(
        am, name="夜间", template_code="offer", customer_ids=ids, values={"offer": "礼品"}
    )
    progress = services.campaigns.queue(am, preview.id)
    assert progress.not_before == datetime(2026, 11, 26, 8, 0, tzinfo=BRANCH_TZ)
    with services.database.session() as session:
        waits = session.exec(select(SmsDelivery.not_before)).all()
    assert {w.astimezone(BRANCH_TZ).hour for w in waits if w} == {8}


def test_cancel_withdraws_what_is_not_sent(services) -> None:
    am = make_user(services, "am", "account_manager")
    ids = crowd(services, 5)
    preview = services.campaigns.build(
        am,
        name="预警",
        template_code="disaster_warning",
        customer_ids=ids,
        values={"event": "暴雨"},
    )
    services.campaigns.queue(am, preview.id)
    with services.database.session() as session:
        first = session.exec(select(SmsMessage).order_by(col(SmsMessage.id))).first()
        assert first is not None
        first.status = "sent"
        session.commit()
    progress = services.campaigns.cancel(am, preview.id)
    assert progress.by_status == {"sent": 1, "cancelled": 4} and progress.status == "cancelled"


def test_a_counter_clerk_runs_no_campaigns(services) -> None:
    clerk = make_user(services, "counter", "counter")
    with pytest.raises(Forbidden):
        services.campaigns.build(
            clerk, name="x", template_code="offer", customer_ids=[1], values={"offer": "x"}
        )
