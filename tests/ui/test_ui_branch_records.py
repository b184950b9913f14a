"""Pilot: the branch's own records by keyboard — an intermediary added and a bad rate
refused under its field, a permission granted in the matrix, a typhoon recorded and its
worklist shown."""

from datetime import date
from decimal import Decimal

from sqlmodel import select
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from tests.factories import make_customer, make_policy, make_user
from tests.ui.pilot import new_app, settle, shown, sign_in
from tui_crm.screens.branch.disasters import DisastersScreen
from tui_crm.screens.branch.intermediaries import IntermediariesScreen
from tui_crm.screens.branch.permissions import PermissionsScreen
from tui_crm.storage.models import CatastropheDistrict, Intermediary, RolePermission
from tui_crm.widgets.form_dialog import FormDialog


async def _open(pilot, keyword: str) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*keyword, "enter")
    await settle(pilot)


async def test_intermediary_added_and_bad_rate_refused(services) -> None:
    make_user(services, "manager", "manager", "3304")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "manager")
        await _open(pilot, "zhongjie")
        assert isinstance(app.screen, IntermediariesScreen)
        await pilot.press("n")
        await settle(pilot)
        for text in ("AG-001", "嘉兴代理", "agency", "330402", "0.15", "LIC-1"):
            await pilot.press(*text, "enter")
        await pilot.press("enter")  # active: yes as offered
        await settle(pilot)
        assert isinstance(app.screen, IntermediariesScreen)
        assert "已保存" in shown(app.screen, "#records-status")
        row = [str(c) for c in app.screen.query_one(DataTable).get_row_at(0)]
        assert row[:2] == ["AG-001", "嘉兴代理"] and row[4] == "15.00%"
        await pilot.press("enter")  # correct it: a rate of 15 is a slip for 0.15
        await settle(pilot)
        for _ in range(4):
            await pilot.press("enter")
        await pilot.press(*["backspace"] * 8, *"15", "enter", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert "0.15" in shown(app.screen, "#error-commission_rate")
        await pilot.press("escape")
        await settle(pilot)
    with services.database.session() as session:
        assert session.exec(select(Intermediary.commission_rate)).one() == Decimal("0.15")


async def test_admin_grants_a_permission_in_the_matrix(services) -> None:
    make_user(services, "admin", "admin", "3304")
    app = new_app(services)
    async with app.run_test(size=(160, 60)) as pilot:
        await sign_in(pilot, "admin")
        await _open(pilot, "quanxian")
        assert isinstance(app.screen, PermissionsScreen)
        matrix = app.screen.matrix
        row = matrix.permissions.index("customer.assign")
        column = matrix.roles.index("supervisor") + 1
        await pilot.press(*["down"] * row, *["right"] * column, "space")
        await settle(pilot)
        assert "已授予" in shown(app.screen, "#permissions-status")
        cell = app.screen.query_one(DataTable).get_cell_at(Coordinate(row, column))
        assert str(cell) == "✓"
    with services.database.session() as session:
        assert session.get(RolePermission, ("supervisor", "customer.assign")) is not None


async def test_typhoon_recorded_and_worklist(services) -> None:
    make_user(services, "manager", "manager", "3304")
    struck = make_customer(services, "受灾客户", unit_code="330402")
    make_policy(services, struck, date(2026, 1, 1))
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "manager")
        await _open(pilot, "zaihai")
        assert isinstance(app.screen, DisastersScreen)
        await pilot.press("n")
        await settle(pilot)
        for text in ("台风", "typhoon", "2026-07-25", "2026-07-27", "", "330402 330411"):
            await pilot.press(*text, "enter")
        await settle(pilot)
        assert "已保存" in shown(app.screen, "#records-status")
        await pilot.press("w")
        await settle(pilot)
        assert f"待回访 1 位：{struck} 受灾客户" in shown(app.screen, "#records-status")
    with services.database.session() as session:
        codes = session.exec(select(CatastropheDistrict.district_code)).all()
    assert sorted(codes) == ["330402", "330411"]
