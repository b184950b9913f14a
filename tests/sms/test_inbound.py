"""Replies through the gateway: TD opts out, anything else opens a task for the account
manager; replies show in the inbox and in the customer's service history."""

from sqlmodel import select

from tests.sms.book import clerk, customers, gateway_user
from tui_crm.services.sms import InboundEvent
from tui_crm.storage.models import Contact, Customer, ServiceTask


def _manage(services, customer_id: int, manager_id: int) -> None:
    with services.database.session() as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        customer.account_manager_id = manager_id
        session.commit()


def test_stop_opts_out_and_a_question_becomes_a_task(services) -> None:
    am, gw = clerk(services), gateway_user(services)
    first, second = customers(services, 2)
    _manage(services, second, am.id)
    report = services.sms_inbox.take(
        gw,
        [
            InboundEvent(kind="reply", phone="13900000000", body="退订"),
            InboundEvent(kind="reply", phone="13900000001", body="我的车险什么时候到期？"),
            InboundEvent(kind="reply", phone="13700000000", body="你好"),  # unknown sender
        ],
    )
    assert (report.replies, report.opt_outs, report.tasks) == (3, 1, 1)
    with services.database.session() as session:
        contacts = {c.customer_id: c for c in session.exec(select(Contact)).all()}
        task = session.exec(select(ServiceTask)).one()
    assert not contacts[first].consent_marketing_sms and contacts[first].opted_out_at
    assert contacts[second].consent_marketing_sms
    assert (task.kind, task.customer_id, task.assignee_id, task.status) == (
        "sms_reply",
        second,
        am.id,
        "open",
    )
    assert task.subject == "我的车险什么时候到期？"
    assert str(task.due_date) == "2026-11-26"  # the next day
    inbox = services.sms_inbox.inbox(am)
    assert [(i.customer_name, i.body, i.task_status) for i in inbox] == [
        ("", "你好", None),
        ("客户0001", "我的车险什么时候到期？", "open"),
        ("客户0000", "退订", None),
    ]
    assert inbox[1].phone_masked == "139****0001"
    history = services.customers.view(am, second, remember=False).service
    assert [(h["kind"], h["subject"]) for h in history] == [("sms_reply", "我的车险什么时候到期？")]


def test_the_inbox_keeps_to_the_readers_units(services) -> None:
    gw = gateway_user(services)
    from tests.factories import make_customer, make_user

    make_customer(services, "秀洲客户", unit_code="330411", phone="13911112222")
    services.sms_inbox.take(gw, [InboundEvent(kind="reply", phone="13911112222", body="在吗")])
    nanhu = make_user(services, "am_nh", "account_manager", "330402")
    xiuzhou = make_user(services, "am_xz", "account_manager", "330411")
    assert services.sms_inbox.inbox(nanhu) == []
    assert [i.body for i in services.sms_inbox.inbox(xiuzhou)] == ["在吗"]
