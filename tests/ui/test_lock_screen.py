"""Pilot: a locked terminal does nothing but unlock or switch user; sign out; audit."""

import pytest
from sqlmodel import col, select
from textual.screen import Screen
from textual.widgets import Input

from tests.factories import make_user
from tui_crm.app import make_app
from tui_crm.config import Settings
from tui_crm.screens.home import HomeScreen
from tui_crm.screens.login import LoginScreen
from tui_crm.storage.models import AuditLog


@pytest.fixture
def database(sqlite_database):
    return sqlite_database


def _app(services):
    return make_app(
        Settings(database_url="sqlite://", fast_hash=True), services.database, services=services
    )


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _sign_in(pilot, username: str) -> None:
    await pilot.press(*username, "enter", *"demo-pass", "enter")
    await _settle(pilot)


def _audit(services) -> list[tuple[str, str, str | None]]:
    with services.database.session() as session:
        rows = session.exec(select(AuditLog).order_by(col(AuditLog.id))).all()
    return [(r.actor_username, r.action, r.detail) for r in rows]


@pytest.mark.parametrize(
    "keys",
    [
        ("f3",),
        ("f3", "ctrl+r"),
        ("ctrl+p",),
        ("ctrl+p", *"保费", "enter"),
        ("ctrl+n",),
        ("ctrl+r",),
        ("1",),
        ("4",),
        ("7",),
        ("f2", "f3"),  # after "switch user" the terminal is just as locked
        ("ctrl+l",),
        ("escape",),
        ("ctrl+q",),
    ],
)
async def test_no_key_acts_behind_the_lock(services, keys) -> None:
    make_user(services, "counter", "counter")
    app = _app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "counter")
        await pilot.press("ctrl+l")
        await pilot.pause()
        stack = list(app.screen_stack)
        audit_before = _audit(services)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen_stack == stack  # nothing opened above or below the lock
        assert app.is_running  # Ctrl+Q does not end a locked session either
        added = _audit(services)[len(audit_before) :]
        # typed text lands in the password box: at most a failed unlock, nothing else
        assert {action for _, action, _ in added} <= {"login_failed"}


async def test_palette_commands_and_areas_do_nothing_while_locked(services) -> None:
    make_user(services, "counter", "counter")
    app = _app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "counter")
        await pilot.press("ctrl+l")
        await pilot.pause()
        stack = list(app.screen_stack)
        app.open_area("premium")  # what a palette hit calls
        app.action_command_palette()
        app.pop_screen()  # a screen finishing its work behind the lock
        await _settle(pilot)
        assert app.screen_stack == stack


async def test_a_screen_opened_by_a_timer_waits_for_the_same_user(services) -> None:
    make_user(services, "counter", "counter")
    app = _app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "counter")
        await pilot.press("ctrl+l")
        await pilot.pause()
        result = Screen[None]()
        app.push_screen(result)  # e.g. a report finishing in its worker
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*"demo-pass", "enter")
        await _settle(pilot)
        assert app.screen is result


async def test_switch_user_from_the_lock_screen_is_audited(services) -> None:
    make_user(services, "counter", "counter")
    make_user(services, "claims", "claims")
    app = _app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "counter")
        await pilot.press("3")  # counter has a screen open
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        held = Screen[None]()
        app.push_screen(held)  # counter's worker finishing behind the lock
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.query_one("#username", Input).value == ""
        await _sign_in(pilot, "claims")
        assert isinstance(app.screen, HomeScreen) and app.actor.username == "claims"
        assert len(app.screen_stack) == 2  # nothing of counter's left, held screen dropped
        assert held not in app.screen_stack
    assert _audit(services)[-2:] == [
        ("claims", "login", None),
        ("counter", "logout", "switched to claims"),
    ]


async def test_sign_out_from_the_palette(services) -> None:
    make_user(services, "counter", "counter")
    app = _app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "counter")
        await pilot.press("ctrl+p", *"退出登录")
        await pilot.pause(0.3)  # the palette searches its providers in the background
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.screen.locked_user is None
        assert app.actor is None and len(app.screen_stack) == 2
        assert app.screen.query_one("#username", Input).value == ""
        await pilot.press("f3", "1")  # nobody signed in: no area opens
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        app.screen.query_one("#username", Input).value = ""
        await _sign_in(pilot, "counter")
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 2
    assert [a for _, a, _ in _audit(services)] == ["login", "logout", "login"]
