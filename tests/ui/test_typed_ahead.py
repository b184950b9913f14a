"""Pilot: a burst of keys typed without pauses lands in order in every form — characters
in the field that has the cursor, Tab and Enter moving on before the next key lands."""

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Select, TabbedContent

from tests.factories import make_customer, make_user
from tests.ui.keys import app_for, burst, settle, sign_in
from tui_crm.screens.blacklist.decide import DecideScreen
from tui_crm.screens.blacklist.nominate import NominateDialog
from tui_crm.screens.customer.form import CustomerFormScreen
from tui_crm.screens.customer.view import CustomerScreen
from tui_crm.screens.premium.trial import PremiumTrialScreen
from tui_crm.screens.service import ServiceScreen
from tui_crm.storage.models import BlacklistNomination, BlacklistReview, ServiceContact, SmsMessage

pytestmark = pytest.mark.usefixtures("counter_user")


def _nomination(services) -> BlacklistNomination:
    with services.database.session() as session:
        return session.exec(select(BlacklistNomination)).one()


def _value(screen, selector: str) -> str:
    return screen.query_one(selector, Input).value


async def test_trial_takes_a_burst_in_order(services) -> None:
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        # from the home menu straight on, before the form has even been built
        await burst(pilot, "4", "tab", "5", "tab", "1.6", *["tab"] * 9, "2023-03-01", "enter",
                    "enter", "150000")  # fmt: skip
        screen = app.screen
        assert isinstance(screen, PremiumTrialScreen)
        assert _value(screen, "#f-seats") == "5"
        assert _value(screen, "#f-displacement") == "1.6"
        assert _value(screen, "#f-first_registration") == "2023-03-01"
        assert _value(screen, "#f-purchase_date") == ""
        assert _value(screen, "#f-new_car_price") == "150000"


async def test_new_customer_takes_a_burst_in_order(services) -> None:
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        # name, ID (skipped with Tab), birth date, gender, mobile; Enter in a box is harmless
        await burst(pilot, "2", "李梅", "tab", "tab", "1990-01-01", "enter", "tab", "女", "tab",
                    "13800001111")  # fmt: skip
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        assert form.field("name").value == "李梅"
        assert form.field("id_number").value == ""
        assert form.field("birth_date").value == "1990-01-01"
        assert form.field("gender").value == "女"
        assert form.field("mobile").value == "13800001111"


async def test_edit_takes_a_burst_typed_before_its_values_arrive(services) -> None:
    customer = make_customer(services, "张三", phone="13812345678")
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        app.push_screen(CustomerScreen(services, app.actor, customer))
        await settle(pilot)
        await burst(pilot, "e", "end", "改", "tab", "tab", "tab", "tab", "tab", "0573-1234567")
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        assert form.field("name").value == "张三改"
        assert form.field("landline").value == "0573-1234567"
        assert form.field("mobile").value == "138****5678"


async def test_nominate_and_review_take_a_burst_in_order(services) -> None:
    claims = make_user(services, "claims", "claims")
    make_user(services, "supervisor", "supervisor")
    customer = make_customer(services, "王多赔")
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot, "claims")
        app.push_screen(NominateDialog(services, claims))
        await settle(pilot)
        await burst(pilot, str(customer), "tab", "space", "tab", "骗保证据", "enter")
        assert not isinstance(app.screen, NominateDialog)
    nomination = _nomination(services)
    assert nomination.customer_id == customer and nomination.evidence == "骗保证据"
    assert nomination.id is not None
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot, "supervisor")
        app.push_screen(DecideScreen(services, app.actor, nomination.id))
        await settle(pilot)
        await burst(pilot, "j", "证据不足", "enter")
    nomination = _nomination(services)
    assert nomination.status == "rejected"
    with services.database.session() as session:
        review = session.exec(select(BlacklistReview)).one()
        assert review.comment == "证据不足"


async def test_complaint_and_sms_take_a_burst_in_order(services) -> None:
    counter = services.auth.sign_in("counter", "demo-pass")
    customer = make_customer(services, "吴军", phone="13812340003")
    services.service_log.record(counter, customer, kind="complaint", subject="慢")
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "6")
        screen = app.screen
        assert isinstance(screen, ServiceScreen)
        screen.query_one("#complaints", DataTable).focus()
        await burst(pilot, "r", "已协调，客户认可", "enter", "5", "enter")
        screen.query_one(TabbedContent).active = "tab-sms"
        await settle(pilot)
        screen.query_one("#sms-template", Select).value = "renewal_notice"
        screen.query_one("#sms-customer", Input).focus()
        await burst(pilot, "吴军", "tab", "tab", "plate=浙F1 end_date=12月1日", "ctrl+s")
    with services.database.session() as session:
        complaint = session.exec(select(ServiceContact)).one()
        assert complaint.complaint_status == "resolved" and complaint.satisfaction == 5
        assert "已协调，客户认可" in complaint.notes
        assert "吴军" in session.exec(select(SmsMessage)).one().body
