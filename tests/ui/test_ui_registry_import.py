"""Pilot: an administrator opens 社会车辆导入 from the command palette, imports a
Chinese-header GB18030 registry extract with the shipped profile, and sees the counts; a
bad snapshot date and an unknown profile file are told next to the form."""

from sqlmodel import select
from textual.widgets import Input

from tests.factories import make_user
from tests.registry.book import build, write_zh
from tests.ui.pilot import new_app, settle, shown, sign_in, wait_until
from tui_crm.screens.registry.import_file import RegistryImportScreen
from tui_crm.storage.models import RegistryRecord


async def test_import_a_chinese_extract_by_keyboard(services, tmp_path) -> None:
    build(services)
    make_user(services, "admin", "admin", "3304")
    path = write_zh(tmp_path / "社会车辆.csv")
    app = new_app(services)
    async with app.run_test(size=(160, 40)) as pilot:
        await sign_in(pilot, "admin")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"registry import", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegistryImportScreen)
        assert screen.query_one("#registry-file", Input).has_focus
        await pilot.press(*str(path), "tab", "tab", *str(tmp_path / "none.toml"), "f5")
        await settle(pilot)
        assert "none.toml" in shown(screen, "#registry-import-message")
        screen.query_one("#registry-profile-file", Input).value = ""
        screen.query_one("#registry-snapshot", Input).value = "2026-13-01"
        await pilot.press("f5")
        await settle(pilot)
        assert "YYYY-MM-DD" in shown(screen, "#registry-import-message")
        screen.query_one("#registry-snapshot", Input).value = "2026-11-25"
        await pilot.press("f5")
        await settle(pilot)
        await wait_until(pilot, lambda: "完成" in shown(screen, "#registry-import-status"))
        status = shown(screen, "#registry-import-status")
        assert "读取 13" in status and "拒绝 5" in status and "新增游离客户 1" in status
    with services.database.session() as session:
        records = session.exec(select(RegistryRecord)).all()
    assert len(records) == 8
    assert {r.make_model for r in records} == {"大众 朗逸 1.5L"}
