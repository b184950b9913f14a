"""Pilot: a whole counter visit typed in bursts — search by the phone's last digits, the
360 view, a new car's quote, the proposal form printed, the visit logged — with no key
lost: the screens show and the database holds what was typed."""

from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input

from tests.factories import make_customer
from tests.ui.keys import app_for, burst, settle, sign_in
from tests.ui.pilot import wait_until
from tui_crm.screens.customer.view import CustomerScreen
from tui_crm.screens.home import HomeScreen
from tui_crm.screens.premium.trial import PremiumTrialScreen
from tui_crm.screens.search import SearchScreen
from tui_crm.screens.service import ServiceScreen
from tui_crm.storage.models import ServiceContact

pytestmark = pytest.mark.usefixtures("counter_user")


async def test_a_counter_visit_in_bursts(services, tmp_path: Path) -> None:
    customer = make_customer(services, "王芳", phone="13800009876")
    app = app_for(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "f3", "9876")
        search = app.screen
        assert isinstance(search, SearchScreen)
        await wait_until(pilot, lambda: search._timer is None and search.shown_query == "9876")
        await burst(pilot, "enter")
        assert isinstance(app.screen, CustomerScreen) and app.screen.customer_id == customer
        await burst(pilot, "t")
        trial = app.screen
        assert isinstance(trial, PremiumTrialScreen)
        trial.query_one("#f-seats", Input).focus()
        await burst(pilot, "5", "tab", "1.6")
        trial.query_one("#f-new_car").focus()
        await burst(pilot, "space")
        trial.query_one("#f-new_car_price", Input).focus()
        await burst(pilot, "150000")
        assert trial.query_one("#f-seats", Input).value == "5"
        assert trial.query_one("#f-displacement", Input).value == "1.6"
        assert trial.query_one("#f-new_car_price", Input).value == "150000"
        assert trial.result is not None
        rows = {
            str(row[0]): str(row[1])
            for row in (trial.query_one("#breakdown", DataTable).get_row_at(i)
                        for i in range(trial.query_one("#breakdown", DataTable).row_count))
        }  # fmt: skip
        assert "新车（未上牌）" in rows and rows["交强险保费"] == "950.00"
        trial.folder = str(tmp_path)
        await burst(pilot, "f9", "enter")
        await wait_until(pilot, lambda: any(tmp_path.rglob("*.xlsx")), "the proposal form")
        await burst(pilot, "escape", "escape", "escape", "escape")  # search: clear, then home
        assert isinstance(app.screen, HomeScreen)
        await burst(pilot, "6", "2")
        service = app.screen
        assert isinstance(service, ServiceScreen)
        service.query_one("#record-customer", Input).focus()
        await burst(pilot, "王芳", "tab", "tab", "新车投保已出投保单", "ctrl+s")
        await settle(pilot)
    with services.database.session() as session:
        contacts = session.exec(select(ServiceContact).order_by(ServiceContact.id)).all()
    assert len(contacts) == 2  # the proposal form in the history, then the visit
    assert all(c.customer_id == customer for c in contacts)
    assert contacts[-1].subject == "新车投保已出投保单"
