"""Waiting for a process or a screen in the ops tests."""

import time
from collections.abc import Callable

# Generous: only a broken session waits this long; a working one answers in seconds.
TIMEOUT = 60.0


def wait_for(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
