"""Pilot: the language chosen when the app starts reaches the footer and the command palette,
although the key bindings were declared when their modules were imported."""

import pytest
from textual.command import CommandPalette
from textual.widgets import Footer

from tests.factories import make_user
from tui_crm.app import make_app
from tui_crm.config import Settings
from tui_crm.screens.home import HomeScreen
from tui_crm.screens.search import SearchScreen


@pytest.fixture
def database(sqlite_database):
    return sqlite_database  # app workers query from threads: screens run on SQLite


def _footer_text(app) -> str:
    footer = app.screen.query_one(Footer)
    return " ".join(str(key.render()) for key in footer.children)


async def _palette_text(pilot) -> str:
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.pause(0.3)  # discovery hits arrive from the providers' tasks
    from textual.widgets import OptionList

    options = palette.query_one(OptionList)
    text = " ".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
    placeholder = palette.query_one("CommandInput").placeholder  # type: ignore[attr-defined]
    await pilot.press("escape")
    return f"{placeholder} {text}"


async def _home_and_search(services, lang: str) -> tuple[str, str, str]:
    make_user(services, "counter", "counter")
    app = make_app(
        Settings(database_url="sqlite://", lang=lang, fast_hash=True),
        services.database,
        services=services,
    )
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press(*"counter", "enter", *"demo-pass", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        home = _footer_text(app)
        palette = await _palette_text(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        search = _footer_text(app)
    return home, palette, search


async def test_english_footer_and_palette(services) -> None:
    home, palette, search = await _home_and_search(services, "en")
    assert "Customer search" in home and "Lock" in home and "Keys" in home and "Commands" in home
    assert "客户查询" not in home and "锁屏" not in home
    assert "Customer search (1)" in palette and "Quit" in palette and "Lock" in palette
    assert "Type an area or a command" in palette
    assert "客户" not in palette and "Theme" not in palette and "Screenshot" not in palette
    assert "Recent" in search and "Clear/back" in search
    assert "最近查看" not in search


async def test_chinese_footer_and_palette(services) -> None:
    home, palette, search = await _home_and_search(services, "zh_CN")
    assert "客户查询" in home and "锁屏" in home and "按键" in home and "命令" in home
    assert "Customer search" not in home and "palette" not in home
    assert "客户查询 (1)" in palette and "退出" in palette and "锁屏" in palette
    assert "输入功能或命令" in palette
    for english in ("Theme", "Screenshot", "Keys", "Quit", "Search for commands"):
        assert english not in palette
    assert "最近查看" in search and "Recent" not in search
