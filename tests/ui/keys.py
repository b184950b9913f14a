"""Test helpers: an app on a small book, sign-in, settling, and keys sent the way a fast
typist or a terminal delivers them (back to back, no pause between them)."""

import unicodedata
from contextlib import suppress

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.worker import WorkerCancelled

from tui_crm.app import make_app
from tui_crm.config import Settings


def app_for(services):
    return make_app(
        Settings(database_url="sqlite://", fast_hash=True), services.database, services=services
    )


async def settle(pilot) -> None:
    for _ in range(3):
        with suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def sign_in(pilot, username: str = "counter") -> None:
    await pilot.press(*username, "enter", *"demo-pass", "enter")
    await settle(pilot)


def key_event(key: str) -> events.Key:
    """The event a terminal delivers for `key` (a name such as "tab", or one character —
    full-width punctuation such as "，" included)."""
    if len(key) == 1:
        return events.Key(key if key.isalnum() else _character_to_key(key), key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = None
    return events.Key(key, char)


async def burst(pilot, *keys: str) -> None:
    """Every key queued at once, as a terminal hands over a burst of typing; then let the
    app handle them and whatever they start. A word is split into its characters."""
    app = pilot.app
    for key in keys:
        parts = [key] if key in KEY_NAMES else list(key)
        for part in parts:
            event = key_event(part)
            event.set_sender(app)
            app._driver.send_message(event)
    await pilot.pause()
    for _ in range(500):
        if not app.keys_pending:
            break
        await pilot.pause(0.01)
    await settle(pilot)


KEY_NAMES = {
    "tab",
    "shift+tab",
    "enter",
    "escape",
    "space",
    "ctrl+s",
    "ctrl+q",
    "ctrl+r",
    "end",
    "home",
    "up",
    "down",
    "question_mark",
    "f3",
    "f9",
}
