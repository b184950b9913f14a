"""Pilot: leaving a form with something typed (Esc) or quitting (Ctrl+Q) asks first —
Enter / Y goes on, N / Esc stays with what was typed; nothing is asked when nothing was
typed."""

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Select, TabbedContent

from tests.factories import make_customer
from tests.ui.keys import app_for, burst, settle, sign_in
from tui_crm.screens.customer.form import CustomerFormScreen
from tui_crm.screens.home import HomeScreen
from tui_crm.screens.premium.trial import PremiumTrialScreen
from tui_crm.screens.service import ServiceScreen
from tui_crm.storage.models import Customer, SmsMessage
from tui_crm.widgets.confirm_discard import ConfirmDiscardScreen
from tui_crm.widgets.form_dialog import FormDialog

pytestmark = pytest.mark.usefixtures("counter_user")


def _customers(services) -> int:
    with services.database.session() as session:
        return len(session.exec(select(Customer)).all())


def _messages(services) -> int:
    with services.database.session() as session:
        return len(session.exec(select(SmsMessage)).all())


async def test_esc_on_an_untouched_new_customer_leaves_at_once(services) -> None:
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "2", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_esc_with_typed_input_asks_n_stays_y_leaves(services) -> None:
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "2", "李梅", "escape")
        assert isinstance(app.screen, ConfirmDiscardScreen)
        assert "未保存" in str(app.screen.query_one("#confirm-discard-text").render())
        await burst(pilot, "n")
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        assert form.field("name").value == "李梅"  # nothing lost
        await burst(pilot, "escape", "escape")  # Esc in the dialog stays too
        assert app.screen is form
        await burst(pilot, "escape", "y")
        assert isinstance(app.screen, HomeScreen)
        assert _customers(services) == 0


async def test_enter_in_the_dialog_goes_back(services) -> None:
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "2", "tab", "tab", "1990", "escape", "enter")
        assert isinstance(app.screen, HomeScreen)


async def test_edit_asks_only_after_a_change(services) -> None:
    customer = make_customer(services, name="王芳")
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        app.push_screen(CustomerFormScreen(services, app.actor, customer_id=customer))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormScreen) and form.field("name").value == "王芳"
        await burst(pilot, "escape")  # the loaded values are not typed input
        assert isinstance(app.screen, HomeScreen)
        app.push_screen(CustomerFormScreen(services, app.actor, customer_id=customer))
        await settle(pilot)
        await burst(pilot, "end", "丽", "escape")
        assert isinstance(app.screen, ConfirmDiscardScreen)
        await burst(pilot, "n")
        assert isinstance(app.screen, CustomerFormScreen)
        assert app.screen.field("name").value == "王芳丽"


async def test_ctrl_q_with_a_dirty_form_asks(services) -> None:
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "2", "李梅", "ctrl+q")
        assert isinstance(app.screen, ConfirmDiscardScreen)
        await burst(pilot, "n")
        assert isinstance(app.screen, CustomerFormScreen)
        assert app.return_code is None  # still running
        await burst(pilot, "ctrl+q", "y")
        assert app._exit  # quitting


async def test_ctrl_q_with_nothing_typed_quits_at_once(services) -> None:
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "2", "ctrl+q")
        assert not isinstance(app.screen, ConfirmDiscardScreen)
        assert app._exit


async def test_ctrl_q_asks_for_a_typed_trial_and_esc_asks_too(services) -> None:
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "4")
        trial = app.screen
        assert isinstance(trial, PremiumTrialScreen)
        await burst(pilot, "tab", "7")
        await burst(pilot, "ctrl+q")
        assert isinstance(app.screen, ConfirmDiscardScreen)
        await burst(pilot, "n")
        assert app.screen is trial and app.return_code is None
        assert trial.query_one("#f-seats", Input).value == "7"
        await burst(pilot, "escape")
        assert isinstance(app.screen, ConfirmDiscardScreen)
        await burst(pilot, "y")
        assert isinstance(app.screen, HomeScreen)


async def test_an_untouched_trial_leaves_and_quits_at_once(services) -> None:
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "4", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_typed_sms_asks_before_quitting_and_a_sent_one_does_not(services) -> None:
    make_customer(services, "吴军", phone="13812340003")
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "6")
        screen = app.screen
        assert isinstance(screen, ServiceScreen)
        screen.query_one(TabbedContent).active = "tab-sms"
        await settle(pilot)
        screen.query_one("#sms-template", Select).value = "renewal_notice"
        screen.query_one("#sms-customer", Input).focus()
        await burst(pilot, "吴军", "ctrl+q")
        assert isinstance(app.screen, ConfirmDiscardScreen)
        await burst(pilot, "n", "tab", "tab", "plate=浙F1 end_date=12月1日", "ctrl+s")
        assert app.screen is screen
        assert _messages(services) == 1
        await burst(pilot, "escape")  # sent: nothing left to lose
        assert isinstance(app.screen, HomeScreen)


async def test_a_typed_complaint_result_asks_before_esc_throws_it_away(services) -> None:
    counter = services.auth.sign_in("counter", "demo-pass")
    customer = make_customer(services, "吴军", phone="13812340003")
    services.service_log.record(counter, customer, kind="complaint", subject="慢")
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "6")
        app.screen.query_one("#complaints", DataTable).focus()
        await burst(pilot, "r", "已协调", "escape")
        assert isinstance(app.screen, ConfirmDiscardScreen)
        await burst(pilot, "n")
        assert isinstance(app.screen, FormDialog)
        assert app.screen.query_one("#field-resolution", Input).value == "已协调"
        await burst(pilot, "ctrl+q")  # quitting asks as well, from the dialog
        assert isinstance(app.screen, ConfirmDiscardScreen)
        await burst(pilot, "escape", "escape", "y")
        assert isinstance(app.screen, ServiceScreen)
        await burst(pilot, "r", "escape")  # nothing typed: closes at once
        assert isinstance(app.screen, ServiceScreen)
