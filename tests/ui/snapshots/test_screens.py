"""Snapshots of the main screens at 80×24 and 120×32 on a small fixed book and the suite's
fixed clock. What could differ between runs is pinned down here, in the tests: the cursor
does not blink, animations are off, the search's elapsed time reads 0 ms, and every worker
has finished before the picture is taken.

Update the stored pictures with `pytest tests/ui/snapshots --snapshot-update`."""

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from tests.factories import (
    PASSWORD,
    make_claim,
    make_customer,
    make_policy,
    make_user,
    make_vehicle,
)
from tests.ui.pilot import new_app, settle, sign_in, wait_until
from tui_crm.screens.customer.view import CustomerScreen
from tui_crm.screens.search import SearchScreen
from tui_crm.services.container import Services

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 32), id="120x32")]

Steps = Callable[[Pilot], Awaitable[None]]


@pytest.fixture(autouse=True)
def _still(monkeypatch) -> None:
    """No animation, and a search that always takes 0 ms."""
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr("tui_crm.services.search.service.perf_counter", lambda: 0.0)


def _tables_sized(pilot: Pilot) -> bool:
    """A table sizes its columns to new rows only when it next goes idle: until then a
    picture shows the columns as wide as their headings."""
    return not any(table._require_update_dimensions for table in pilot.app.screen.query(DataTable))


async def _steady(pilot: Pilot) -> None:
    """Every worker finished, every table sized and no cursor blinking, so the picture is
    the same each run."""
    await settle(pilot)
    pilot.app.animation_level = "none"
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await wait_until(pilot, lambda: _tables_sized(pilot), "the tables' column widths")


def _snap(snap_compare, services: Services, size, steps: Steps) -> bool:
    async def run_before(pilot: Pilot) -> None:
        await _steady(pilot)
        await steps(pilot)
        await _steady(pilot)

    return snap_compare(new_app(services), terminal_size=size, run_before=run_before)


def _counter_book(services: Services) -> tuple[int, int]:
    make_user(services, "counter", "counter")
    zhang = make_customer(services, "张三", id_number="330402199001011234", phone="13812345678")
    make_customer(services, "张三丰", id_number="330402198502022345", phone="13912345678")
    make_customer(services, "李四", id_number="330402197703033456", phone="13712345678")
    vehicle = make_vehicle(services, zhang, plate="浙F12345")
    policy = make_policy(
        services,
        zhang,
        date(2026, 3, 1),
        premium="3200",
        vehicle_id=vehicle,
        policy_no="PDAA202600000001",
    )
    make_claim(services, policy, date(2026, 6, 10), paid="1500", claim_no="RDAA202600000001")
    return zhang, vehicle


async def _nothing(pilot: Pilot) -> None:
    return None


async def _counter(pilot: Pilot) -> None:
    await sign_in(pilot, "counter")


async def _search_zhang(pilot: Pilot) -> None:
    await sign_in(pilot, "counter")
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await pilot.press(*"张三")
    await wait_until(
        pilot,
        lambda: (
            screen._timer is None  # the debounce has fired
            and not screen._loading_more  # the look inside names has added its rows
            and screen.shown_query == screen.page_query()
        ),
        "the results",
    )


async def _customer_360(pilot: Pilot) -> None:
    await _search_zhang(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CustomerScreen), "the 360 view")


@pytest.mark.parametrize("size", SIZES)
def test_sign_in(snap_compare, services, size) -> None:
    _counter_book(services)
    assert _snap(snap_compare, services, size, _nothing)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, services, size) -> None:
    _counter_book(services)
    assert _snap(snap_compare, services, size, _counter)


@pytest.mark.parametrize("size", SIZES)
def test_search_with_results(snap_compare, services, size) -> None:
    _counter_book(services)
    assert _snap(snap_compare, services, size, _search_zhang)


@pytest.mark.parametrize("size", SIZES)
def test_customer_360(snap_compare, services, size) -> None:
    _counter_book(services)
    assert _snap(snap_compare, services, size, _customer_360)


@pytest.mark.parametrize("size", SIZES)
def test_premium_trial_with_a_result(snap_compare, services, size) -> None:
    from tui_crm.screens.premium.trial import PremiumTrialScreen, open_trial

    zhang, _ = _counter_book(services)
    vehicle = make_vehicle(
        services, zhang, "浙F54321", displacement=Decimal("1.5"),
        first_registration=date(2025, 6, 1),
    )  # fmt: skip

    clerk = services.auth.sign_in("counter", PASSWORD)

    async def trial(pilot: Pilot) -> None:
        await sign_in(pilot, "counter")
        app = pilot.app
        app.push_screen(open_trial(services, clerk, customer_id=zhang, vehicle_id=vehicle))
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PremiumTrialScreen) and app.screen.result is not None,
            "the trial's result",
        )

    assert _snap(snap_compare, services, size, trial)


@pytest.mark.parametrize("size", SIZES)
def test_blacklist_queue(snap_compare, services, size) -> None:
    from tui_crm.screens.blacklist.review import BlacklistScreen

    claims = make_user(services, "claims", "claims")
    make_user(services, "supervisor", "supervisor")
    customer = make_customer(services, "王多赔")
    policy = make_policy(
        services, customer, date(2026, 3, 1), premium="2000", policy_no="PDAA202600000002"
    )
    for month in (4, 6, 9):
        make_claim(
            services, policy, date(2026, month, 10), paid="2000",
            claim_no=f"RDAA20260000001{month}",
        )  # fmt: skip
    services.blacklist.nominate(claims, customer, ["fraud"], "骗保")

    async def queue(pilot: Pilot) -> None:
        await sign_in(pilot, "supervisor")
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BlacklistScreen), "queue")

    assert _snap(snap_compare, services, size, queue)


@pytest.mark.parametrize("size", SIZES)
def test_report_with_its_chart(snap_compare, services, size) -> None:
    from tests.reports.book import build_book
    from tui_crm.screens.reports.result import ReportResultScreen

    build_book(services)

    async def report(pilot: Pilot) -> None:
        await sign_in(pilot, "mgr")
        await pilot.press("5")
        await settle(pilot)
        await pilot.press(*["down"] * 7, "enter")  # 8. 产品结构分析
        await settle(pilot)
        await pilot.press("end", "ctrl+u", *"2026-01-01", "enter")
        await pilot.press("end", "ctrl+u", *"2026-06-30", "f5")
        await wait_until(
            pilot, lambda: isinstance(pilot.app.screen, ReportResultScreen), "the report"
        )
        assert pilot.app.screen.query_one("#report-chart").display  # shown with the table

    assert _snap(snap_compare, services, size, report)
