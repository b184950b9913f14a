"""Prospect facts: an intention declared or a loss to a competitor makes a customer without
a policy in force a prospect, with the dated reason in the class history; a renewal
marked lost on the worklist records the loss."""

import json
from datetime import date

import pytest
from sqlmodel import select

from tests.factories import make_customer, make_policy, make_user
from tui_crm.services.core import Forbidden, NotFound, ValidationFailed
from tui_crm.storage.models import AuditLog, Customer, CustomerClassHistory, ProspectFact


def _history(services, customer_id):
    with services.database.session() as session:
        return session.exec(
            select(CustomerClassHistory).where(CustomerClassHistory.customer_id == customer_id)
        ).all()


def test_an_intention_makes_a_floating_customer_a_prospect(services):
    clerk = make_user(services, "ctr", "counter")
    customer = make_customer(services, "周八")
    row = services.prospects.declare_intent(
        clerk, customer, day=date(2026, 11, 20), note="下月到期"
    )
    assert (row.kind, row.fact_date, row.note) == ("intent", date(2026, 11, 20), "下月到期")
    assert row.customer_class == "prospect"
    [line] = _history(services, customer)
    assert (line.to_class, line.source) == ("prospect", "prospect")
    codes = {r["code"]: r for r in json.loads(line.reasons)}
    assert "2026-11-20" in codes["intention"]["message_zh"]
    with services.database.session() as session:
        audit = session.exec(select(AuditLog).where(AuditLog.action == "prospect_intent")).one()
    assert json.loads(audit.after)["class"] == "prospect"


def test_a_loss_names_the_competitor_and_only_a_recent_one_counts(services):
    clerk = make_user(services, "ctr", "counter")
    recent, old = make_customer(services, "吴九"), make_customer(services, "郑十")
    services.prospects.record_lost(
        clerk, recent, competitor="平安", reason="价格", day=date(2026, 10, 1)
    )
    services.prospects.record_lost(
        clerk, old, competitor="太保", reason="服务", day=date(2025, 6, 1)
    )
    with services.database.session() as session:
        assert session.get(Customer, recent).customer_class == "prospect"
        assert session.get(Customer, old).customer_class == "floating"
    [line] = _history(services, recent)
    lost = {r["code"]: r for r in json.loads(line.reasons)}["lapsed_to_competitor"]
    assert lost["numbers"] == {"date": "2026-10-01", "competitor": "平安"}
    assert "平安" in lost["message_zh"]


def test_a_customer_in_force_stays_standard(services):
    clerk = make_user(services, "ctr", "counter")
    customer = make_customer(services, "王一")
    make_policy(services, customer, date(2026, 3, 1))
    row = services.prospects.declare_intent(clerk, customer)
    assert row.customer_class == "standard"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s, a, c: s.prospects.declare_intent(a, c, day=date(2026, 12, 1)), "date"),
        (lambda s, a, c: s.prospects.declare_intent(a, c, day=date(2019, 1, 1)), "date"),
        (lambda s, a, c: s.prospects.declare_intent(a, c, note="长" * 201), "note"),
        (lambda s, a, c: s.prospects.record_lost(a, c, competitor="", reason=" "), "competitor"),
        (
            lambda s, a, c: s.prospects.record_lost(a, c, competitor="x" * 61, reason=""),
            "competitor",
        ),
    ],
)
def test_bad_facts_are_refused_and_nothing_is_written(services, call, field):
    clerk = make_user(services, "ctr", "counter")
    customer = make_customer(services, "李二")
    with pytest.raises(ValidationFailed) as refused:
        call(services, clerk, customer)
    assert refused.value.field == field
    with services.database.session() as session:
        assert session.exec(select(ProspectFact)).all() == []


def test_facts_need_the_right_and_the_unit(services):
    customer = make_customer(services, "赵三")
    with pytest.raises(Forbidden):
        services.prospects.declare_intent(make_user(services, "uw", "underwriter"), customer)
    other = make_user(services, "ctr_xz", "counter", "330411")
    with pytest.raises(Forbidden):
        services.prospects.declare_intent(other, customer)
    with pytest.raises(NotFound):
        services.prospects.declare_intent(other, 999999)
    assert services.prospects.rows(other) == []


def test_the_list_is_scoped_and_filtered(services):
    clerk = make_user(services, "ctr", "counter")
    manager = make_user(services, "mgr", "manager", "3304")
    here = make_customer(services, "钱四")
    there = make_customer(services, "孙五", unit_code="330411")
    services.prospects.declare_intent(clerk, here)
    services.prospects.record_lost(manager, there, competitor="人保", reason=None)
    assert [r.customer_id for r in services.prospects.rows(clerk)] == [here]
    assert {r.customer_id for r in services.prospects.rows(manager)} == {here, there}
    assert [r.kind for r in services.prospects.rows(manager, unit_code="330411")] == ["lost"]
    assert [r.customer_id for r in services.prospects.rows(manager, kind="intent")] == [here]
    with pytest.raises(Forbidden):
        services.prospects.rows(clerk, unit_code="330411")


def test_a_renewal_marked_lost_records_the_loss(services):
    clerk = make_user(services, "ctr", "counter")
    customer = make_customer(services, "冯六")
    policy = make_policy(services, customer, date(2025, 12, 10))
    services.renewals.set_status(clerk, policy, "lost", competitor="平安", reason="价格低")
    [fact] = services.prospects.facts(clerk, customer)
    assert (fact.kind, fact.competitor, fact.reason, fact.fact_date) == (
        "lost",
        "平安",
        "价格低",
        date(2026, 11, 25),
    )
    assert fact.policy_no is not None
    with pytest.raises(ValidationFailed):
        services.renewals.set_status(clerk, policy, "lost", competitor="x" * 61)
    assert len(services.prospects.facts(clerk, customer)) == 1
