"""Whole-book runs: history rows on change only, monthly counts, flows, cancel, rights."""

from datetime import date

import pytest
from sqlmodel import col, func, select

from tests.factories import make_claim, make_customer, make_policy, make_user
from tui_crm.services.core.errors import Conflict, Forbidden
from tui_crm.storage.models import (
    AuditLog,
    ClassificationRun,
    ClassMonthlyCount,
    Customer,
    CustomerClassHistory,
)


@pytest.fixture
def mgr(services):
    return make_user(services, "mgr", "manager", "3304")


@pytest.fixture
def book(services):
    """Four customers in 南湖 (330402) and one in 秀洲 (330411), known classes on
    2026-10-31 and 2026-11-25."""
    ids = {}
    ids["floating"] = make_customer(services, "游离")
    ids["standard"] = make_customer(services, "标准")
    policy = make_policy(services, ids["standard"], date(2026, 2, 1))
    make_claim(services, policy, date(2026, 3, 1), paid="800")  # keeps it off quality
    ids["grows"] = make_customer(services, "将成重要")
    make_policy(services, ids["grows"], date(2026, 5, 1), premium="30000")
    make_policy(services, ids["grows"], date(2026, 11, 10), premium="20000")  # after 10-31
    ids["lapses"] = make_customer(services, "将脱保")
    make_policy(services, ids["lapses"], date(2025, 11, 10), premium="900")  # ends 11-09
    ids["xiuzhou"] = make_customer(services, "秀洲客户", unit_code="330411")
    make_policy(services, ids["xiuzhou"], date(2026, 4, 1))
    return ids


def classes(services) -> dict[int, str]:
    with services.database.session() as session:
        return {c.id: c.customer_class for c in session.exec(select(Customer)).all()}


def history_count(services) -> int:
    with services.database.session() as session:
        return session.exec(select(func.count()).select_from(CustomerClassHistory)).one()


def test_run_writes_classes_history_and_counts(services, mgr, book) -> None:
    seen: list[tuple[int, int]] = []
    result = services.classification.run(
        mgr, date(2026, 10, 31), progress=lambda done, total, stage: seen.append((done, total))
    )
    assert result.status == "done" and result.customers == 5
    assert result.counts == {"floating": 1, "standard": 4}
    assert result.changes == 5 and result.updated == 5
    assert sorted(result.transitions) == [(None, "floating", 1), (None, "standard", 4)]
    assert seen[-1] == (5, 5)
    stored = classes(services)
    assert stored[book["lapses"]] == "standard" and stored[book["grows"]] == "standard"
    with services.database.session() as session:
        customer = session.get(Customer, book["standard"])
        assert customer.class_rule_version == result.rule_version
        assert '"code":"in_force"' in customer.class_reasons
        run = session.get(ClassificationRun, result.run_id)
        assert run.status == "done" and run.customers == 5 and run.changes == 5
        assert run.finished_at is not None
        assert session.exec(select(AuditLog).where(AuditLog.action == "classification_run")).first()
        counts = {
            (r.unit_id, r.customer_class): r.count
            for r in session.exec(
                select(ClassMonthlyCount).where(ClassMonthlyCount.month == date(2026, 10, 1))
            ).all()
        }
    assert sorted(counts.values()) == [1, 1, 3]  # 南湖 3 standard + 1 floating, 秀洲 1


def test_history_only_on_change(services, mgr, book) -> None:
    services.classification.run(mgr, date(2026, 10, 31))
    assert history_count(services) == 5
    again = services.classification.run(mgr, date(2026, 10, 31))
    assert again.changes == 0 and again.updated == 0
    assert history_count(services) == 5
    later = services.classification.run(mgr, date(2026, 11, 25))
    # grows → key (50,000 in the year), lapses → prospect; the others keep their class
    assert sorted(later.transitions) == [("standard", "key", 1), ("standard", "prospect", 1)]
    assert history_count(services) == 7
    with services.database.session() as session:
        rows = session.exec(
            select(CustomerClassHistory)
            .where(CustomerClassHistory.customer_id == book["grows"])
            .order_by(col(CustomerClassHistory.id))
        ).all()
    assert [(r.from_class, r.to_class, r.changed_on) for r in rows] == [
        (None, "standard", date(2026, 10, 31)),
        ("standard", "key", date(2026, 11, 25)),
    ]
    assert rows[1].source == "engine" and rows[1].run_id == later.run_id
    assert '"code":"key_premium"' in rows[1].reasons


def test_monthly_counts_and_flows_per_unit(services, mgr, book) -> None:
    services.classification.run(mgr, date(2026, 10, 31))
    services.classification.run(mgr, date(2026, 11, 25))
    stats = services.class_stats
    months = stats.monthly_counts(mgr, date(2026, 10, 1), date(2026, 11, 30), "330402")
    assert months.months == [date(2026, 10, 1), date(2026, 11, 1)]
    assert months.row(date(2026, 10, 1)) == {
        "floating": 1,
        "prospect": 0,
        "standard": 3,
        "quality": 0,
        "key": 0,
        "blacklist": 0,
    }
    assert months.row(date(2026, 11, 1))["key"] == 1
    assert months.row(date(2026, 11, 1))["prospect"] == 1
    centre = stats.monthly_counts(mgr, date(2026, 11, 1), date(2026, 11, 1))
    assert centre.row(date(2026, 11, 1))["standard"] == 2  # 南湖 1 + 秀洲 1

    flows = stats.flows(mgr, date(2026, 11, 1), date(2026, 11, 30), "330402")
    assert flows.cells == {
        ("floating", "floating"): 1,
        ("standard", "standard"): 1,
        ("standard", "key"): 1,
        ("standard", "prospect"): 1,
    }
    assert flows.moved() == 2
    first = stats.flows(mgr, date(2026, 10, 1), date(2026, 10, 31), "330411")
    assert first.cells == {("new", "standard"): 1}


def test_stats_respect_scope_and_role(services, mgr, book) -> None:
    services.classification.run(mgr, date(2026, 11, 25))
    xz = make_user(services, "sup_xz", "supervisor", "330411")
    with pytest.raises(Forbidden) as refused:
        services.class_stats.flows(xz, date(2026, 11, 1), date(2026, 11, 30), "330402")
    assert refused.value.code == "out_of_scope"
    own = services.class_stats.monthly_counts(xz, date(2026, 11, 1), date(2026, 11, 1))
    assert sum(own.row(date(2026, 11, 1)).values()) == 1
    counter = make_user(services, "counter", "counter")
    with pytest.raises(Forbidden):
        services.class_stats.monthly_counts(counter, date(2026, 11, 1), date(2026, 11, 1))


def test_cancel_changes_nothing(services, mgr, book) -> None:
    result = services.classification.run(mgr, date(2026, 11, 25), cancel=lambda: True)
    assert result.status == "cancelled"
    assert set(classes(services).values()) == {"floating"}  # the default, untouched
    assert history_count(services) == 0
    with services.database.session() as session:
        assert session.get(ClassificationRun, result.run_id).status == "cancelled"
        assert not session.exec(select(ClassMonthlyCount)).first()


def test_only_classification_run_may_start_a_run(services, book) -> None:
    claims = make_user(services, "claims", "claims")
    with pytest.raises(Forbidden) as refused:
        services.classification.run(claims)
    assert refused.value.code == "wrong_role"


def test_a_second_run_waits_for_the_first(services, mgr, book) -> None:
    with services.database.session() as session:
        session.add(
            ClassificationRun(
                as_of=date(2026, 11, 25), rule_version="x", started_at=services.clock.now()
            )
        )
        session.commit()
    with pytest.raises(Conflict) as refused:
        services.classification.run(mgr)
    assert refused.value.code == "run_in_progress"
    services.clock.advance(hours=7)  # a run that died long ago does not block for ever
    assert services.classification.run(mgr).status == "done"


def test_explaining_a_customer_needs_scope(services, book) -> None:
    xz = make_user(services, "claims_xz", "claims", "330411")
    with pytest.raises(Forbidden) as refused:
        services.classification.explain(xz, book["standard"])
    assert refused.value.code == "out_of_scope"
    assert services.classification.explain(xz, book["xiuzhou"]).customer_class == "standard"


def test_a_run_whose_process_died_is_taken_over_at_once(services, mgr, book) -> None:
    import socket
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    with services.database.session() as session:
        dead = ClassificationRun(
            as_of=date(2026, 11, 25),
            rule_version="x",
            started_at=services.clock.now(),
            pid=int(gone.stdout),
            host=socket.gethostname(),
        )
        session.add(dead)
        session.commit()
        dead_id = dead.id
    result = services.classification.run(mgr)  # no six-hour wait: nobody runs #dead_id
    assert result.status == "done"
    with services.database.session() as session:
        row = session.get(ClassificationRun, dead_id)
        assert row is not None and row.status == "failed" and row.finished_at is not None


def test_a_live_run_on_this_host_is_waited_for(services, mgr, book) -> None:
    import os
    import socket

    with services.database.session() as session:
        session.add(
            ClassificationRun(
                as_of=date(2026, 11, 25),
                rule_version="x",
                started_at=services.clock.now(),
                pid=os.getppid(),
                host=socket.gethostname(),
            )
        )
        session.commit()
    with pytest.raises(Conflict) as refused:
        services.classification.run(mgr)
    assert refused.value.code == "run_in_progress"
