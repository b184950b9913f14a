"""Pilot: the premium trial shows words, not stored codes, in its choices."""

from textual.widgets import Select

from tests.factories import make_user
from tests.ui.pilot import new_app, settle, sign_in
from tui_crm.screens.premium.trial import PremiumTrialScreen


async def test_region_choice_reads_as_a_place_name(services) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PremiumTrialScreen)
        region = screen.query_one("#f-region", Select)
        prompts = [str(prompt) for prompt, _value in region._options]
        assert "浙江" in prompts and "zhejiang" not in prompts
        assert region.value == "zhejiang"  # the stored code stays the value
