"""Pilot: a full premium trial by keyboard that ends in a saved proposal form read back
with openpyxl; messages next to their fields; a trial prefilled from a customer's vehicle
taking its new-car price from the vehicle price table (F4)."""

from datetime import date
from decimal import Decimal

import openpyxl
from textual.widgets import DataTable, Input, OptionList, Select

from tests.factories import make_customer, make_user, make_vehicle
from tests.ui.pilot import new_app, settle, shown, sign_in
from tui_crm.screens.premium.trial import PremiumTrialScreen, open_trial
from tui_crm.screens.premium.vehicle_prices import VehiclePriceScreen


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


def _table(screen) -> list[list[str]]:
    table = screen.query_one("#breakdown", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_full_trial_by_keyboard_ends_in_a_saved_proposal(services, tmp_path) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PremiumTrialScreen)
        assert app.focused is not None and app.focused.id == "f-use"
        await _type(pilot, "seats", "12")
        assert "家庭自用汽车没有 12座 的费率档" in shown(screen, "#e-seats")
        await pilot.press("backspace", "backspace", "5")
        await _type(pilot, "displacement", "1.6")
        assert shown(screen, "#e-seats") == ""
        await _type(pilot, "first_registration", "2024-03-10")
        await _type(pilot, "new_car_price", "150000")
        await _tab_to(pilot, "start")
        await pilot.press(*"2027-01-10")
        await _type(pilot, "claim_free_years", "1")
        await _type(pilot, "self_pricing", "1.6")
        assert "自主定价系数应在 0.5 到 1.5 之间" in shown(screen, "#e-self_pricing")
        await pilot.press("backspace", "backspace", "backspace", *"0.9")
        await settle(pilot)
        await _tab_to(pilot, "cov_damage")
        await pilot.press("space")
        await _tab_to(pilot, "cov_third_party")
        await pilot.press("enter")  # open the list, type to find 100万, take it
        await pilot.press(*"100", "enter")
        await settle(pilot)
        assert screen.query_one("#f-cov_third_party", Select).value == "1000000"
        rows = _table(screen)
        amounts = {row[0]: row[1] for row in rows}
        # 交强险 950 × 0.90; 车船税 300; damage on 150000 × (1 − 34 × 0.6%) = 119400:
        # (270 + 0.0065 × 119400) / 0.75 = 1394.80 × 0.80 × 0.90 = 1004.256 → 1004.26
        assert amounts["交强险保费"] == "855.00" and amounts["车船税"] == "300.00"
        assert amounts["机动车损失保险"] == "1,004.26"
        assert amounts["第三者责任保险"] == "672.00"  # 933.33 × 0.72 = 671.9976
        assert amounts["合计"] == "2,831.26"  # money reads one way: separators, two decimals
        assert "2,831.26" in shown(screen, "#premium-total")
        assert "估算" in shown(screen, "#premium-estimate")
        await pilot.press("f9")
        await pilot.pause()
        folder = tmp_path / "forms"
        await pilot.press("ctrl+u", *str(folder), "enter")
        await settle(pilot)
        saved = list(folder.glob("*.xlsx"))
        assert len(saved) == 1 and "投保单已保存" in shown(screen, "#premium-status")
        cells = [
            c
            for row in openpyxl.load_workbook(saved[0]).active.iter_rows(values_only=True)
            for c in row
            if c
        ]
        assert cells[0] == "机动车保险投保单"
        assert "自 2027年1月10日 零时起至 2028年1月9日 二十四时止" in cells
        assert "机动车损失保险" in cells and "第三者责任保险" in cells
        total = cells[cells.index("合计（人民币）") + 1]
        assert screen.result is not None
        assert Decimal(str(total)) == screen.result.total


async def test_prefilled_trial_takes_the_price_from_the_table(services) -> None:
    clerk = make_user(services, "counter", "counter")
    editor = make_user(services, "uw", "underwriter")
    services.vehicle_prices.add(
        editor,
        {
            "brand": "大众",
            "make_model": "朗逸 1.5L",
            "model_year": "2024",
            "seats": "5",
            "displacement": "1.5",
            "price": "129900",
        },
    )
    customer = make_customer(services, "李四")
    vehicle = make_vehicle(
        services,
        customer,
        "浙F54321",
        displacement=Decimal("1.5"),
        first_registration=date(2025, 6, 1),
    )
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        app.push_screen(open_trial(services, clerk, customer_id=customer, vehicle_id=vehicle))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PremiumTrialScreen)
        assert "李四" in shown(screen, "#premium-who") and "浙F54321" in shown(
            screen, "#premium-who"
        )
        assert screen.query_one("#f-seats", Input).value == "5"
        assert screen.query_one("#f-first_registration", Input).value == "2025-06-01"
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, VehiclePriceScreen)
        await pilot.press(*"ly")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one("#f-new_car_price", Input).value == "129,900.00"
        assert "129,900.00" in shown(screen, "#premium-status")
        assert screen.result is not None
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PremiumTrialScreen)


async def test_a_role_without_quotes_is_told_so(services) -> None:
    make_user(services, "claims", "claims")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "claims")
        home = app.screen
        assert "无权限" in shown(home, "#area-premium")
        await pilot.press("4")
        await settle(pilot)
        assert app.screen is home and not isinstance(app.screen, PremiumTrialScreen)
        assert "理赔人员" in shown(home, "#notice") and "不能使用“保费试算”" in shown(
            home, "#notice"
        )


async def test_trial_for_a_customer_offers_the_vehicles_to_choose_from(services) -> None:
    from tui_crm.screens.premium.vehicle_choice import VehicleChoiceDialog

    clerk = make_user(services, "counter", "counter")
    customer = make_customer(services, "李四")
    make_vehicle(services, customer, "浙F22222", displacement=Decimal("1.5"))
    make_vehicle(services, customer, "浙FD33333", seats=7, displacement=Decimal("2.0"))
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        app.push_screen(open_trial(services, clerk, customer_id=customer))
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, VehicleChoiceDialog)
        choices = [str(o.prompt) for o in dialog.query_one("#vehicle-choices", OptionList).options]
        assert [s.split(" ", 1)[1] for s in choices] == ["浙F22222", "浙FD33333"]
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PremiumTrialScreen)
        assert "浙FD33333" in shown(screen, "#premium-who")
        assert screen.query_one("#f-seats", Input).value == "7"
