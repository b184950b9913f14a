"""What the two file-import screens (数据导入, 社会车辆导入) share: the import runs in a thread
worker, the rows read so far on the status line, Esc cancels a running import (the
service stops at its next check) or goes back. Each screen says how to call its service,
where its status and message lines are, and what the result means."""

import threading
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.screen import Screen
from textual.widgets import Static

from tui_crm.i18n import tr

# Called in the worker with (progress, cancelled); returns the service's result.
ImportCall = Callable[[Callable[[int], None], Callable[[], bool]], Any]


class FileImportScreen(Screen[None]):
    STATUS_LINE = ""  # the ids of the screen's status and message lines
    MESSAGE_LINE = ""
    MESSAGE_STYLE = ""
    CANCELLING = ("正在取消…", "Cancelling…")

    def __init__(self) -> None:
        super().__init__()
        self.stop = threading.Event()
        self.running = False

    def _say(self, message: str) -> None:
        self.query_one(self.MESSAGE_LINE, Static).update(Text(message, style=self.MESSAGE_STYLE))

    def _status(self, message: str) -> None:
        self.query_one(self.STATUS_LINE, Static).update(Text(message))

    def _start_import(self, call: ImportCall) -> None:
        self.running = True
        self.stop.clear()
        self._status(tr("正在导入…（Esc 取消）", "Importing… (Esc cancels)"))
        self._run_import(call)

    @work(thread=True, exclusive=True, group="file-import")
    def _run_import(self, call: ImportCall) -> None:
        from tui_crm.services.core import ServiceError

        def progress(done: int) -> None:
            self.app.call_from_thread(
                self._status,
                tr("已读取 {n:,} 行…（Esc 取消）", "Read {n:,} rows… (Esc cancels)", n=done),
            )

        try:
            result = call(progress, self.stop.is_set)
        except ServiceError as refusal:
            self.app.call_from_thread(self._import_ended, None, refusal.message)
            return
        self.app.call_from_thread(self._import_ended, result, "")

    def _import_ended(self, result: Any, refusal: str) -> None:
        self.running = False
        if result is None:
            self._status("")
            self._say(refusal)
            return
        self._show_result(result)

    def _show_result(self, result: Any) -> None:
        raise NotImplementedError

    def action_back(self) -> None:
        if self.running:
            self.stop.set()
            self._status(tr(*self.CANCELLING))
            return
        self.app.pop_screen()
