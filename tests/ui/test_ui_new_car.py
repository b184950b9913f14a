"""Pilot: a new car's trial by keyboard — 新车 ticked, no first registration — shows the
车船税 from the start month, the undepreciated actual value and the 新车（未上牌）line."""

from textual.widgets import DataTable

from tests.factories import make_user
from tests.ui.pilot import new_app, settle, shown, sign_in
from tui_crm.screens.premium.trial import PremiumTrialScreen


async def _tab_to(pilot, name: str) -> None:
    for _ in range(60):
        if pilot.app.focused is not None and pilot.app.focused.id == f"f-{name}":
            return
        await pilot.press("tab")
    raise AssertionError(f"never reached {name}")


async def _type(pilot, name: str, text: str) -> None:
    await _tab_to(pilot, name)
    await pilot.press(*text)
    await settle(pilot)


async def test_new_car_trial_by_keyboard(services) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PremiumTrialScreen)
        await _type(pilot, "seats", "5")
        await _type(pilot, "displacement", "1.6")
        await _tab_to(pilot, "new_car")
        await pilot.press("space")
        await _type(pilot, "new_car_price", "150000")
        await _type(pilot, "start", "2027-03-10")
        await _tab_to(pilot, "cov_damage")
        await pilot.press("space")
        await settle(pilot)
        table = screen.query_one("#breakdown", DataTable)
        rows = {
            str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)]
            for i in range(table.row_count)
        }
        # 300 a year × 10 months (March..December) / 12; damage (270 + 975) / 0.75 × NCD 1.00
        assert rows["车船税"][1] == "250.00"
        assert rows["实际价值"][1] == "150,000.00"
        assert "新车（未上牌）" in rows
        assert rows["机动车损失保险"][1] == "1,660.00"
        assert rows["合计"][1] == "2,860.00"  # 950 + 250 + 1660
        assert shown(screen, "#e-first_registration") == ""
        # a first registration with 新车 ticked is named at its field
        await _type(pilot, "first_registration", "2027-03-01")
        assert "新车（未上牌）没有初次登记日期" in shown(screen, "#e-first_registration")
