"""Pilot: record a complaint by keyboard, resolve it from the queue, send an SMS."""

from sqlmodel import select
from textual.widgets import DataTable, Static

from tests.factories import PASSWORD, make_customer, make_user
from tui_crm.app import make_app
from tui_crm.config import Settings
from tui_crm.screens.service import ServiceScreen
from tui_crm.storage.models import ServiceContact, SmsMessage
from tui_crm.widgets.form_dialog import FormDialog


async def _open_service(services):  # type: ignore[no-untyped-def]
    app = make_app(
        Settings(database_url="sqlite://", fast_hash=True), services.database, services=services
    )
    return app


async def test_record_and_resolve_a_complaint(sqlite_database) -> None:  # type: ignore[no-untyped-def]
    from tui_crm.services.container import make_services

    services = make_services(sqlite_database, fast_hash=True)
    make_user(services, "counter", "counter")
    make_customer(services, "周杰", phone="13812340001")
    make_customer(services, "周星", phone="13812340002")
    app = await _open_service(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"counter", "enter", *PASSWORD, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ServiceScreen)
        screen.query_one("TabbedContent").active = "tab-record"
        await pilot.pause()
        screen.query_one("#record-customer").focus()
        await pilot.press(*"周")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Two customers match: the clerk is told so next to the field.
        assert "2" in str(screen.query_one("#record-customer-error", Static).render())
        await pilot.press("space", *"0002")
        screen.query_one("#record-kind").value = "complaint"
        screen.query_one("#record-subject").focus()
        await pilot.press(*"理赔太慢", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "周星" in str(screen.query_one("#record-customer-error", Static).render())
        screen.query_one("TabbedContent").active = "tab-complaints"
        await pilot.pause()
        table = screen.query_one("#complaints", DataTable)
        assert table.row_count == 1
        table.focus()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"已协调", "enter", "5", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 0
    with services.database.session() as session:
        complaint = session.exec(select(ServiceContact)).one()
        assert complaint.complaint_status == "resolved" and complaint.satisfaction == 5


async def test_sms_preview_and_send(sqlite_database) -> None:  # type: ignore[no-untyped-def]
    from tui_crm.services.container import make_services

    services = make_services(sqlite_database, fast_hash=True)
    make_user(services, "counter", "counter")
    make_customer(services, "吴军", phone="13812340003")
    app = await _open_service(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"counter", "enter", *PASSWORD, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        screen.query_one("TabbedContent").active = "tab-sms"
        await pilot.pause()
        screen.query_one("#sms-customer").focus()
        await pilot.press(*"吴军")
        screen.query_one("#sms-template").value = "disaster_warning"
        await pilot.pause()
        assert "event" in str(screen.query_one("#sms-error", Static).render())
        screen.query_one("#sms-values").focus()
        await pilot.press(*"event=台风", "ctrl+s")
        await pilot.pause()
        preview = str(screen.query_one("#sms-preview", Static).render())
        assert "138****0003" in preview and "台风" in preview
    with services.database.session() as session:
        sms = session.exec(select(SmsMessage)).one()
        assert "吴军" in sms.body and sms.phone == "13812340003"
