"""The customer facts answer the customer-level views exactly as the base tables do: every
view of customer_value, loyalty, risk_credit and account_manager on the hand-made book,
for the centre and for a county's account manager — and stay so after a policy or
customer changes (applied), after new policies and claims arrive (incremental) and after
a receivable is paid (its receivables read again)."""

from datetime import date
from decimal import Decimal

from sqlmodel import select

from tests.factories import make_claim, make_customer, make_policy
from tests.reports.book import PERIOD, build_book, compare_both_ways, facts_spy, reports, rows_by
from tui_crm.services.reports.customer_facts import query as customer_facts_query
from tui_crm.storage.models import Customer, Policy, Receivable

RUNS = [
    ("customer_value", "top"),
    ("customer_value", "bottom"),
    ("customer_value", "years"),
    ("loyalty", "kind"),
    ("loyalty", "tenure"),
    ("loyalty", "line"),
    ("risk_credit", "traits"),
    ("risk_credit", "receivables"),
    ("risk_credit", "ageing"),
    ("account_manager", None),
]
PERIODS = [
    PERIOD,
    {"from": "2025-01-01", "to": "2026-06-30"},
    {"from": "2026-07-01", "to": "2027-06-30"},
    {**PERIOD, "line": "motor_commercial"},
    {**PERIOD, "channel": "agency"},
]


def _compare(services, monkeypatch, users=("mgr", "am1")) -> int:
    return compare_both_ways(services, monkeypatch, RUNS, PERIODS, users)


def test_every_customer_view_equals_the_base_tables(services, monkeypatch) -> None:
    build_book(services)
    assert _compare(services, monkeypatch) >= 2 * len(RUNS) * len(PERIODS)


def test_part_months_read_the_base_tables(services, monkeypatch) -> None:
    build_book(services)
    service = reports(services)
    answered: list[bool] = []
    monkeypatch.setattr(customer_facts_query, "facts_for", facts_spy(answered))
    actor = services.auth.actor_for("mgr")
    service.run(actor, "loyalty", {"from": "2026-01-02", "to": "2026-06-30"})
    assert answered == [False]
    service.run(actor, "loyalty", PERIOD)
    assert answered == [False, True]


def _renewed(services, actor, raw) -> int:
    kinds = rows_by(reports(services).run(actor, "loyalty", raw))
    return sum(r["renewed"] for r in kinds.values())


def test_a_changed_policy_or_customer_is_applied_to_the_facts(services, monkeypatch) -> None:
    book = build_book(services)
    service = reports(services)
    actor = services.auth.actor_for("mgr")
    before = rows_by(service.run(actor, "customer_value", PERIOD), "customer_id")
    assert service.refresh_cube(actor).outcome == "fresh"
    with services.database.session() as session:  # p1 cancelled on 2026-04-01
        policy = session.get(Policy, book.policies["p1"])
        assert policy is not None
        policy.status = "cancelled"
        policy.cancelled_on = date(2026, 4, 1)
        session.add(policy)
        session.commit()
    assert service.refresh_cube(actor).outcome == "incremental"
    after = rows_by(service.run(actor, "customer_value", PERIOD), "customer_id")
    # p1 (3650, from 2026-01-01) now earns 90 days instead of 181, and is no longer written
    assert after[book.a]["earned"] == before[book.a]["earned"] - Decimal("910.00")
    assert after[book.a]["written"] == before[book.a]["written"] - Decimal("3650.00")
    with services.database.session() as session:  # a class change: the customer's facts read again
        customer = session.get(Customer, book.c)
        assert customer is not None
        customer.customer_class = "floating"
        session.add(customer)
        session.commit()
    assert service.refresh_cube(actor).outcome == "incremental"
    traits = service.run(actor, "risk_credit", PERIOD).frame
    classes = traits[traits["trait_code"] == "class"]
    assert "key" not in set(classes["code"])
    with services.database.session() as session:  # p4 no longer renews p3
        policy = session.get(Policy, book.policies["p4"])
        assert policy is not None
        policy.renewal_of_id = None
        session.add(policy)
        session.commit()
    assert service.refresh_cube(actor).outcome == "incremental"
    assert _renewed(services, actor, PERIOD) == 0
    assert _compare(services, monkeypatch, users=("mgr",)) > 0


def test_new_policies_and_claims_are_added_to_the_facts(services, monkeypatch) -> None:
    build_book(services)
    service = reports(services)
    actor = services.auth.actor_for("mgr")
    raw = {"from": "2026-01-01", "to": "2026-12-31"}
    renewed = _renewed(services, actor, raw)
    top = service.run(actor, "customer_value", {**raw, "top": "50"})
    assert service.refresh_cube(actor).outcome == "fresh"
    newcomer = make_customer(services, "王五", gender="M", birth_date=date(1990, 2, 1))
    old = make_policy(services, newcomer, date(2025, 3, 1), premium="3650")
    assert service.refresh_cube(actor).outcome == "incremental"
    renewal = make_policy(services, newcomer, date(2026, 3, 1), premium="730", renewal_of_id=old)
    make_claim(services, renewal, date(2026, 4, 2), paid="100", outstanding="50")
    assert service.refresh_cube(actor).outcome == "incremental"
    assert _renewed(services, actor, raw) == renewed + 1  # the 2025 policy is now renewed
    again = rows_by(service.run(actor, "customer_value", {**raw, "top": "50"}), "customer_id")
    assert len(again) == len(top.frame) + 1
    # 王五: 3650 × 59/365 (2026-01-01 … 02-28) + 730 × 306/365 − 150 incurred
    assert again[newcomer]["value"] == Decimal("590.00") + Decimal("612.00") - Decimal("150.00")
    assert _compare(services, monkeypatch, users=("mgr",)) > 0


def test_a_payment_reads_the_receivables_again(services, monkeypatch) -> None:
    book = build_book(services)
    service = reports(services)
    actor = services.auth.actor_for("mgr")
    raw = {**PERIOD, "view": "receivables"}
    before = rows_by(service.run(actor, "risk_credit", raw), "customer_id")
    assert before[book.a]["balance"] == Decimal("950.00")
    with services.database.session() as session:
        owed = session.exec(
            select(Receivable).where(Receivable.customer_id == book.a, Receivable.paid_amount == 0)
        ).all()
        for receivable in owed:
            receivable.paid_amount = receivable.amount - Decimal("100")
            session.add(receivable)
        session.commit()
    assert len(owed) == 1
    assert service.refresh_cube(actor).outcome == "incremental"
    after = rows_by(service.run(actor, "risk_credit", raw), "customer_id")
    assert after[book.a]["balance"] == Decimal("100.00")
    assert after[book.a]["received"] == before[book.a]["received"] + Decimal("850.00")
    assert _compare(services, monkeypatch, users=("mgr",)) > 0
