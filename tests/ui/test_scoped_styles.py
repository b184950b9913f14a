"""Pilot: one area's stylesheet never styles another screen — after every area has been
opened once, the input boxes of each form are still there to type in."""

import pytest
from textual.errors import NoWidget
from textual.widgets import Input

from tests.ui.keys import app_for, settle, sign_in
from tui_crm.screens.customer.form import CustomerFormScreen
from tui_crm.screens.home import HomeScreen
from tui_crm.screens.premium.trial import PremiumTrialScreen
from tui_crm.screens.service import ServiceScreen

pytestmark = pytest.mark.usefixtures("counter_user")


def _flat_inputs(screen) -> list[str]:
    """Inputs on show that have no room to type in."""
    flat = []
    for field in screen.query(Input):
        if not all(node.display for node in field.ancestors_with_self if node is not screen.app):
            continue  # on a tab not shown
        try:
            placed = screen.find_widget(field)
        except NoWidget:
            flat.append(str(field.id))
            continue
        if placed.region.intersection(placed.clip).height == 0:
            flat.append(str(field.id))
    return flat


async def test_every_form_keeps_its_input_boxes_after_every_area(services) -> None:
    app = app_for(services)
    async with app.run_test(size=(120, 60)) as pilot:  # tall enough for the longest form
        await sign_in(pilot)
        for key in "21345674":  # every stylesheet loaded, the trial's last
            await pilot.press(key)
            await settle(pilot)
            while not isinstance(app.screen, HomeScreen):
                app.pop_screen()
                await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, CustomerFormScreen)
        assert app.screen.query(Input) and not _flat_inputs(app.screen)
        app.pop_screen()
        for key, kind in (("4", PremiumTrialScreen), ("6", ServiceScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, kind)
            assert app.screen.query(Input) and not _flat_inputs(app.screen)
            app.pop_screen()
            await settle(pilot)
