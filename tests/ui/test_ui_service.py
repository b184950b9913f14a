"""Pilot: record a complaint by keyboard, resolve it from the queue, send an SMS."""

from sqlmodel import select
from textual.widgets import DataTable, Input, Select, TabbedContent

from tests.factories import make_customer, make_user
from tests.ui.pilot import new_app, settle, shown, sign_in
from tui_crm.screens.service import ServiceScreen
from tui_crm.storage.models import ServiceContact, SmsMessage
from tui_crm.widgets.form_dialog import FormDialog


async def test_record_and_resolve_a_complaint(services) -> None:
    make_user(services, "counter", "counter")
    make_customer(services, "周杰", phone="13812340001")
    make_customer(services, "周星", phone="13812340002")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ServiceScreen)
        screen.query_one("TabbedContent", TabbedContent).active = "tab-record"
        await pilot.pause()
        screen.query_one("#record-customer").focus()
        await pilot.press(*"周")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Two customers match: the clerk is told so next to the field.
        assert "2" in shown(screen, "#record-customer-error")
        await pilot.press("space", *"0002")
        screen.query_one("#record-kind", Select).value = "complaint"
        screen.query_one("#record-subject").focus()
        await pilot.press(*"理赔太慢", "ctrl+s")
        await settle(pilot)
        assert "周星" in shown(screen, "#record-customer-error")
        screen.query_one("TabbedContent", TabbedContent).active = "tab-complaints"
        await pilot.pause()
        table = screen.query_one("#complaints", DataTable)
        assert table.row_count == 1
        table.focus()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"已协调", "enter", "5", "enter")
        await settle(pilot)
        assert table.row_count == 0
    with services.database.session() as session:
        complaint = session.exec(select(ServiceContact)).one()
        assert complaint.complaint_status == "resolved" and complaint.satisfaction == 5


async def test_sms_preview_and_send(services) -> None:
    make_user(services, "counter", "counter")
    make_customer(services, "吴军", phone="13812340003")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        screen.query_one("TabbedContent", TabbedContent).active = "tab-sms"
        await pilot.pause()
        screen.query_one("#sms-customer").focus()
        await pilot.press(*"吴军")
        screen.query_one("#sms-template", Select).value = "disaster_warning"
        await pilot.pause()
        assert "event" in shown(screen, "#sms-error")
        screen.query_one("#sms-values").focus()
        await pilot.press(*"event=台风", "ctrl+s")
        await pilot.pause()
        preview = shown(screen, "#sms-preview")
        assert "138****0003" in preview and "台风" in preview
    with services.database.session() as session:
        sms = session.exec(select(SmsMessage)).one()
        assert "吴军" in sms.body and sms.phone == "13812340003"


async def test_number_keys_switch_tabs_and_the_labels_show_them(services) -> None:
    from textual.widgets import Tab

    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ServiceScreen)
        labels = [str(tab.label) for tab in screen.query(Tab)]
        assert labels == ["1 投诉处理", "2 记录服务", "3 短信", "4 服务统计", "5 短信回复"]
        tabs = screen.query_one(TabbedContent)
        await pilot.press("4")
        await settle(pilot)
        assert tabs.active == "tab-summary"
        await pilot.press("1")
        await settle(pilot)
        assert tabs.active == "tab-complaints"


async def test_refused_resolution_keeps_what_was_typed(services) -> None:
    counter = make_user(services, "counter", "counter")
    customer = make_customer(services, "郑强", phone="13812340004")
    services.service_log.record(counter, customer, kind="complaint", subject="理赔太慢")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        screen.query_one("TabbedContent", TabbedContent).active = "tab-complaints"
        await pilot.pause()
        screen.query_one("#complaints", DataTable).focus()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"已协调", "enter", "9", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#field-resolution", Input).value == "已协调"
        assert dialog.query_one("#field-satisfaction", Input).value == "9"
        assert "1–5" in shown(dialog, "#error-satisfaction")
        dialog.query_one("#field-satisfaction", Input).value = "好"
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#field-satisfaction", Input).value == "好"
        assert "1–5" in shown(dialog, "#error-satisfaction")
    with services.database.session() as session:
        assert session.exec(select(ServiceContact)).one().complaint_status == "open"
