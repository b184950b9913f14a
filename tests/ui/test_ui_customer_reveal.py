"""One reveal key in the customer 360 view: Ctrl+R shows the full ID and phones in the
header and on every tab, audited once; roles that may not reveal are refused."""

from sqlmodel import select
from textual.widgets import DataTable

from tests.factories import make_customer, make_user
from tests.ui.pilot import new_app, settle, shown, sign_in, wait_until
from tui_crm.screens.customer.view import CustomerScreen
from tui_crm.storage.models import AuditLog


async def _open_customer(pilot, services, username: str) -> CustomerScreen:
    await sign_in(pilot, username)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press(*"13812345678", "enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CustomerScreen), "the 360")
    await settle(pilot)
    return pilot.app.screen


def _phones_on_contacts_tab(screen: CustomerScreen) -> list[str]:
    table = screen.query_one("#table-contacts", DataTable)
    return [table.get_row_at(i)[1].plain for i in range(table.row_count)]


def _reveals(services) -> list[str | None]:
    with services.database.session() as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action == "reveal")).all()
        return [row.entity_id for row in rows]


async def test_ctrl_r_reveals_header_and_contacts_tab_with_one_audit_row(services) -> None:
    make_user(services, "counter", "counter")
    zhang = make_customer(services, "张三", id_number="330402199001011234", phone="13812345678")
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_customer(pilot, services, "counter")
        await pilot.press("5")
        await settle(pilot)
        assert _phones_on_contacts_tab(screen) == ["138****5678"]
        assert "Ctrl+R" in shown(screen, "#summary-contacts")
        await pilot.press("ctrl+r")
        await settle(pilot)
        header = shown(screen, "#customer-header")
        assert "330402199001011234" in header and "13812345678" in header
        assert _phones_on_contacts_tab(screen) == ["13812345678"]
        await pilot.press("f5")  # a reload keeps what was revealed on every tab
        await settle(pilot)
        assert _phones_on_contacts_tab(screen) == ["13812345678"]
    assert _reveals(services) == [str(zhang)]


async def test_a_role_that_may_not_reveal_is_refused_and_nothing_is_audited(services) -> None:
    make_user(services, "manager", "manager")
    make_customer(services, "张三", id_number="330402199001011234", phone="13812345678")
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_customer(pilot, services, "manager")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "13812345678" not in shown(screen, "#customer-header")
        assert any("pii.reveal" in str(n.message) for n in app._notifications)
    assert _reveals(services) == []
