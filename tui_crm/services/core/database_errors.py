"""What the database refuses, said as a refusal of the input instead of a traceback.

One hook on the engine (`handle_error`) turns the driver errors that hostile or unlucky
input provokes into ServiceErrors, which every front end already shows as one line: a
number beyond 64 bits (OverflowError on SQLite, DataError on PostgreSQL), a NUL character
(PostgreSQL text cannot hold it), a search pattern SQLite finds too complex, and a write
lock held past the busy timeout (SQLite waits five seconds, then says it is locked).
"""

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DataError, OperationalError

from tui_crm.i18n import tr
from tui_crm.services.core.errors import ServiceError, ValidationFailed


class DatabaseBusy(ServiceError):
    code = "busy"


def translate(original: BaseException) -> ServiceError | None:
    text = str(original)
    if isinstance(original, OverflowError) or "out of range" in text:
        return ValidationFailed(
            tr("输入的数值超出范围", "A number given is out of range"), code="out_of_range"
        )
    if "NUL" in text and ("0x00" in text or "NUL (0x00)" in text):
        return ValidationFailed(
            tr("输入含有不可用的控制字符", "The input holds a control character"),
            code="control_character",
        )
    if "pattern too complex" in text:
        return ValidationFailed(
            tr("查询内容过长或过于复杂", "The search text is too long or too complex"),
            code="pattern_too_complex",
        )
    if "database is locked" in text or "database is busy" in text:
        return DatabaseBusy(
            tr("数据库正忙，请稍后再试", "The database is busy; try again in a moment")
        )
    return None


def _on_error(context: Any) -> ServiceError | None:
    original = context.original_exception
    if isinstance(original, OverflowError) or isinstance(
        context.sqlalchemy_exception, DataError | OperationalError
    ):
        return translate(original)
    return None


def install(engine: Engine) -> None:
    """Idempotent: the services of one engine may be built more than once."""
    if not event.contains(engine, "handle_error", _on_error):
        event.listen(engine, "handle_error", _on_error)
