"""Cancelling a running report: a flag, and an interrupt of the query in flight."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy.exc import DBAPIError

from tui_crm.i18n import tr
from tui_crm.services.core.errors import ServiceError


class ReportCancelled(ServiceError):
    code = "cancelled"


class CancelToken:
    """Cancels a running report: sets a flag and interrupts the query in flight
    (`sqlite3.Connection.interrupt()`, psycopg's cancel)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._dbapi: Any = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def attach(self, dbapi_connection: Any) -> None:
        with self._lock:
            self._dbapi = dbapi_connection

    def detach(self) -> None:
        with self._lock:
            self._dbapi = None

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            connection = self._dbapi
        if connection is None:
            return
        interrupt = getattr(connection, "interrupt", None)  # sqlite3
        if interrupt is None:
            interrupt = getattr(connection, "cancel_safe", None) or getattr(
                connection, "cancel", None
            )  # psycopg
        if interrupt is not None:
            with suppress(Exception):
                interrupt()

    def check(self) -> None:
        if self._cancelled:
            raise ReportCancelled(tr("报表已取消", "Report cancelled"))

    @contextmanager
    def interrupts(self) -> Iterator[None]:
        """A query this token interrupted surfaces as `ReportCancelled`, not as the
        driver's error."""
        try:
            yield
        except DBAPIError:
            if self._cancelled:
                raise ReportCancelled(tr("报表已取消", "Report cancelled")) from None
            raise
