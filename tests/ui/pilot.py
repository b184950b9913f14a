"""What every Pilot test needs: the app on a test book, signing in, and waiting for the app
to finish what a key started (its messages and workers) instead of sleeping."""

import time
from collections.abc import Callable
from contextlib import suppress

from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerCancelled, WorkerState

from tests.factories import PASSWORD
from tui_crm.app import make_app
from tui_crm.config import Settings
from tui_crm.services.container import Services

# Generous: only a broken screen waits this long; a working one is done in milliseconds.
TIMEOUT = 10.0


def new_app(services: Services, *, lang: str | None = None):
    """The app on the test's services (fixed clock, fast hash); `lang="en"` for English."""
    settings = Settings(database_url="sqlite://", fast_hash=True)
    if lang is not None:
        settings = Settings(database_url="sqlite://", fast_hash=True, lang=lang)
    return make_app(settings, services.database, services=services)


def _busy(pilot: Pilot) -> bool:
    return any(
        worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in pilot.app.workers
    )


async def settle(pilot: Pilot) -> None:
    """Handle every queued message and finish every worker, including the workers that
    finished workers' messages start, until the app is idle."""
    for _ in range(100):
        await pilot.pause()
        if not _busy(pilot):
            await pilot.pause()
            if not _busy(pilot):
                return
        with suppress(WorkerCancelled):  # a newer key superseded a worker: expected
            await pilot.app.workers.wait_for_complete()
    raise AssertionError("the app never became idle")


async def wait_until(
    pilot: Pilot,
    condition: Callable[[], bool],
    what: str = "condition",
    timeout: float = TIMEOUT,
    *,
    settled: bool = True,
) -> None:
    """Settle, then keep handling messages (timers included) until `condition` holds.
    `settled=False` does not wait for workers: for one that runs until it is cancelled."""
    deadline = time.monotonic() + timeout
    while True:
        if settled:
            await settle(pilot)
        if condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)  # let a pending timer (the search box's debounce) fire


async def sign_in(pilot: Pilot, username: str, password: str = PASSWORD) -> None:
    """Type the user name and password on the sign-in screen and wait for what follows."""
    await pilot.press(*username, "enter", *password, "enter")
    await settle(pilot)


def shown(screen, selector: str) -> str:
    """The plain text a Static shows."""
    return str(screen.query_one(selector, Static).render())
