"""Pilot at 80×24 (and 120×32): the premium trial shows whole amounts as soon as it shows
a result."""

from datetime import date
from decimal import Decimal

import pytest
from textual.widgets import DataTable

from tests.factories import make_customer, make_user, make_vehicle
from tests.ui.pilot import new_app, settle, sign_in
from tui_crm.screens.premium.trial import PremiumTrialScreen, open_trial


def _painted(table: DataTable) -> str:
    """The lines the table paints, as a reader sees them."""
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


@pytest.mark.parametrize("size", [(80, 24), (120, 32)])
async def test_trial_amounts_are_whole_on_first_render(services, size) -> None:
    clerk = make_user(services, "counter", "counter")
    customer = make_customer(services, "李四")
    vehicle = make_vehicle(
        services,
        customer,
        "浙F54321",
        displacement=Decimal("1.5"),
        first_registration=date(2025, 6, 1),
    )
    app = new_app(services)
    async with app.run_test(size=size) as pilot:
        await sign_in(pilot, "counter")
        app.push_screen(open_trial(services, clerk, customer_id=customer, vehicle_id=vehicle))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PremiumTrialScreen) and screen.result is not None
        table = screen.query_one("#breakdown", DataTable)
        amounts = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "950.00" in amounts
        painted = _painted(table)
        for amount in amounts:
            assert amount in painted, painted
