"""Account managers: one customer at a time and whole books handed over when staff leave."""

import json

import pytest
from sqlmodel import col, select

from tests.factories import make_customer, make_user
from tui_crm.services.core import Forbidden, NotFound, ValidationFailed
from tui_crm.storage.models import AccountManagerChange, AuditLog, Customer, StaffUser


@pytest.fixture
def book(services):
    leaver = make_user(services, "am_leaving", "account_manager", "330402")
    takers = {
        "am_nh": make_user(services, "am_nh", "account_manager", "330402"),
        "am_jianshe": make_user(services, "am_jianshe", "account_manager", "330402-01"),
    }
    units = ["330402"] * 4 + ["330402-01"] * 2 + ["330421"] * 2
    customers = [
        make_customer(services, f"客户{i}", unit_code=u, account_manager_id=leaver.id)
        for i, u in enumerate(units)
    ]
    with services.database.session() as session:
        staff = session.get(StaffUser, leaver.id)
        staff.active = False  # left the company
        session.add(staff)
        session.commit()
    return {"leaver": leaver, "takers": takers, "customers": customers}


@pytest.fixture
def manager(services):
    return make_user(services, "mgr", "manager", "3304")


def _managers(services, ids):
    with services.database.session() as session:
        rows = session.exec(
            select(Customer.id, StaffUser.username)
            .join(StaffUser, col(StaffUser.id) == col(Customer.account_manager_id))
            .where(col(Customer.id).in_(ids))
        ).all()
    return dict(rows)


def test_all_to_one(services, book, manager):
    result = services.assignment.hand_over(manager, "am_leaving", ["am_nh"], reason="离职")
    assert result.moved == 8 and result.by_taker == {"am_nh": 8}
    assert set(_managers(services, book["customers"]).values()) == {"am_nh"}
    with services.database.session() as session:
        history = session.exec(select(AccountManagerChange)).all()
        assert len(history) == 8
        assert {h.batch for h in history} == {result.batch}
        assert {h.from_staff_id for h in history} == {book["leaver"].id}
        audit = session.exec(select(AuditLog).where(AuditLog.action == "reassign")).one()
        assert json.loads(audit.after)["customers"] == {"am_nh": 8}
        versions = session.exec(select(Customer.version)).all()
        assert set(versions) == {2}


def test_even_and_unit_rules(services, book, manager):
    ids = book["customers"]
    services.assignment.hand_over(manager, "am_leaving", ["am_nh", "am_jianshe"], rule="even")
    shares = _managers(services, ids)
    assert [shares[i] for i in ids] == ["am_nh", "am_jianshe"] * 4


def test_unit_rule_gives_each_unit_its_own(services, book, manager):
    ids = book["customers"]
    services.assignment.hand_over(manager, "am_leaving", ["am_nh", "am_jianshe"], rule="unit")
    shares = _managers(services, ids)
    assert [shares[i] for i in ids[:6]] == ["am_nh"] * 4 + ["am_jianshe"] * 2
    # 嘉善 has no taker of its own: spread evenly.
    assert [shares[i] for i in ids[6:]] == ["am_nh", "am_jianshe"]


def test_balance_rule_counts_existing_books(services, book, manager):
    for i in range(3):
        make_customer(services, f"老客户{i}", account_manager_id=book["takers"]["am_nh"].id)
    result = services.assignment.hand_over(
        manager, "am_leaving", ["am_nh", "am_jianshe"], rule="balance", dry_run=True
    )
    # 南湖 holds 3 already: 建设 takes three to catch up, then they alternate.
    assert result.by_taker == {"am_jianshe": 5, "am_nh": 3}
    assert set(_managers(services, book["customers"]).values()) == {"am_leaving"}  # dry run


def test_scope_and_refusals(services, book):
    county = make_user(services, "mgr_nh", "manager", "330402")
    result = services.assignment.hand_over(county, "am_leaving", ["am_nh"])
    assert result.moved == 6  # 嘉善's two customers are outside 南湖
    counter = make_user(services, "ctr", "counter")
    with pytest.raises(Forbidden):
        services.assignment.hand_over(counter, "am_leaving", ["am_nh"])
    with pytest.raises(ValidationFailed):  # the one who left takes nothing
        services.assignment.hand_over(county, "am_nh", ["am_leaving"])
    with pytest.raises(NotFound):
        services.assignment.hand_over(county, "am_leaving", ["nobody"])
    with pytest.raises(ValidationFailed):
        services.assignment.hand_over(county, "am_leaving", ["am_nh"], rule="random")


def test_one_customer(services, book, manager):
    first, last = book["customers"][0], book["customers"][-1]
    services.assignment.assign(manager, first, "am_jianshe", reason="客户要求")
    assert _managers(services, [first]) == {first: "am_jianshe"}
    with pytest.raises(ValidationFailed):  # 建设营销服务部 does not serve 嘉善
        services.assignment.assign(manager, last, "am_jianshe")
    with services.database.session() as session:
        audit = session.exec(select(AuditLog).where(AuditLog.action == "reassign")).one()
        assert json.loads(audit.before) == {"account_manager": "am_leaving"}
        assert json.loads(audit.after) == {"account_manager": "am_jianshe"}


def test_books_show_leavers_with_customers_first(services, book, manager):
    books = services.assignment.books(manager)
    assert books[0].username == "am_leaving" and not books[0].active
    assert books[0].customers == 8
