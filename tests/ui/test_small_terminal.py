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


async def test_report_table_keeps_its_header_and_room_at_80x24(services) -> None:
    from tests.reports.book import build_book
    from tests.ui.test_ui_reports import _open_product_form, _type
    from tui_crm.screens.reports.result import ReportResultScreen
    from tui_crm.widgets.report_table import ReportTable

    build_book(services)
    app = new_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_product_form(pilot)
        await _type(pilot, "2026-01-01")
        await pilot.press("enter")
        await _type(pilot, "2026-06-30")
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportResultScreen)
        table = screen.query_one(ReportTable).table
        assert screen.scroll_y == 0 and screen.max_scroll_y == 0  # nothing pushed off
        assert table.region.height >= 8  # header and at least seven rows
        assert table.region.bottom <= 23  # above the footer, wholly on screen
        assert "企业财产险" in _painted(table).splitlines()[1]  # header, then the first row


@pytest.mark.parametrize("size", [(80, 24), (120, 32)])
async def test_home_footer_shows_whole_keys_lock_and_help_first(services, size) -> None:
    from textual.widgets._footer import FooterKey

    from tui_crm.screens.key_help import KeyHelpScreen
    from tui_crm.widgets.footer import FittingFooter

    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=size) as pilot:
        await sign_in(pilot, "counter")
        footer = app.screen.query_one(FittingFooter)
        shown = [k for k in footer.query(FooterKey) if k.display]
        assert all(k.region.right <= size[0] for k in shown)  # nothing cut at the edge
        regions = [k.region for k in shown]
        assert not any(r.overlaps(o) for r in regions for o in regions if r != o)
        keys = [k.key for k in shown]
        assert "ctrl+l" in keys and "question_mark" in keys and "1" in keys
        hidden = [k for k in footer.query(FooterKey) if not k.display]
        assert (hidden == []) == (size[0] >= 120)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, KeyHelpScreen)
        listed = [key for key, _ in app.screen.listed()]
        for key in hidden:  # what gave way is in the key help
            assert key.key_display in listed, key.key_display


async def test_trial_detail_column_fits_and_shows_whole_below(services) -> None:
    from textual.widgets import Static

    clerk = make_user(services, "counter", "counter")
    customer = make_customer(services, "李四")
    vehicle = make_vehicle(
        services, customer, "浙F54321", displacement=Decimal("1.5"),
        first_registration=date(2025, 6, 1),
    )  # fmt: skip
    app = new_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "counter")
        app.push_screen(open_trial(services, clerk, customer_id=customer, vehicle_id=vehicle))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PremiumTrialScreen)
        table = screen.query_one("#breakdown", DataTable)
        assert table.max_scroll_x == 0  # the 计算 column no longer scrolls sideways
        assert [str(c.label) for c in table.ordered_columns] == ["项目", "金额"]
        details = screen._details
        detail = screen.query_one("#premium-detail", Static)
        assert str(detail.render()) == details[0]  # the highlighted row's 计算, whole
        table.move_cursor(row=3)
        await settle(pilot)
        assert str(detail.render()) == details[3] and "300.00" in details[3]
    app = new_app(services)
    async with app.run_test(size=(120, 32)) as pilot:  # room for it: a column, not cut
        await sign_in(pilot, "counter")
        app.push_screen(open_trial(services, clerk, customer_id=customer, vehicle_id=vehicle))
        await settle(pilot)
        table = app.screen.query_one("#breakdown", DataTable)
        assert table.max_scroll_x == 0 and len(table.ordered_columns) == 3
        assert str(app.screen.query_one("#premium-detail", Static).render()) == ""
