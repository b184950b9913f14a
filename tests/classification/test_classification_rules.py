"""The classification rules at their boundaries, on hand-made books with worked answers.

As-of date D = 2026-11-25 (the suite's clock) unless a test says otherwise; "the year"
is then 2025-11-26 … 2026-11-25.
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select

from tests.factories import make_claim, make_customer, make_policy, make_user
from tui_crm.services.classification.engine import Classification
from tui_crm.storage.models import (
    BlacklistEntry,
    BlacklistNomination,
    CorporateGroup,
    Customer,
    Intermediary,
    Policy,
    Receivable,
    Threshold,
)

D = date(2026, 11, 25)


@pytest.fixture
def mgr(services):
    return make_user(services, "mgr", "manager", "3304")


def judge(services, mgr, customer_id: int, as_of: date | None = None) -> Classification:
    return services.classification.explain(mgr, customer_id, as_of)


def codes(result: Classification) -> list[str]:
    return [r.code for r in result.reasons]


def reason(result: Classification, code: str):
    return next(r for r in result.reasons if r.code == code)


def set_threshold(services, code: str, value: str) -> None:
    with services.database.session() as session:
        row = session.get(Threshold, code)
        row.value = value
        session.add(row)
        session.commit()


# --- key -----------------------------------------------------------------------------


def test_key_at_exactly_50000_and_not_a_fen_below(services, mgr) -> None:
    exact = make_customer(services, "恰好")
    make_policy(services, exact, date(2026, 3, 1), premium="30000")
    make_policy(services, exact, date(2025, 11, 26), premium="20000")  # first day of the year
    below = make_customer(services, "差一分")
    make_policy(services, below, date(2026, 3, 1), premium="49999.99")
    outside = make_customer(services, "窗口外")
    make_policy(services, outside, date(2026, 3, 1), premium="30000")
    make_policy(services, outside, date(2025, 11, 25), premium="20000")  # a day too early

    result = judge(services, mgr, exact)
    assert result.customer_class == "key" and result.flag_key
    key = reason(result, "key_premium")
    assert key.numbers == {
        "amount": "50000.00",
        "threshold": "50000.00",
        "from": "2025-11-26",
        "to": "2026-11-25",
    }
    assert key.message_zh == "2025-11-26 至 2026-11-25 起保保单保费 50,000.00 元 ≥ 50,000 元"
    assert judge(services, mgr, below).customer_class == "standard"
    # 20,000 started a day before the year: not key (its expired policy, fully earned
    # without claims, makes it quality by the loss-ratio route instead)
    result = judge(services, mgr, outside)
    assert result.customer_class == "quality" and "key_premium" not in codes(result)


def test_key_needs_a_policy_in_force_and_ignores_cancelled_premium(services, mgr) -> None:
    lapsed = make_customer(services, "已过期")
    make_policy(services, lapsed, date(2026, 1, 1), premium="80000", end=date(2026, 6, 30))
    cancelled = make_customer(services, "已退保")
    make_policy(services, cancelled, date(2026, 1, 1), premium="10000")
    make_policy(
        services,
        cancelled,
        date(2026, 2, 1),
        premium="60000",
        status="cancelled",
        cancelled_on=date(2026, 3, 1),
    )
    result = judge(services, mgr, lapsed)
    assert result.customer_class == "prospect" and not result.flag_key
    assert codes(result) == ["lapsed"]
    assert judge(services, mgr, cancelled).customer_class == "standard"


def test_tender_and_intermediary_rules_follow_their_thresholds(services, mgr) -> None:
    set_threshold(services, "class.key.annual_premium", "100000")
    tender = make_customer(services, "招标单位", kind="corporate")
    make_policy(services, tender, date(2026, 5, 1), premium="50000", is_tender=True)
    small_tender = make_customer(services, "小招标", kind="corporate")
    make_policy(services, small_tender, date(2026, 5, 1), premium="49999.99", is_tender=True)
    result = judge(services, mgr, tender)
    assert result.customer_class == "key" and codes(result)[0] == "key_tender"
    assert judge(services, mgr, small_tender).customer_class == "standard"

    with services.database.session() as session:
        unit = session.exec(select(Customer.unit_id).where(Customer.id == tender)).one()
        agency = Intermediary(code="AG01", name="某代理", kind="agency", unit_id=unit)
        session.add(agency)
        session.commit()
        agency_id = agency.id
    broker = make_customer(services, "代理公司", kind="corporate", as_intermediary_id=agency_id)
    make_policy(services, broker, date(2026, 1, 1), premium="1000")  # its own cover
    client = make_customer(services, "代理客户")
    make_policy(services, client, date(2026, 2, 1), premium="499000", intermediary_id=agency_id)
    assert judge(services, mgr, broker).customer_class == "standard"  # 499,000 + 0
    make_policy(services, client, date(2026, 3, 1), premium="1000", intermediary_id=agency_id)
    result = judge(services, mgr, broker)
    assert result.customer_class == "key"
    assert reason(result, "key_intermediary").numbers["amount"] == "500000.00"


def test_group_total_is_shown_but_not_used(services, mgr) -> None:
    with services.database.session() as session:
        group = CorporateGroup(name="某集团")
        session.add(group)
        session.commit()
        group_id = group.id
    parent = make_customer(services, "集团总部", kind="corporate", group_id=group_id)
    child = make_customer(services, "集团子公司", kind="corporate", group_id=group_id)
    make_policy(services, parent, date(2026, 1, 1), premium="30000")
    make_policy(services, child, date(2026, 1, 1), premium="30000")
    result = judge(services, mgr, parent)
    assert result.customer_class == "standard"
    assert reason(result, "group_rollup").numbers["amount"] == "60000.00"


# --- quality ---------------------------------------------------------------------------


def _yearly(services, customer: int, years: list[int], *, spoil: bool = True) -> dict[int, int]:
    """Yearly 1,000 policies from 1 January. `spoil`: a 2,000 claim on the last (not yet
    expired) one keeps the cumulative loss ratio above 30%, so only the claim-free-years
    route can make the customer quality."""
    policies = {y: make_policy(services, customer, date(y, 1, 1), premium="1000") for y in years}
    if spoil:
        last = max(years)
        make_claim(services, policies[last], date(last, 6, 1), paid="2000")
    return policies


def test_exactly_three_claim_free_years(services, mgr) -> None:
    three = make_customer(services, "三年")
    _yearly(services, three, [2023, 2024, 2025, 2026])
    result = judge(services, mgr, three)
    assert result.customer_class == "quality" and "quality_loss_ratio" not in codes(result)
    assert reason(result, "quality_claim_free").numbers == {
        "years": 3,
        "from_year": 2023,
        "to_year": 2025,
        "threshold": 3,
    }
    two = make_customer(services, "两年")
    _yearly(services, two, [2024, 2025, 2026])
    assert judge(services, mgr, two).customer_class == "standard"


def test_claim_or_gap_breaks_the_run(services, mgr) -> None:
    claimed = make_customer(services, "有赔款")
    policies = _yearly(services, claimed, [2022, 2023, 2024, 2025, 2026])
    make_claim(services, policies[2024], date(2024, 6, 1), paid="100")
    assert reason(judge(services, mgr, claimed), "in_force")
    # 2025 is clean, 2024 has a claim: run of 1
    assert judge(services, mgr, claimed).customer_class == "standard"
    gap = make_customer(services, "断档")
    _yearly(services, gap, [2021, 2022, 2024, 2025, 2026])  # 2023 missing
    assert judge(services, mgr, gap).customer_class == "standard"
    # a withdrawn claim is not a claim
    clean = make_customer(services, "撤案")
    policies = _yearly(services, clean, [2023, 2024, 2025, 2026])
    make_claim(services, policies[2024], date(2024, 6, 1), status="withdrawn")
    assert judge(services, mgr, clean).customer_class == "quality"


def test_as_of_dates_at_year_ends(services, mgr) -> None:
    customer = make_customer(services, "年末")
    _yearly(services, customer, [2022, 2023, 2024, 2025])
    # On 2025-12-31 the 2025 policy is still in force (ends that day): expired years are
    # 2022–2024, three of them.
    result = judge(services, mgr, customer, date(2025, 12, 31))
    assert result.customer_class == "quality"
    assert reason(result, "quality_claim_free").numbers["to_year"] == 2024
    assert reason(result, "in_force").numbers == {"policies": 1, "until": "2025-12-31"}
    # On 2026-01-01 nothing is in force any more: a lapsed customer is a prospect.
    assert judge(services, mgr, customer, date(2026, 1, 1)).customer_class == "prospect"
    # The key window moves with the as-of date: a 2025-01-01 policy counts on
    # 2025-12-31 ("the year" 2025-01-01 … 2025-12-31) and not on 2026-01-01.
    big = make_customer(services, "年初大单")
    make_policy(services, big, date(2025, 1, 1), premium="50000", end=date(2026, 6, 30))
    assert judge(services, mgr, big, date(2025, 12, 31)).customer_class == "key"
    assert judge(services, mgr, big, date(2026, 1, 1)).customer_class == "standard"


def _loss_ratio_book(services, name: str, claims: str) -> int:
    """Earned premium to D exactly 1,010.00: 1,000 fully earned + 10 days of 365."""
    customer = make_customer(services, name)
    old = make_policy(services, customer, date(2025, 1, 1), premium="1000")
    make_policy(services, customer, date(2026, 11, 16), premium="365")
    make_claim(services, old, date(2025, 5, 1), paid=claims)
    return customer


def test_cumulative_loss_ratio_exactly_30_percent_is_not_quality(services, mgr) -> None:
    at_30 = _loss_ratio_book(services, "三成", "303.00")
    below = _loss_ratio_book(services, "不足三成", "302.99")
    assert judge(services, mgr, at_30).customer_class == "standard"
    result = judge(services, mgr, below)
    assert result.customer_class == "quality"
    lr = reason(result, "quality_loss_ratio")
    assert lr.numbers["earned"] == "1010.00" and lr.numbers["loss_ratio"] == "0.3000"
    assert lr.message_zh.startswith("累计满期赔付率 29.999% < 30%，")


def test_overdue_receivable_over_90_days_spoils_the_loss_ratio_route(services, mgr) -> None:
    customer = _loss_ratio_book(services, "欠费", "100")
    with services.database.session() as session:
        policy = session.exec(select(Policy).where(Policy.customer_id == customer)).first()
        session.add(
            Receivable(
                policy_id=policy.id,
                customer_id=customer,
                due_date=date(2026, 8, 27),
                amount=Decimal(100),
            )
        )  # D − 90 days: overdue exactly 90 days, allowed
        session.commit()
    assert judge(services, mgr, customer).customer_class == "quality"
    with services.database.session() as session:
        row = session.exec(select(Receivable).where(Receivable.customer_id == customer)).one()
        row.due_date = date(2026, 8, 26)  # 91 days
        session.add(row)
        session.commit()
    assert judge(services, mgr, customer).customer_class == "standard"


# --- blacklist candidate ---------------------------------------------------------------


def _claims_book(services, name: str, amounts: list[str], **claim: Any) -> int:
    """Earned premium inside the year exactly 10.00 (10 days of a 365 premium)."""
    customer = make_customer(services, name)
    policy = make_policy(services, customer, date(2026, 11, 16), premium="365")
    for i, amount in enumerate(amounts):
        make_claim(services, policy, date(2026, 11, 17 + i), paid=amount, **claim)
    return customer


def test_candidate_at_three_claims_and_above_150_percent(services, mgr) -> None:
    at_150 = _claims_book(services, "恰好150", ["5", "5", "5"])
    above = _claims_book(services, "超过150", ["5", "5", "5.01"])
    two = _claims_book(services, "两次", ["10", "10"])
    assert not judge(services, mgr, at_150).blacklist_candidate
    assert not judge(services, mgr, two).blacklist_candidate
    result = judge(services, mgr, above)
    assert result.blacklist_candidate and result.customer_class == "standard"
    candidate = reason(result, "candidate_claims")
    assert candidate.numbers["claims"] == 3 and candidate.numbers["loss_ratio"] == "1.5010"
    assert candidate.message_zh == (
        "黑名单候选：2025-11-26 至 2026-11-25 出险 3 次，满期赔付率 150.1% > 150%"
    )


def test_fraud_flag_makes_a_candidate(services, mgr) -> None:
    customer = _claims_book(services, "欺诈", ["1"], fraud_suspected=True, claim_no="RFRAUD01")
    result = judge(services, mgr, customer)
    assert result.blacklist_candidate
    assert reason(result, "candidate_fraud").numbers == {"claim_no": "RFRAUD01"}


# --- standing, precedence, flags ---------------------------------------------------------


def test_prospect_and_floating(services, mgr) -> None:
    never = make_customer(services, "游离")
    intends = make_customer(services, "意向", intention_declared=True)
    future = make_customer(services, "待起保")
    make_policy(services, future, date(2026, 12, 1))
    assert codes(judge(services, mgr, never)) == ["never_insured"]
    assert judge(services, mgr, never).customer_class == "floating"
    assert judge(services, mgr, intends).customer_class == "prospect"
    result = judge(services, mgr, future)
    assert result.customer_class == "prospect"
    assert reason(result, "future_policy").numbers == {"starts": "2026-12-01"}


def test_precedence_blacklist_over_key_over_quality(services, mgr) -> None:
    both = make_customer(services, "大而优")
    _yearly(services, both, [2023, 2024, 2025], spoil=False)
    make_policy(services, both, date(2026, 1, 1), premium="60000")
    result = judge(services, mgr, both)
    assert result.customer_class == "key"
    assert codes(result) == [
        "key_premium",
        "quality_claim_free",
        "quality_loss_ratio",
        "in_force",
        "renewal_due",
    ]
    approver = make_user(services, "sup", "supervisor")
    with services.database.session() as session:
        nomination = BlacklistNomination(
            customer_id=both, unit_id=approver.unit_id, nominated_by_id=approver.id, reasons="fraud"
        )
        session.add(nomination)
        session.flush()
        assert nomination.id is not None
        session.add(
            BlacklistEntry(
                customer_id=both,
                nomination_id=nomination.id,
                reasons="fraud",
                approved_by_id=approver.id,
                approved_at=services.clock.now(),
            )
        )
        session.commit()
    result = judge(services, mgr, both)
    assert result.customer_class == "blacklist"
    assert result.flag_blacklist and result.flag_key  # the key flag stays visible
    assert codes(result)[0] == "blacklist_entry"
    assert reason(result, "blacklist_entry").numbers["reasons"] == ["fraud"]


def test_renewal_due_flag(services, mgr) -> None:
    due = make_customer(services, "待续保")
    make_policy(services, due, date(2025, 12, 20))  # ends 2026-12-19, 24 days on
    renewed = make_customer(services, "已续保")
    old = make_policy(services, renewed, date(2025, 12, 20))
    make_policy(services, renewed, date(2026, 12, 20), renewal_of_id=old)
    late = make_customer(services, "未到期")
    make_policy(services, late, date(2026, 1, 25))  # ends 2027-01-24: 60 days on, due
    later = make_customer(services, "更晚")
    make_policy(services, later, date(2026, 1, 26))  # ends 2027-01-25: 61 days on
    assert judge(services, mgr, due).flag_renewal_due
    assert not judge(services, mgr, renewed).flag_renewal_due
    assert judge(services, mgr, late).flag_renewal_due
    assert not judge(services, mgr, later).flag_renewal_due
    assert judge(services, mgr, due).customer_class == "standard"  # flags sit beside the class
