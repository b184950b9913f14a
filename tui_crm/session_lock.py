"""Locking a shared terminal and switching users: the part of the app that decides what
may act while the sign-in (lock) screen is up.

Ctrl+L or the idle timer puts the lock screen over whatever is open; nothing behind it
acts (keys, the palette, screens a worker or timer opens, which are held). The same user
signing in again is back where they were, with the held screens; another user signing
in ends the first one's session (audited) and starts at home. `CrmApp` is built on it.
"""

import time
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.await_complete import AwaitComplete
from textual.screen import Screen

from tui_crm.screens.home import HomeScreen
from tui_crm.screens.login import LoginScreen

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


class SessionLock(App[None]):
    """Sign-in, sign-out, switching users and the lock of a shared terminal."""

    actor: "Actor | None"
    services: "Services | None"
    demo_book: bool
    idle_lock_seconds: int
    _last_input: float
    # Screens a worker or timer tried to open while the terminal was locked: shown to the
    # same user after unlocking, dropped when someone else signs in.
    _held: list[tuple[Screen[Any], Any]]

    def _sign_in(self, username: str, password: str) -> "Actor":
        raise NotImplementedError  # the app signs in through its services

    def _unit_name(self, actor: "Actor") -> str:
        raise NotImplementedError

    # --- signing in, out and switching users ---------------------------------------
    def on_login_screen_signed_in(self, message: LoginScreen.SignedIn) -> None:
        previous = self.actor
        self._last_input = time.monotonic()
        if previous is not None and previous.id == message.actor.id and len(self.screen_stack) > 2:
            self.actor = message.actor
            self.idle_lock_seconds = self._idle_minutes() * 60
            held, self._held = self._held, []
            super().pop_screen()  # unlocked by the same user: back where they were
            for screen, callback in held:
                super().push_screen(screen, callback)
            return
        if previous is not None:
            self._end_session(previous, f"switched to {message.actor.username}")
        while len(self.screen_stack) > 1:
            super().pop_screen()
        self.actor = message.actor
        self.idle_lock_seconds = self._idle_minutes() * 60
        self.push_screen(HomeScreen(message.actor, self._unit_name(message.actor)))

    def sign_out(self) -> None:
        """A clerk leaves a shared terminal without quitting: back to an empty sign-in."""
        if self.actor is None or self.locked:
            return
        previous, self.actor = self.actor, None
        self._end_session(previous, "signed out")
        self.push_screen(LoginScreen(self._sign_in, demo=self.demo_book))

    def _end_session(self, actor: "Actor", how: str) -> None:
        """Audit the end of a session and close every screen it opened."""
        assert self.services is not None
        self.services.auth.sign_out(actor, how)
        self._held = []
        while len(self.screen_stack) > 1:
            super().pop_screen()

    # --- the lock -------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        """The sign-in or lock screen is up: nothing behind it may act."""
        return bool(self.screen_stack) and isinstance(self.screen_stack[-1], LoginScreen)

    def action_lock(self) -> None:
        if self.actor is None or self.locked:
            return
        self.push_screen(LoginScreen(self._sign_in, locked_user=self.actor.username))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While locked no application key acts (search, palette, areas...); only the
        lock screen's own keys do. Quitting is allowed only when nobody is signed in."""
        if self.locked:
            return action == "quit" and self.actor is None
        return super().check_action(action, parameters)

    def push_screen(self, screen: Any, callback: Any = None, *args: Any, **kwargs: Any) -> Any:
        if self.locked and not isinstance(screen, LoginScreen):
            # a worker or timer finishing behind the lock: held until the same user is back
            self._held.append((screen, callback))
            return _done()
        return super().push_screen(screen, callback, *args, **kwargs)

    def pop_screen(self) -> Any:
        if self.locked:
            return _done()  # the lock leaves only by signing in
        return super().pop_screen()

    def switch_screen(self, screen: Any) -> Any:
        if self.locked:
            return _done()
        return super().switch_screen(screen)

    def _check_idle(self) -> None:
        if time.monotonic() - self._last_input >= self.idle_lock_seconds:
            self.action_lock()

    def _idle_minutes(self) -> int:
        assert self.services is not None
        return self.services.thresholds.integer("session.idle_lock_minutes")


def _done() -> AwaitComplete:
    """An awaitable that has nothing to wait for (a screen change refused while locked)."""

    async def nothing() -> None:
        return None

    return AwaitComplete(nothing())
