"""Pilot: service tasks (service screen k): make the care calls, see the overdue one
stand out, close it with notes."""

from datetime import date

from sqlmodel import select
from textual.widgets import DataTable

from tests.factories import make_claim, make_customer, make_policy, make_user
from tests.ui.pilot import new_app, settle, shown, sign_in
from tui_crm.screens.worklists.tasks import TaskScreen
from tui_crm.storage.models import ServiceContact, ServiceTask


async def test_make_and_close_care_calls(services) -> None:
    make_user(services, "am", "account_manager")
    customer = make_customer(services, "王[b]五", phone="13900006666")
    policy = make_policy(services, customer, date(2026, 1, 1))
    make_claim(services, policy, date(2026, 11, 10))  # care call due 11-13: overdue
    make_claim(services, policy, date(2026, 11, 24))  # due 11-27
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await sign_in(pilot, "am")
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TaskScreen)
        table = screen.query_one("#tasks", DataTable)
        assert table.row_count == 0
        await pilot.press("g")
        await settle(pilot)
        assert table.row_count == 2
        first = table.get_row_at(0)
        assert str(first[0]) == "2026-11-13 逾期" and first[0].style == "bold red"
        assert str(first[2]) == "王[b]五"
        assert "逾期 1" in shown(screen, "#task-status")
        table.focus()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"已回访", "enter")
        await settle(pilot)
        assert table.row_count == 1
    with services.database.session() as session:
        done = session.exec(select(ServiceTask).where(ServiceTask.status == "done")).one()
        call = session.exec(select(ServiceContact)).one()
    assert done.due_date == date(2026, 11, 13) and call.notes == "已回访"
