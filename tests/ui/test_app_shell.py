"""Pilot: sign in by keyboard, reach every home-screen area, lock and unlock."""

from textual.widgets import Input, Static

from tests.factories import make_customer, make_user
from tests.ui.pilot import new_app, settle, shown, sign_in, wait_until
from tui_crm.screens.areas import AREAS, TOOLS
from tui_crm.screens.home import HomeScreen
from tui_crm.screens.login import LoginScreen
from tui_crm.screens.search import SearchScreen


async def test_sign_in_reaches_home_and_every_area(services) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await sign_in(pilot, "counter")
        assert isinstance(app.screen, HomeScreen)
        refused = {"reports"}  # a counter clerk may not run reports
        for item in AREAS:
            row = str(app.screen.query_one(f"#area-{item.id}", Static).render())
            assert ("无权限" in row) == (item.id in refused), item.id
            await pilot.press(item.key)
            await pilot.pause()
            if item.id in refused:
                assert isinstance(app.screen, HomeScreen), item.id
                notice = str(app.screen.query_one("#notice", Static).render())
                assert f"不能使用“{item.title}”" in notice and "柜面人员" in notice
            else:
                assert not isinstance(app.screen, HomeScreen), item.id
                await pilot.press("escape")
                await pilot.pause()
                assert isinstance(app.screen, HomeScreen), item.id


async def test_manager_opens_reports_from_home(services) -> None:
    make_user(services, "manager", "manager", "3304")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "manager")
        assert "无权限" not in str(app.screen.query_one("#area-reports", Static).render())
        await pilot.press("5")
        await pilot.pause()
        assert type(app.screen).__module__ == "tui_crm.screens.reports.picker"


async def _typed_ahead(pilot, text: str) -> None:
    """Queue keys the way a terminal delivers them during start-up (cooked mode: Enter is
    a line feed, Ctrl+J), all at once, with no pause between them; then let the app
    handle them and any sign-in they start."""
    from textual import events

    app = pilot.app
    for char in text:
        if char == "\n":
            app.post_message(events.Key("ctrl+j", "\n"))
        elif char == "\t":
            app.post_message(events.Key("tab", "\t"))
        else:
            app.post_message(events.Key("minus" if char == "-" else char, char))
    await settle(pilot)


async def test_keys_typed_ahead_go_to_their_fields(services) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await _typed_ahead(pilot, "counter\nwrong\n")
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#username", Input).value == "counter"  # password kept out
        assert "用户名或密码错误" in shown(app.screen, "#login-error")
        await _typed_ahead(pilot, "demo-pass\n")  # the refusal left the cursor in the password box
        assert isinstance(app.screen, HomeScreen)


async def test_tab_typed_ahead_moves_to_the_password_box(services) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await _typed_ahead(pilot, "counter\tdemo-pass\n")
        assert isinstance(app.screen, HomeScreen)


async def test_keys_typed_behind_the_password_reach_the_home_screen(services) -> None:
    """`counter⇥demo-pass⏎1王` in one burst: signed in, 1 opens the search, 王 is searched —
    the keys behind the Enter neither join the password nor get lost."""
    make_user(services, "counter", "counter")
    make_customer(services, "王小明")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await _typed_ahead(pilot, "counter\tdemo-pass\n1王")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-box", Input).value == "王"
        # Behind a wrong password the keys are dropped: none lands in the password box.
        await pilot.press("ctrl+l")
        await settle(pilot)
        await _typed_ahead(pilot, "wrong\n1王")
        assert isinstance(app.screen, LoginScreen)
        assert "用户名或密码错误" in shown(app.screen, "#login-error")
        assert app.screen.query_one("#password", Input).value == ""


async def test_wrong_password_shows_reason_next_to_field(services) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter", "wrong")
        assert isinstance(app.screen, LoginScreen)
        assert "用户名或密码错误" in shown(app.screen, "#login-error")
        assert app.screen.query_one("#password", Input).value == ""


async def test_ctrl_l_locks_and_same_user_unlocks(services) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.screen.locked_user == "counter"
        await pilot.press(*"demo-pass", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_idle_terminal_locks_itself(services) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        assert app.idle_lock_seconds == 15 * 60  # from the threshold table
        app._check_idle()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # not idle yet
        app.idle_lock_seconds = 0
        app._check_idle()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.screen.locked_user == "counter"


async def test_another_user_can_take_over_a_locked_terminal(services) -> None:
    make_user(services, "counter", "counter")
    make_user(services, "claims", "claims")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("ctrl+l")
        await pilot.pause()
        username = app.screen.query_one("#username", Input)
        username.value = "claims"
        app.screen.query_one("#password", Input).focus()
        await pilot.press(*"demo-pass", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.actor is not None and app.actor.username == "claims"
        assert len(app.screen_stack) == 2  # default and home: nothing of counter's left


async def test_english_interface(services) -> None:
    make_user(services, "counter", "counter")
    app = new_app(services, lang="en")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await sign_in(pilot, "counter")
            text = str(app.screen.query_one("#area-search", Static).render())
            assert "Customer search" in text
    finally:
        from tui_crm.i18n import set_language

        set_language("zh_CN")


async def test_palette_reaches_tools_outside_the_home_menu(services) -> None:
    make_user(services, "admin", "admin", "3304")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "admin")
        for tool in TOOLS:
            assert tool.module is not None, tool.id  # every tool is built
            if not tool.allowed(app.actor):
                continue  # a tool of another role (duplicates: supervisors) has its own test
            keyword = tool.hint_zh.split()[0]  # a pinyin word the clerk would type
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*keyword)
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert type(app.screen).__module__ == tool.module.partition(":")[0], keyword
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)


async def test_palette_says_no_matches_in_chinese(services) -> None:
    from textual.command import CommandList

    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"qqqqxz")

        def said() -> str:
            options = app.screen.query_one(CommandList)
            if options.option_count != 1:
                return ""
            return str(options.get_option_at_index(0).prompt.renderable)

        await wait_until(pilot, lambda: said() != "", "the no-matches line")
        assert said() == "未找到匹配的命令"
