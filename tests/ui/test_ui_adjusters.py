"""Pilot: the roster of adjusters on duty by keyboard — a shift added with a bad phone
refused under its field and then saved, an overlap refused, corrected, and removed."""

from sqlmodel import select
from textual.widgets import DataTable

from tests.adjusters.book import shift
from tests.factories import make_user
from tests.ui.pilot import new_app, settle, shown, sign_in
from tui_crm.screens.adjusters.roster import RosterScreen
from tui_crm.storage.models import AdjusterShift
from tui_crm.widgets.confirm_discard import ConfirmDiscardScreen
from tui_crm.widgets.form_dialog import FormDialog


def _rows(screen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _type(pilot, *values: str) -> None:
    for text in values:
        await pilot.press(*text, "enter")
    await settle(pilot)


async def test_shifts_added_refused_corrected_and_removed(services) -> None:
    make_user(services, "boss", "supervisor")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "boss")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"chakanyuan", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        await pilot.press("n")
        await settle(pilot)
        # staff (none), name, phone, unit (offered: 330402), from, to
        await _type(pilot, "", "李查勘", "12345", "", "2026-11-25 08:00", "2026-11-25 20:00")
        assert isinstance(app.screen, FormDialog)
        assert "手机号" in shown(app.screen, "#error-phone")
        await pilot.press(*["backspace"] * 5, *"13800001111", "enter")
        await _type(pilot, "", "", "")
        assert isinstance(app.screen, RosterScreen)
        assert "已保存" in shown(app.screen, "#records-status")
        await pilot.press("n")
        await settle(pilot)
        await _type(pilot, "", "李查勘", "13800001111", "", "2026-11-25 19:00",
                    "2026-11-25 22:00")  # fmt: skip
        assert isinstance(app.screen, FormDialog)
        assert "重叠" in shown(app.screen, "#error-starts_at")
        await pilot.press("escape")  # what was typed is kept unless the clerk says so
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDiscardScreen)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await _type(pilot, "", "", "", "", "")
        await pilot.press(*["backspace"] * 16, *"2026-11-25 12:00", "enter")
        await settle(pilot)
        assert "已保存" in shown(app.screen, "#records-status")
        assert _rows(app.screen)[0][1:] == [
            "李查勘", "", "13800001111", "330402 南湖支公司", "2026-11-25 08:00",
            "2026-11-25 12:00",
        ]  # fmt: skip
        with services.database.session() as session:
            [shift] = session.exec(select(AdjusterShift)).all()
        assert (shift.name, shift.phone) == ("李查勘", "13800001111")
        await pilot.press("delete")
        await settle(pilot)
        assert "再按 Delete" in shown(app.screen, "#records-status")
        await pilot.press("delete")
        await settle(pilot)
        assert "已删除" in shown(app.screen, "#records-status")
    with services.database.session() as session:
        assert session.exec(select(AdjusterShift)).all() == []


async def test_a_clerk_sees_the_roster_but_cannot_change_it(services) -> None:
    boss = make_user(services, "boss", "supervisor")
    make_user(services, "clerk", "counter")
    services.adjusters.save(boss, shift("2026-11-25 08:00", "2026-11-25 20:00", name="李查勘",
                                        phone="13800001111"))  # fmt: skip
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "clerk")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"chakanyuan", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert [r[1] for r in _rows(app.screen)] == ["李查勘"]
        await pilot.press("n", "delete", "delete")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
    with services.database.session() as session:
        assert len(session.exec(select(AdjusterShift)).all()) == 1
