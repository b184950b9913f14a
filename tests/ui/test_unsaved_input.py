"""Pilot: leaving a form with something typed (Esc) or quitting (Ctrl+Q) asks first —
Enter / Y goes on, N / Esc stays with what was typed; nothing is asked when nothing was
typed."""

import pytest
from sqlmodel import select

from tests.factories import make_customer, make_user
from tests.ui.keys import app_for, burst, settle, sign_in
from tui_crm.screens.confirm_discard import ConfirmDiscardScreen
from tui_crm.screens.customer.form import CustomerFormScreen
from tui_crm.screens.home import HomeScreen
from tui_crm.services.container import make_services
from tui_crm.storage.models import Customer


@pytest.fixture
def services(sqlite_database, clock):
    services = make_services(sqlite_database, clock=clock, fast_hash=True)
    make_user(services, "counter", "counter")
    return services


def _customers(services) -> int:
    with services.database.session() as session:
        return len(session.exec(select(Customer)).all())


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
