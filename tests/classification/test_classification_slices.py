"""A run over many slices (read ahead by the reader process on a SQLite file) classifies
and counts exactly like one slice, and a cancel between slices leaves nothing written."""

from datetime import date

from sqlmodel import func, select

from tests.factories import make_claim, make_customer, make_policy, make_user
from tui_crm.storage.models import ClassMonthlyCount, Customer, CustomerClassHistory


def _book(services) -> dict[str, int]:
    ids = {"floating": make_customer(services, "游离")}
    ids["standard"] = make_customer(services, "标准")
    policy = make_policy(services, ids["standard"], date(2026, 2, 1))
    make_claim(services, policy, date(2026, 3, 1), paid="800")
    ids["key"] = make_customer(services, "重要")
    make_policy(services, ids["key"], date(2026, 5, 1), premium="50000")
    ids["prospect"] = make_customer(services, "脱保")
    make_policy(services, ids["prospect"], date(2025, 11, 10), premium="900")
    ids["xiuzhou"] = make_customer(services, "秀洲客户", unit_code="330411")
    make_policy(services, ids["xiuzhou"], date(2026, 4, 1))
    return ids


def test_many_slices_classify_like_one(services) -> None:
    ids = _book(services)
    mgr = make_user(services, "mgr", "manager", "3304")
    result = services.classification.run(mgr, date(2026, 11, 25), chunk_size=1)
    assert result.status == "done" and result.customers == 5
    assert result.counts == {"floating": 1, "key": 1, "prospect": 1, "standard": 2}
    assert sorted(result.transitions, key=str) == sorted(
        [(None, "floating", 1), (None, "key", 1), (None, "prospect", 1), (None, "standard", 2)],
        key=str,
    )
    with services.database.session() as session:
        stored = {c.id: c.customer_class for c in session.exec(select(Customer)).all()}
        history = session.exec(select(func.count()).select_from(CustomerClassHistory)).one()
        monthly = session.exec(select(func.sum(ClassMonthlyCount.count))).one()
    assert {name: stored[i] for name, i in ids.items()} == {
        "floating": "floating",
        "standard": "standard",
        "key": "key",
        "prospect": "prospect",
        "xiuzhou": "standard",
    }
    assert history == 5 and monthly == 5
    again = services.classification.run(mgr, date(2026, 11, 25), chunk_size=1)
    assert again.updated == 0 and again.changes == 0
    assert again.counts == result.counts


def test_cancel_between_slices_writes_nothing(services) -> None:
    _book(services)
    mgr = make_user(services, "mgr", "manager", "3304")
    asked: list[int] = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 6  # after a few slices were read and written

    result = services.classification.run(mgr, date(2026, 11, 25), cancel=cancel, chunk_size=1)
    assert result.status == "cancelled"
    with services.database.session() as session:
        classes = {c.customer_class for c in session.exec(select(Customer)).all()}
        history = session.exec(select(func.count()).select_from(CustomerClassHistory)).one()
    assert classes == {"floating"} and history == 0
