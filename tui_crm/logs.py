"""The error log: the traceback for the administrator, a one-line message for the clerk.

A rotating file (`tui-crm.log` in the platform log folder, or `TUI_CRM_LOG_DIR`), owner-
only, written only when something unexpected happens. ID numbers and phone numbers are
masked in every line, the traceback included, as the masking rules show them
(`330402********1234`, `138****5678`): a log travels further than the database.
Pure Python: imports nothing of the product but the config's folders.
"""

import logging
import logging.handlers
import os
import re
from pathlib import Path
from typing import Any

from tui_crm.config import log_dir

LOG_NAME = "tui-crm.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s pid=%(process)d %(name)s: %(message)s"

# Digits or letters right beside a match mean it is part of something longer (a policy
# number, a hash): only whole numbers are masked.
_ID_18 = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_ID_15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{5}(\d{4})(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d)\d{4}(\d{4})(?![0-9A-Za-z])")
# A phone written with the country code or separators: +86 138-1234-5678.
_PHONE_SPACED = re.compile(
    r"(?<![0-9A-Za-z])((?:\+?86[ -]?)?1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?![0-9A-Za-z])"
)


def mask_text(text: str) -> str:
    """Every resident ID number and mobile phone in `text` masked."""
    text = _ID_18.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    text = _ID_15.sub(lambda m: m.group(1) + "*" * 5 + m.group(2), text)
    text = _PHONE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return _PHONE_SPACED.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskingFormatter(logging.Formatter):
    """The record, its traceback included, with personal numbers masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_text(super().format(record))


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Each file it opens (the first and every one after a rotation) is mode 600."""

    def _open(self) -> Any:
        return open(
            self.baseFilename,
            self.mode,
            encoding=self.encoding,
            opener=lambda path, flags: os.open(path, flags, 0o600),
        )


_logger = logging.getLogger("tui_crm")


def log_path() -> Path:
    return log_dir() / LOG_NAME


def error_log() -> logging.Logger:
    """The product's logger, writing to the rotating file (installed on first use)."""
    path = log_path()
    current = [h for h in _logger.handlers if isinstance(h, PrivateRotatingFileHandler)]
    if current and current[0].baseFilename == str(path.absolute()):
        return _logger
    for handler in current:
        _logger.removeHandler(handler)
        handler.close()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handler = PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(MaskingFormatter(FORMAT))
    _logger.addHandler(handler)
    _logger.setLevel(logging.INFO)
    _logger.propagate = False
    return _logger


def log_exception(error: BaseException, where: str) -> Path | None:
    """Write `error` with its traceback; the log's path, or None when it cannot be written
    (a full disk must not turn one error into two)."""
    try:
        error_log().error("%s: %s", where, type(error).__name__, exc_info=error)
    except OSError:
        return None
    return log_path()
