"""Two staff doing the same thing at the same moment, on real connections (threads):
the database keeps one open nomination and one active blacklist entry per customer, and
the recently-viewed list takes the same user opening customers at once."""

import threading
from collections.abc import Callable
from datetime import date
from functools import partial

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from tests.conftest import TODAY
from tests.factories import make_claim, make_customer, make_policy, make_user
from tui_crm.services.container import Services, make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.core.errors import Conflict
from tui_crm.storage.models import BlacklistEntry, BlacklistNomination, Customer, RecentView


@pytest.fixture
def shared(committed_database) -> Services:
    return make_services(committed_database, clock=FixedClock(TODAY), fast_hash=True)


def all_at_once(jobs: list[Callable[[], object]]) -> list[object]:
    """Run the jobs in threads released together; each result or the exception raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = jobs[index]()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_nominators_at_once_leave_one_open_nomination(shared) -> None:
    first = make_user(shared, "claims", "claims")
    second = make_user(shared, "claims2", "claims")
    customers = [make_customer(shared, f"王多赔{i}") for i in range(8)]
    for customer_id in customers:
        outcomes = all_at_once(
            [
                partial(shared.blacklist.nominate, who, customer_id, ["fraud"], "录音")
                for who in (first, second)
            ]
        )
        refusals = [o for o in outcomes if isinstance(o, Exception)]
        assert len(refusals) == 1, outcomes
        assert isinstance(refusals[0], Conflict) and refusals[0].code == "duplicate"
        assert "已有未完成的提名" in refusals[0].message
    with shared.database.session() as session:
        counts = session.exec(
            select(BlacklistNomination.customer_id, func.count()).group_by(
                col(BlacklistNomination.customer_id)
            )
        ).all()
    assert sorted(n for _, n in counts) == [1] * 8


def test_the_database_refuses_a_second_open_nomination_or_active_entry(shared) -> None:
    claims = make_user(shared, "claims", "claims")
    supervisor = make_user(shared, "supervisor", "supervisor")
    customer = make_customer(shared, "王多赔")
    nomination = shared.blacklist.nominate(claims, customer, ["fraud"], "录音")
    with shared.database.session() as session:
        row = session.get(BlacklistNomination, nomination)
        assert row is not None
        copy = BlacklistNomination(
            **row.model_dump(exclude={"id"}),
        )
        session.add(copy)
        with pytest.raises(IntegrityError):
            session.flush()
    shared.blacklist.review(supervisor, nomination, "approve")
    with shared.database.session() as session:
        entry = session.exec(select(BlacklistEntry)).one()
        session.add(BlacklistEntry(**entry.model_dump(exclude={"id"})))
        with pytest.raises(IntegrityError):
            session.flush()


def test_lift_reports_the_class_the_customer_now_has(shared) -> None:
    claims = make_user(shared, "claims", "claims")
    supervisor = make_user(shared, "supervisor", "supervisor")
    customer = make_customer(shared, "王多赔")
    policy = make_policy(shared, customer, date(2026, 3, 1), premium="2000")
    make_claim(shared, policy, date(2026, 4, 10), paid="2000")
    nomination = shared.blacklist.nominate(claims, customer, ["fraud"], "录音")
    shared.blacklist.review(supervisor, nomination, "approve")
    restored = shared.blacklist.lift(supervisor, customer, "误报")
    with shared.database.session() as session:
        row = session.get(Customer, customer)
        assert row is not None
        assert restored == row.customer_class == "standard"


def test_one_user_opening_customers_at_once_remembers_them_all(shared) -> None:
    counter = make_user(shared, "counter", "counter")
    customers = [make_customer(shared, f"李{i}") for i in range(6)]
    jobs: list[Callable[[], object]] = [
        partial(shared.customers.view, counter, c) for c in customers for _ in range(2)
    ]
    for _ in range(3):
        outcomes = all_at_once(jobs)
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    with shared.database.session() as session:
        remembered = session.exec(
            select(RecentView.customer_id).where(RecentView.staff_id == counter.id)
        ).all()
    assert sorted(remembered) == sorted(customers)
