"""Pilot: an administrator changes a rate-table value from a date on by keyboard; a bad
value is named under its field; the version in force stays as it was; a counter clerk may
look but not change."""

from datetime import date
from decimal import Decimal

from sqlmodel import col, select
from textual.widgets import DataTable, Input, Static

from tests.factories import make_user
from tests.ui.pilot import new_app, settle, sign_in
from tui_crm.screens.premium.rate_tables import RateTableScreen
from tui_crm.storage.models import RateEntry, RateTable
from tui_crm.widgets.form_dialog import FormDialog


async def _open_vehicle_tax(pilot, username: str) -> RateTableScreen:
    await sign_in(pilot, username)
    await pilot.press("7")  # administration
    await settle(pilot)
    await pilot.press("r")  # rate tables
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RateTableScreen)
    index = next(i for i, v in enumerate(screen.versions) if v.code == "vehicle_tax")
    for _ in range(index):
        await pilot.press("down")
    await settle(pilot)
    await pilot.press("tab")  # to the rows of that version
    return screen


def _values(services, key: str) -> dict[date, Decimal]:
    with services.database.session() as session:
        rows = session.exec(
            select(col(RateTable.effective_from), col(RateEntry.value))
            .join(RateEntry, col(RateEntry.table_id) == RateTable.id)
            .where(RateTable.code == "vehicle_tax", RateEntry.key == key)
        ).all()
    return {day: value for day, value in rows}


async def test_administrator_changes_a_value_from_a_date(services) -> None:
    make_user(services, "admin", "admin")
    before = _values(services, "car:litres:(0~1.0]")
    app = new_app(services)
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
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)  # opened again with the reason under the value
        assert "请输入数字" in str(dialog.query_one("#error-value", Static).render())
        assert dialog.query_one("#field-value", Input).value == "abc"  # nothing typed is lost
        dialog.query_one("#field-value", Input).focus()
        await pilot.press("ctrl+u", *"200", "enter", "enter", *"浙财税〔2026〕1号", "enter")
        await settle(pilot)
        assert app.screen is screen
        hint = str(screen.query_one("#rates-hint", Static).render())
        assert "已保存" in hint and "2026-11-26" in hint
        assert screen.versions[
            screen.query_one("#rate-versions", DataTable).cursor_row
        ].effective_from == date(2026, 11, 26)
    after = _values(services, "car:litres:(0~1.0]")
    assert after[date(2026, 11, 26)] == Decimal("200")
    assert {d: v for d, v in after.items() if d != date(2026, 11, 26)} == before  # in force: kept


async def test_counter_may_look_but_not_change(services) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await sign_in(pilot, "counter")
        app.open_area("rate_tables")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RateTableScreen) and screen.versions
        await pilot.press("tab", "f6")
        await pilot.pause()
        assert app.screen is screen
        assert "系统管理员" in str(screen.query_one("#rates-hint", Static).render())
