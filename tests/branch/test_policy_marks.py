"""Reinsurance and co-insurance marks corrected by hand: checked, scoped, audited."""

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from tests.factories import make_customer, make_policy, make_user
from tui_crm.services.core import Conflict, Forbidden, ValidationFailed
from tui_crm.storage.models import AuditLog, Policy


@pytest.fixture
def policy_no(services):
    customer = make_customer(services, "孙七")
    policy_id = make_policy(services, customer, date(2026, 3, 1))
    with services.database.session() as session:
        return session.get(Policy, policy_id).policy_no


def test_marks_corrected_and_audited(services, policy_no):
    underwriter = make_user(services, "uw", "underwriter")
    marks = services.policy_marks.correct(
        underwriter, policy_no,
        {"coinsurance": "yes", "coinsurance_share": "0.6", "coinsurance_lead": "yes",
         "facultative_reinsurance": "yes", "reinsurance_share": "0.25"},
    )  # fmt: skip
    assert marks.coinsurance and marks.coinsurance_share == Decimal("0.6")
    with services.database.session() as session:
        policy = session.exec(select(Policy).where(Policy.policy_no == policy_no)).one()
        assert policy.facultative_reinsurance and policy.reinsurance_share == Decimal("0.25")
        audit = session.exec(select(AuditLog).where(AuditLog.entity == "policy")).one()
    assert json.loads(audit.before)["coinsurance"] is False
    assert json.loads(audit.after)["coinsurance_share"] == "0.60"
    with pytest.raises(Conflict):
        services.policy_marks.correct(underwriter, policy_no, {"coinsurance": "yes"})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"coinsurance": "maybe"}, "coinsurance"),
        ({"reinsurance_share": "1.5"}, "reinsurance_share"),
        ({"reinsurance_share": "0"}, "reinsurance_share"),
        ({"coinsurance_share": "0.5"}, "coinsurance"),  # not co-insured
        ({"premium": "1"}, "premium"),
    ],
)
def test_bad_marks_refused(services, policy_no, changes, field):
    manager = make_user(services, "mgr", "manager", "3304")
    with pytest.raises(ValidationFailed) as refused:
        services.policy_marks.correct(manager, policy_no, changes)
    assert refused.value.field == field
    with services.database.session() as session:
        assert not session.exec(select(Policy.coinsurance)).one()


def test_marks_need_the_right_and_the_unit(services, policy_no):
    with pytest.raises(Forbidden):
        services.policy_marks.correct(make_user(services, "ctr", "counter"), policy_no,
                                      {"coinsurance": "yes"})  # fmt: skip
    other = make_user(services, "uw_xz", "underwriter", "330411")
    with pytest.raises(Forbidden):
        services.policy_marks.correct(other, policy_no, {"coinsurance": "yes"})
