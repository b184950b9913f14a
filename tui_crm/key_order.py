"""Keys typed ahead land in order, each where the cursor is once the keys before it are
done.

Textual hands a key to the focused widget's queue and resolves it there; a Tab or an
Enter that moves the cursor only takes effect after the key has bubbled back up (or after
a `focus()` that is itself deferred), while the next keys of a burst are already routed
to the old field: `5` Tab `1.6` ends up as `51.6` in one box. So the app hands one key on
and holds the rest until the screen has finished with it (no message left in any queue
of the screen or the app), then hands on the next. A screen that is still building its
form (`typing_ready` False) holds keys until it is ready. A short cap keeps a busy screen
(a spinner, a report running) from delaying keys noticeably.
"""

import asyncio
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events, messages

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

# How long a key may wait for the previous one (seconds): past this it is handed on.
SETTLE_CAP = 0.5
# How long keys may wait for a screen building its form.
READY_CAP = 5.0
MIN_CHECKS = 200
# Repaints and wake-ups: queued work that never moves the cursor or changes a value.
PAINTING = (messages.Update, messages.Layout, messages.Prompt, events.Resize)


class KeyOrder:
    def __init__(self, app: "App[object]") -> None:
        self.app = app
        self.held: deque[events.Key] = deque()
        self.waiting = False
        self._since = 0.0
        self._checks = 0

    @property
    def pending(self) -> bool:
        """Keys typed ahead not handed on yet (tests wait for them like for workers)."""
        return self.waiting or bool(self.held)

    def hold(self, event: events.Key) -> bool:
        """True when the key must wait behind the keys before it (it is kept)."""
        if self.waiting or self.held or not self._screen_ready():
            self.held.append(event)
            if not self.waiting:
                self._wait()
            return True
        return False

    def drop(self) -> None:
        """Forget the keys held (what was typed for a screen that will not come)."""
        self.held.clear()

    def handed_on(self) -> None:
        """The app has just routed a key: hold what follows until it is done."""
        self._wait()

    def _wait(self) -> None:
        self.waiting = True
        self._since = time.monotonic()
        self._checks = 0
        asyncio.get_running_loop().call_soon(self._check)

    def _check(self) -> None:
        self._checks += 1
        # both a time and a count: a machine that stalls for a moment must not cut the wait
        waited = time.monotonic() - self._since
        patience = self._checks < MIN_CHECKS
        busy = self._busy() and (waited < SETTLE_CAP or patience)
        if busy or (not self._screen_ready() and (waited < READY_CAP or patience)):
            # straight from the event loop, so the widgets' queues run in between
            loop = asyncio.get_running_loop()
            if waited < 0.02:
                loop.call_soon(self._check)
            else:
                loop.call_later(0.005, self._check)
            return
        self.waiting = False
        if self.held:
            self.app.call_later(self._release)

    async def _release(self) -> None:
        if self.waiting or not self.held:
            return
        event = self.held.popleft()
        await self.app._route_key(event)  # type: ignore[attr-defined]

    def _screen_ready(self) -> bool:
        try:
            return bool(getattr(self.app.screen, "typing_ready", True))
        except Exception:  # no screen yet: nothing to wait for
            return True

    def _busy(self) -> bool:
        app = self.app
        nodes: list[MessagePump] = [app]
        try:
            screen = app.screen
        except Exception:
            return False
        nodes.extend(screen.walk_children(with_self=True))
        return any(_working(node) for node in nodes)


def _working(node: "MessagePump") -> bool:
    """Messages waiting in the node's queue other than repaints (Textual keeps them in a
    deque; should that change, any queued message counts)."""
    if node._next_callbacks:
        return True
    queue: Any = node._message_queue
    waiting = getattr(queue, "values", None)
    if waiting is None:
        return not queue.empty()
    return any(not isinstance(message, PAINTING) for message in waiting)
