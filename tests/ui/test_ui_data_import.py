"""Pilot: an administrator opens 系统管理 → 数据导入 by keyboard, previews a Chinese-header
file through the shipped profile, imports it, sees the counts and the batch; a file of
another kind is refused with its reason on screen; a counter clerk is told the role."""

from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from tests.factories import make_user
from tests.imports.night import write_night
from tests.ui.pilot import new_app, settle, shown, sign_in
from tui_crm.screens.admin.data_import import DataImportScreen
from tui_crm.storage.models import Customer, ImportBatch


async def _open(pilot, username: str) -> DataImportScreen:
    await sign_in(pilot, username)
    await pilot.press("7")  # administration
    await settle(pilot)
    await pilot.press("i")  # data import
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DataImportScreen)
    return screen


def _cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_preview_import_and_batches_by_keyboard(services, tmp_path) -> None:
    make_user(services, "admin", "admin", "3304")
    night = write_night(tmp_path / "night")
    app = new_app(services)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open(pilot, "admin")
        assert screen.query_one("#import-file", Input).has_focus
        await pilot.press(*str(night / "customers.csv"), "f2")
        await settle(pilot)
        preview = screen.query_one("#import-preview", DataTable)
        assert [str(c.label) for c in preview.columns.values()][:3] == [
            "customer_key",
            "kind",
            "name",
        ]
        assert _cells(preview)[0][2] == "王建国"
        assert "备注" in shown(screen, "#import-status")  # the column that will be ignored

        await pilot.press("f5")
        await settle(pilot)
        status = shown(screen, "#import-status")
        assert "新增 4" in status and "拒绝 3" in status and "customers.rejects.csv" in status
        batches = _cells(screen.query_one("#import-batches", DataTable))
        assert [row[3:5] + row[7:] for row in batches] == [
            ["customers", "customers.csv", "4", "0", "0", "3"]
        ]

        await pilot.press("shift+tab", "enter", "down", "down", "enter")  # kind: policies
        await pilot.press("tab", "tab", *"core_zh")
        await settle(pilot)
        file = screen.query_one("#import-file", Input)
        file.value = str(night / "customers.csv")  # the wrong file for policies
        await pilot.press("f5")
        await settle(pilot)
        assert "policies" in shown(screen, "#import-message")
    with services.database.session() as session:
        assert len(session.exec(select(Customer)).all()) == 4
        assert len(session.exec(select(ImportBatch)).all()) == 1


async def test_a_counter_clerk_is_told_the_role(services) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("7", "i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DataImportScreen)
        assert "管理员" in str(screen.query_one("#import-message", Static).render())
