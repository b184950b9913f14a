"""Helpers shared by the table modules."""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Field

from tui_crm.storage.types import Money, Rate, UtcDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


def money_field(default: Any = 0, **kwargs: Any) -> Any:
    return Field(default=default, sa_type=Money(), **kwargs)


def rate_field(default: Any = None, **kwargs: Any) -> Any:
    return Field(default=default, sa_type=Rate(), **kwargs)


def timestamp_field(**kwargs: Any) -> Any:
    kwargs.setdefault("default_factory", utcnow)
    return Field(sa_type=UtcDateTime, **kwargs)
