"""Pilot: a manager hands a leaver's customers over to two colleagues by keyboard (a dry
run first, y confirms), then gives one customer to someone."""

from sqlmodel import select
from textual.widgets import DataTable

from tests.factories import make_customer, make_user
from tests.ui.pilot import new_app, settle, shown, sign_in
from tui_crm.screens.branch.managers import ManagersScreen
from tui_crm.storage.models import Customer, StaffUser


async def test_handover_by_keyboard(services) -> None:
    leaver = make_user(services, "am_old", "account_manager")
    make_user(services, "am_a", "account_manager")
    taker_b = make_user(services, "am_b", "account_manager")
    make_user(services, "manager", "manager", "3304")
    ids = [make_customer(services, f"客户{i}", account_manager_id=leaver.id) for i in range(4)]
    with services.database.session() as session:
        staff = session.get(StaffUser, leaver.id)
        staff.active = False
        session.add(staff)
        session.commit()
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "manager")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"kehujingli", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ManagersScreen)
        first = [str(c) for c in app.screen.query_one(DataTable).get_row_at(0)]
        assert first[0] == "am_old" and first[4] == "已停用" and first[5] == "4"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"am_a,am_b", "enter", "enter", *"离职", "enter")
        await settle(pilot)
        assert "将移交 am_old 的 4 位客户：am_a 2、am_b 2" in shown(app.screen, "#managers-status")
        with services.database.session() as session:  # a dry run so far
            assert set(session.exec(select(Customer.account_manager_id)).all()) == {leaver.id}
        await pilot.press("y")
        await settle(pilot)
        assert "已移交 4 位客户" in shown(app.screen, "#managers-status")
        with services.database.session() as session:
            assert leaver.id not in session.exec(select(Customer.account_manager_id)).all()
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*str(ids[0]), "enter", *"am_b", "enter", "enter")
        await settle(pilot)
        assert "已指定客户经理" in shown(app.screen, "#managers-status")
        with services.database.session() as session:
            assert session.get(Customer, ids[0]).account_manager_id == taker_b.id
