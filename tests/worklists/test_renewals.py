"""The renewal worklist: expiring policies without a renewal, oldest end first, per
manager and unit; statuses, calls and the renewal SMS."""

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.cli.runner import run_cli
from tests.factories import make_user
from tests.worklists.book import build
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.storage.models import AuditLog, RenewalFollowUp, ServiceContact, SmsMessage


def test_expiring_policies_oldest_first_within_scope(services) -> None:
    book = build(services)
    manager = make_user(services, "boss", "manager", "3304")
    items = services.renewals.worklist(manager, days=60)
    assert [i.policy_id for i in items] == [book.xiuzhou, book.soon, book.later]
    first = services.renewals.worklist(book.am, days=60)
    assert [i.policy_id for i in first] == [book.soon, book.later]  # 330402 only
    soon = first[0]
    assert (soon.customer_name, soon.plate, soon.days_left, soon.status) == (
        "钱多多",
        "浙F8A123",
        10,
        "not_contacted",
    )
    assert soon.phone_masked == "139****1111" and soon.manager == "am"
    assert [i.policy_id for i in services.renewals.worklist(book.am, days=30)] == [book.soon]
    assert [i.policy_id for i in services.renewals.worklist(book.am, days=120)][-1] == book.far
    mine = services.renewals.worklist(manager, manager="am2", days=90)
    assert [i.policy_id for i in mine] == [book.later]
    county = services.renewals.worklist(manager, unit="330411")
    assert [i.policy_id for i in county] == [book.xiuzhou]


def test_statuses_call_and_sms(services) -> None:
    book = build(services)
    item = services.renewals.log_call(book.am, book.later, "客户说月底来")
    assert item.status == "contacted"
    with pytest.raises(ValidationFailed):  # no vehicle on the policy: no plate to name
        services.renewals.send_notice(book.am, book.later)
    sent = services.renewals.send_notice(book.am, book.soon)
    assert "2026-12-05" in sent.body and "浙F8A123" in sent.body
    with pytest.raises(ValidationFailed):
        services.renewals.set_status(book.am, book.soon, "lost")
    lost = services.renewals.set_status(
        book.am, book.soon, "lost", competitor="某财险", reason="价格低 200 元"
    )
    assert (lost.status, lost.competitor, lost.reason) == ("lost", "某财险", "价格低 200 元")
    statuses = {i.policy_id: i.status for i in services.renewals.worklist(book.am)}
    assert statuses == {book.soon: "lost", book.later: "contacted"}
    only_lost = services.renewals.worklist(book.am, status="lost")
    assert [i.policy_id for i in only_lost] == [book.soon]
    with services.database.session() as session:
        rows = {r.policy_id: r for r in session.exec(select(RenewalFollowUp)).all()}
        call = session.exec(select(ServiceContact)).one()
        sms = session.exec(select(SmsMessage)).one()
        changes = session.exec(select(AuditLog).where(AuditLog.action == "renewal_status")).all()
    assert rows[book.soon].updated_by_id == book.am.id
    assert call.kind == "renewal_reminder" and call.notes == "客户说月底来"
    assert sms.status == "queued" and sms.template_code == "renewal_notice"
    assert len(changes) == 3


def test_renewals_cli_json(cli_services, capsys) -> None:
    today = cli_services.clock.today()
    book = build(cli_services, today)
    result = run_cli(capsys, ["renewals", "--days", "60", "--user", "am", "--json"])
    assert result.code == 0, result.err
    rows = result.json
    assert [r["policy_id"] for r in rows] == [book.soon, book.later]
    assert {"policy_no", "customer_id", "end_date", "status"} <= set(rows[0])
    assert (rows[0]["end_date"], rows[0]["customer_id"], rows[0]["status"]) == (
        (today + timedelta(days=10)).isoformat(),
        book.customer,
        "not_contacted",
    )
    done = run_cli(
        capsys,
        ["renewal", "status", str(book.soon), "quoted", "--user", "am", "--json"],
    )
    assert done.code == 0 and done.json["status"] == "quoted"
    bad = run_cli(capsys, ["renewals", "--unit", "9999", "--user", "am", "--json"])
    assert bad.code == 1 and bad.json["error"]["field"] == "unit"
