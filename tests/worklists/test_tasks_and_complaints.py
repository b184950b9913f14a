"""Care after a claim (a task per claim, the satisfaction call when it closes, overdue),
and complaint deadlines, assignee and the analysis by cause, unit and month."""

from datetime import date, datetime

import pytest
from sqlmodel import select

from tests.cli.runner import run_cli
from tests.factories import make_claim, make_customer, make_policy, make_user
from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.core.errors import Conflict
from tui_crm.storage.models import Claim, Customer, ServiceContact, StaffUser


def _book(services):
    am = make_user(services, "am", "account_manager")
    adjuster = make_user(services, "adj", "claims")
    with services.database.session() as session:
        staff = session.get(StaffUser, adjuster.id)
        assert staff is not None
        staff.phone = "0573-82001234"
        session.commit()
    customer = make_customer(services, "理赔客户", phone="13900005555")
    with services.database.session() as session:
        row = session.get(Customer, customer)
        assert row is not None
        row.account_manager_id = am.id
        session.commit()
    policy = make_policy(services, customer, date(2026, 1, 1))
    return am, adjuster, customer, policy


def test_claims_make_care_then_satisfaction_tasks(database) -> None:
    clock = FixedClock(datetime(2026, 11, 25, 10, 0))
    services = make_services(database, clock=clock, fast_hash=True)
    am, adjuster, customer, policy = _book(services)
    recent = make_claim(services, policy, date(2026, 11, 20), handler_id=adjuster.id)
    make_claim(services, policy, date(2026, 5, 1))  # older than the look-back
    run = services.tasks.generate(am)
    assert (run.care_calls, run.satisfaction_calls) == (1, 0)
    assert services.tasks.generate(am).care_calls == 0  # once per claim
    [task] = services.tasks.tasks(am, mine=True)
    assert (task.kind, task.claim_id, task.customer_id) == ("care_call", recent, customer)
    assert str(task.due_date) == "2026-11-23" and task.overdue  # reported 20th + 3 days
    assert "adj" in task.subject and "0573-82001234" in task.subject
    with services.database.session() as session:
        claim = session.get(Claim, recent)
        assert claim is not None
        claim.status, claim.closed_on = "closed", date(2026, 11, 24)
        session.commit()
    assert services.tasks.generate(am).satisfaction_calls == 1
    done = services.tasks.done(am, task.id, "客户已无碍")
    assert done.status == "done" and not done.overdue
    with pytest.raises(Conflict):
        services.tasks.done(am, task.id)
    [left] = services.tasks.tasks(am)
    assert left.kind == "satisfaction_call" and not left.overdue  # due 11-27
    with services.database.session() as session:
        call = session.exec(select(ServiceContact)).one()
    assert (call.kind, call.claim_id, call.notes) == ("claim_care", recent, "客户已无碍")


def test_complaint_deadlines_and_analysis(database) -> None:
    clock = FixedClock(datetime(2026, 10, 1, 9, 0))
    services = make_services(database, clock=clock, fast_hash=True)
    am, _adjuster, customer, _policy = _book(services)
    supervisor = make_user(services, "sup", "supervisor")
    xz = make_customer(services, "秀洲客户", unit_code="330411")
    boss = make_user(services, "boss", "manager", "3304")
    xz_clerk = make_user(services, "xz", "counter", "330411")
    first = services.service_log.record(am, customer, kind="complaint", subject="理赔太慢")
    clock.advance(days=20)
    second = services.service_log.record(xz_clerk, xz, kind="complaint", subject="态度差")
    third = services.service_log.record(am, customer, kind="complaint", subject="续保没通知")
    clock.advance(days=2)  # 2026-10-23
    services.complaint_desk.assign(am, first.id, assignee="sup", cause="claim_speed")
    services.complaint_desk.assign(am, third.id, assignee="am", cause="renewal")
    services.service_log.resolve(am, third.id, resolution="已致歉并续保")
    with pytest.raises(Conflict):
        services.complaint_desk.confirm(am, first.id)
    confirmed = services.complaint_desk.confirm(am, third.id)
    assert confirmed.stage == "confirmed" and not confirmed.overdue
    queue = services.complaint_desk.queue(boss)
    assert [(c.id, c.stage, c.overdue) for c in queue] == [
        (first.id, "assigned", True),  # due 10-08
        (second.id, "received", False),  # due 10-28
    ]
    assert queue[0].assignee == "sup" and supervisor.id
    assert [c.id for c in services.complaint_desk.queue(am)] == [first.id]  # 330402 only
    analysis = services.complaint_desk.analysis(
        boss, start=date(2026, 9, 1), end=date(2026, 10, 31)
    )
    assert (analysis.total, analysis.overdue) == (3, 1)
    assert analysis.by_cause == {"claim_speed": 1, "other": 1, "renewal": 1}
    assert analysis.by_unit == {"330402": 2, "330411": 1}
    assert analysis.by_month == {"2026-10": 3}


def test_task_and_complaint_cli(cli_services, capsys) -> None:
    am, adjuster, customer, policy = _book(cli_services)
    make_claim(cli_services, policy, cli_services.clock.today(), handler_id=adjuster.id)
    generated = run_cli(capsys, ["task", "generate", "--user", "am", "--json"])
    assert generated.code == 0 and generated.json == {"care_calls": 1, "satisfaction_calls": 0}
    [task] = run_cli(capsys, ["task", "list", "--mine", "--user", "am", "--json"]).json
    assert task["kind"] == "care_call" and task["overdue"] is False
    done = run_cli(capsys, ["task", "done", str(task["id"]), "--user", "am", "--json"])
    assert done.json["status"] == "done"
    complaint = cli_services.service_log.record(am, customer, kind="complaint", subject="慢")
    argv = ["complaint", "assign", str(complaint.id), "--to", "am", "--cause", "claim_speed"]
    assigned = run_cli(capsys, [*argv, "--user", "am", "--json"])
    assert assigned.json["stage"] == "assigned" and assigned.json["cause"] == "claim_speed"
    today = cli_services.clock.today().isoformat()
    analysis = run_cli(
        capsys, ["complaint", "analysis", "--from", today, "--to", today, "--user", "am", "--json"]
    ).json
    assert analysis["by_cause"] == {"claim_speed": 1}
