"""Pilot: a manager reads the registry prospects, re-sorts, exports them and opens the
conflicts between units."""

from textual.widgets import DataTable

from tests.factories import make_user
from tests.registry.book import build, write_csv
from tests.ui.pilot import new_app, settle, shown, sign_in
from tui_crm.screens.registry.conflicts import ConflictsScreen
from tui_crm.screens.registry.prospects import ProspectsScreen


async def test_prospects_sort_export_conflicts(services, tmp_path, monkeypatch) -> None:
    build(services)
    admin = make_user(services, "adm", "admin", "3304")
    make_user(services, "manager", "manager", "3304")
    services.registry.import_file(admin, write_csv(tmp_path / "registry.csv"))
    monkeypatch.chdir(tmp_path)
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await sign_in(pilot, "manager")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"shehui", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProspectsScreen)
        table = app.screen.query_one(DataTable)
        plates = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert set(plates) == {"浙F22222", "浙F40404", "浙F60001", "浙F60002", "浙F60003"}
        assert "按预计到期" in shown(app.screen, "#prospects-status")
        await pilot.press("s")
        await settle(pilot)
        assert "按机构" in shown(app.screen, "#prospects-status")
        await pilot.press("e")
        await settle(pilot)
        assert "已导出" in shown(app.screen, "#prospects-status")
        assert (tmp_path / "registry_prospects.csv").exists()
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        assert app.screen.query_one(DataTable).row_count >= 2
        assert "赵四" in " ".join(
            str(app.screen.query_one(DataTable).get_row_at(i)[1])
            for i in range(app.screen.query_one(DataTable).row_count)
        )
