"""Pilot: an administrator opens 系统管理 → 数据导入 by keyboard, previews a Chinese-header
file through the shipped profile, imports it, sees the counts and the batch; a file of
another kind is refused with its reason on screen; a counter clerk is told the role."""

from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from tests.factories import make_user
from tests.imports.night import write_night
from tests.ui.pilot import new_app, settle, shown, sign_in, wait_until
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


async def test_a_running_import_shows_progress_and_esc_cancels_it(services, tmp_path) -> None:
    """Esc while the import runs asks the service to stop (the screen stays and says so);
    the outcome is shown when the service returns; Esc with nothing running goes back."""
    import threading

    make_user(services, "admin", "admin", "3304")
    night = write_night(tmp_path / "night")
    reading = threading.Event()
    seen: list[bool] = []
    real_run = services.imports.run
    checked = threading.Event()

    def slow_run(actor, *, progress, cancelled, **form):  # a large file, read slowly
        progress(5000)
        reading.set()
        for _ in range(2000):
            if cancelled():
                seen.append(True)
                checked.wait(10)  # until the test has read the screen
                break
            threading.Event().wait(0.005)
        return real_run(actor, **form, progress=progress, cancelled=lambda: True)

    app = new_app(services)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open(pilot, "admin")
        services.imports.run = slow_run
        await pilot.press(*str(night / "customers.csv"), "f5")
        await wait_until(pilot, reading.is_set, settled=False)
        await wait_until(
            pilot, lambda: "已读取 5,000 行" in shown(screen, "#import-status"), settled=False
        )
        await pilot.press("escape")
        assert "正在取消" in shown(screen, "#import-status")
        assert app.screen is screen  # a running import: Esc cancels, it does not leave
        checked.set()
        await settle(pilot)
        assert seen == [True]
        assert not screen.running
        # this file fits in the one chunk written before the stop: its counts are shown
        assert "新增 4" in shown(screen, "#import-status")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen
