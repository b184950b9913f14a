"""Pilot: an administrator changes a rate-table value from a date on by keyboard; a bad
value is named under its field; the version in force stays as it was; a counter clerk may
look but not change."""

from contextlib import suppress
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Static
from textual.worker import WorkerCancelled

from tests.factories import make_user
from tui_crm.app import make_app
from tui_crm.config import Settings
from tui_crm.screens.premium.rate_tables import RateTableScreen
from tui_crm.services.container import make_services
from tui_crm.storage.models import RateEntry, RateTable
from tui_crm.widgets.form_dialog import FormDialog


@pytest.fixture
def services(sqlite_database, clock):  # type: ignore[no-untyped-def]
    """Pilot tests run on SQLite only: the app's workers use their own connections."""
    return make_services(sqlite_database, clock=clock, fast_hash=True)


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        with suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _open_vehicle_tax(pilot, username: str) -> RateTableScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*username, "enter", *"demo-pass", "enter")
    await _settle(pilot)
    await pilot.press("7")  # administration
    await _settle(pilot)
    await pilot.press("r")  # rate tables
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RateTableScreen)
    index = next(i for i, v in enumerate(screen.versions) if v.code == "vehicle_tax")
    for _ in range(index):
        await pilot.press("down")
    await _settle(pilot)
    await pilot.press("tab")  # to the rows of that version
    return screen


def _values(services, key: str) -> dict[date, Decimal]:  # type: ignore[no-untyped-def]
    with services.database.session() as session:
        rows = session.exec(
            select(RateTable.effective_from, RateEntry.value)
            .join(RateEntry, RateEntry.table_id == RateTable.id)
            .where(RateTable.code == "vehicle_tax", RateEntry.key == key)
        ).all()
    return {day: value for day, value in rows}


async def test_administrator_changes_a_value_from_a_date(services) -> None:  # type: ignore[no-untyped-def]
    make_user(services, "admin", "admin")
    before = _values(services, "car:litres:(0~1.0]")
    app = make_app(
        Settings(database_url="sqlite://", fast_hash=True), services.database, services=services
    )
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_vehicle_tax(pilot, "admin")
        rows = screen.query_one("#rate-rows", DataTable)
        assert rows.has_focus and screen.rows[rows.cursor_row].key == "car:litres:(0~1.0]"
        await pilot.press("f6")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#field-effective_from", Input).value == "2026-11-26"
        await pilot.press("enter", "ctrl+u", *"abc", "enter", "enter", "enter")
        await _settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)  # opened again with the reason under the value
        assert "请输入数字" in str(dialog.query_one("#error-value", Static).render())
        assert dialog.query_one("#field-value", Input).value == "abc"  # nothing typed is lost
        dialog.query_one("#field-value", Input).focus()
        await pilot.press("ctrl+u", *"200", "enter", "enter", *"浙财税〔2026〕1号", "enter")
        await _settle(pilot)
        assert app.screen is screen
        hint = str(screen.query_one("#rates-hint", Static).render())
        assert "已保存" in hint and "2026-11-26" in hint
        assert screen.versions[
            screen.query_one("#rate-versions", DataTable).cursor_row
        ].effective_from == date(2026, 11, 26)
    after = _values(services, "car:litres:(0~1.0]")
    assert after[date(2026, 11, 26)] == Decimal("200")
    assert {d: v for d, v in after.items() if d != date(2026, 11, 26)} == before  # in force: kept


async def test_counter_may_look_but_not_change(services) -> None:  # type: ignore[no-untyped-def]
    make_user(services, "counter", "counter")
    app = make_app(
        Settings(database_url="sqlite://", fast_hash=True), services.database, services=services
    )
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press(*"counter", "enter", *"demo-pass", "enter")
        await _settle(pilot)
        app.open_area("rate_tables")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, RateTableScreen) and screen.versions
        await pilot.press("tab", "f6")
        await pilot.pause()
        assert app.screen is screen
        assert "系统管理员" in str(screen.query_one("#rates-hint", Static).render())
