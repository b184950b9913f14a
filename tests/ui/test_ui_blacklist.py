"""Pilot: supervisors approve and send back nominations by keyboard; claims staff nominate a
candidate; a manager runs the classification and sees the counts."""

from datetime import date

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, SelectionList

from tests.factories import make_claim, make_customer, make_policy, make_user
from tests.ui.pilot import new_app, settle, shown, sign_in
from tui_crm.screens.blacklist.decide import DecideScreen
from tui_crm.screens.blacklist.nominate import NominateDialog
from tui_crm.screens.blacklist.review import BlacklistScreen
from tui_crm.screens.classification import ClassificationScreen
from tui_crm.storage.models import BlacklistNomination, Customer


@pytest.fixture
def book(services):
    people = {
        "claims": make_user(services, "claims", "claims"),
        "supervisor": make_user(services, "supervisor", "supervisor"),
        "manager": make_user(services, "manager", "manager", "3304"),
    }
    customer = make_customer(services, "王多赔")
    policy = make_policy(services, customer, date(2026, 3, 1), premium="2000")
    for month in (4, 6, 9):
        make_claim(services, policy, date(2026, month, 10), paid="2000")
    return {"people": people, "customer": customer}


def _nomination(services) -> BlacklistNomination:
    with services.database.session() as session:
        return session.exec(select(BlacklistNomination)).one()


async def test_supervisor_approves_by_keyboard(services, book) -> None:
    services.blacklist.nominate(book["people"]["claims"], book["customer"], ["fraud"], "骗保")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "supervisor")
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, BlacklistScreen)
        queue = app.screen.query_one("#table-queue", DataTable)
        assert queue.row_count == 1
        assert "王多赔" in str(queue.get_row_at(0)[1])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DecideScreen)
        assert "王多赔" in shown(app.screen, "#decide-head")
        assert "出险 3 次" in shown(app.screen, "#decide-picture")
        await pilot.press("a", *"属实", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BlacklistScreen)
        assert app.screen.query_one("#table-queue", DataTable).row_count == 0
        assert app.screen.query_one("#table-entries", DataTable).row_count == 1
    assert _nomination(services).status == "approved"
    with services.database.session() as session:
        assert session.get(Customer, book["customer"]).customer_class == "blacklist"


async def test_supervisor_sends_back_with_a_comment(services, book) -> None:
    services.blacklist.nominate(
        book["people"]["claims"], book["customer"], ["frequent_claims"], "三次出险"
    )
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "supervisor")
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("b", "enter")  # no comment yet
        await settle(pilot)
        assert isinstance(app.screen, DecideScreen)
        assert "请填写意见" in shown(app.screen, "#comment-error")
        assert _nomination(services).status == "pending"
        await pilot.press(*"请补充报案记录", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BlacklistScreen)
    nomination = _nomination(services)
    assert nomination.status == "returned" and nomination.version == 2


async def test_claims_staff_nominate_a_candidate(services, book) -> None:
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "claims")
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BlacklistScreen)
        assert [t for t, _ in screen.tabs] == ["candidates", "mine", "quota"]
        candidates = screen.query_one("#table-candidates", DataTable)
        assert candidates.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NominateDialog)
        assert list(dialog.query_one("#reasons", SelectionList).selected) == ["frequent_claims"]
        dialog.query_one("#evidence", Input).focus()
        await pilot.press(*"一年三次出险", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BlacklistScreen)
        assert app.screen.query_one("#table-mine", DataTable).row_count == 1
    nomination = _nomination(services)
    assert nomination.reasons == "frequent_claims" and nomination.evidence == "一年三次出险"


async def test_cursor_stays_on_the_nominated_candidate(services, book) -> None:
    second = make_customer(services, "李常赔")
    policy = make_policy(services, second, date(2026, 3, 1), premium="2000")
    for month in (4, 6, 9):
        make_claim(services, policy, date(2026, month, 12), paid="2000")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "claims")
        await pilot.press("3")
        await settle(pilot)
        candidates = app.screen.query_one("#table-candidates", DataTable)
        assert candidates.row_count == 2
        await pilot.press("down")
        chosen = str(candidates.get_row_at(1)[1])
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NominateDialog)
        assert chosen in shown(dialog, "#customer-name")
        dialog.query_one("#evidence", Input).focus()
        await pilot.press(*"一年三次出险", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BlacklistScreen)
        assert candidates.cursor_row == 1
        assert chosen == str(candidates.get_row_at(candidates.cursor_row)[1])


async def test_manager_runs_the_classification(services, book) -> None:
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "manager")
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ClassificationScreen)
        await pilot.press("f5")
        await settle(pilot)
        assert "完成：1 位客户" in shown(app.screen, "#run-status")
        counts = app.screen.query_one("#counts", DataTable)
        last = counts.get_row_at(counts.row_count - 1)
        assert str(last[0]) == "2026-11" and str(last[3]) == "1"  # one standard customer
    with services.database.session() as session:
        assert session.get(Customer, book["customer"]).customer_class == "standard"


async def test_palette_opens_the_classes(services, book) -> None:
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "manager")
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"classes")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClassificationScreen)
        assert app.screen.query_one("#unit", Input).value == "3304"


async def test_a_role_without_rights_is_told_so(services, book) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, BlacklistScreen)
        assert "没有黑名单相关权限" in shown(app.screen, "#blacklist-none")
        await pilot.press("c")  # not offered to this role
        await settle(pilot)
        assert isinstance(app.screen, BlacklistScreen)
