"""The `?` key help lists every key of the screen and the global keys; the footer keeps
each screen's essential keys, which fit at 80×24."""

from textual.widgets._footer import FooterKey

from tests.factories import make_customer, make_user
from tests.reports.book import build_book
from tests.ui.pilot import new_app, settle, sign_in, wait_until
from tui_crm.screens.customer.view import CustomerScreen
from tui_crm.screens.home import HomeScreen
from tui_crm.screens.key_help import KeyHelpScreen
from tui_crm.screens.reports.result import ReportResultScreen
from tui_crm.screens.search import SearchScreen


def footer_keys(screen) -> list[str]:
    """The footer's keys (as displayed) that the terminal actually shows."""
    width = screen.app.size.width
    shown = [k for k in screen.query(FooterKey) if k.display and k.region.width]
    regions = [k.region for k in shown]
    return [
        key.key_display or key.key
        for key in shown
        if key.region.right <= width
        and not any(key.region.overlaps(other) for other in regions if other != key.region)
    ]


async def _help(pilot) -> list[tuple[str, str]]:
    underneath = pilot.app.screen
    await pilot.press("question_mark")
    await settle(pilot)
    overlay = pilot.app.screen
    assert isinstance(overlay, KeyHelpScreen)
    listed = overlay.listed()
    await pilot.press("escape")
    await settle(pilot)
    assert pilot.app.screen is underneath
    return listed


async def _report(pilot) -> ReportResultScreen:
    await pilot.press("5")
    await settle(pilot)
    await pilot.press(*["down"] * 7, "enter")
    await settle(pilot)
    await pilot.press("end", "ctrl+u", *"2026-01-01", "enter", "end", "ctrl+u", *"2026-06-30")
    await pilot.press("f5")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReportResultScreen), "report")
    return pilot.app.screen


def _keys(listed: list[tuple[str, str]]) -> dict[str, str]:
    return dict(listed)


async def test_question_mark_lists_the_keys_of_home_search_and_the_360_view(services) -> None:
    make_user(services, "counter", "counter")
    make_customer(services, "张三", id_number="330402199001011234", phone="13812345678")
    app = new_app(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot, "counter")
        assert isinstance(app.screen, HomeScreen)
        home = _keys(await _help(pilot))
        assert home["3"] and home["^l"] == "锁屏" and home["^q"] == "退出"
        assert home["?"] == "按键" and "本界面" in home and "全局" in home
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        search = _keys(await _help(pilot))  # in the empty box ? opens the help
        assert search["^r"] == "显示证件电话" and search["f2"] == "最近查看"
        assert app.screen.box.value == ""
        await pilot.press(*"13812345678", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerScreen), "the 360")
        customer = _keys(await _help(pilot))
        assert customer["5"] == "联系方式" and customer["^r"] == "显示证件电话"
        assert "Cursor up" not in customer.values()


async def test_report_keys_in_help_and_essential_keys_fit_80_columns(services) -> None:
    build_book(services)
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "mgr")
        report = await _report(pilot)
        footer = footer_keys(report)
        for key in ("esc", "d", "x", "[", "]", "p", "g", "?"):  # whole, none under another
            assert key in footer
        listed = _keys(await _help(pilot))
        assert listed["c"] == "导出 CSV" and listed["]"] == "下一期" and listed["s"] == "排序列"
        assert listed["f5"] == "重算"  # gave way in the footer: in the help
    app = new_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("f3")
        await settle(pilot)
        footer = footer_keys(app.screen)
        for key in ("esc", "f2", "^r", "^n", "^l"):
            assert key in footer
