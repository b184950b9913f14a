"""Pilot: a customer's SMS reply shows on the service screen's reply tab (key 5)."""

from textual.widgets import DataTable, TabbedContent

from tests.factories import make_customer, make_user
from tests.ui.pilot import new_app, settle, sign_in
from tui_crm.services.sms import InboundEvent


async def test_replies_show_in_the_inbox_tab(services) -> None:
    make_user(services, "am", "account_manager")
    gateway = make_user(services, "sms_gw", "gateway", "3304")
    make_customer(services, "郑[bold]红", phone="13812340009")
    services.sms_inbox.take(
        gateway, [InboundEvent(kind="reply", phone="13812340009", body="请[red]回电")]
    )
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "am")
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        await pilot.press("5")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "tab-inbox"
        table = screen.query_one("#inbox", DataTable)
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[1:] == ["郑[bold]红", "138****0009", "请[red]回电", "待办"]
