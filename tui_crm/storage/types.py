"""Column types that keep decimal values exact on SQLite and PostgreSQL alike.

SQLite gives NUMERIC columns REAL affinity and sums them in floating point, so money is
stored as integer fen and rates as integer millionths; the code only ever sees Decimal.
"""

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as a BIGINT of 10**-scale units."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int) -> None:
        super().__init__()
        self.scale = scale
        self._factor = Decimal(10) ** scale
        self._quantum = Decimal(1).scaleb(-scale)

    def __repr__(self) -> str:  # how a migration writes the column type down
        return f"ScaledDecimal({self.scale})"

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        units = (Decimal(value) * self._factor).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return int(units)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self._factor).quantize(self._quantum)

    @property
    def python_type(self) -> type:
        return Decimal


def Money() -> ScaledDecimal:  # noqa: N802 - reads like a type in column declarations
    """Yuan to the fen, stored as integer fen."""
    return ScaledDecimal(2)


def Rate() -> ScaledDecimal:  # noqa: N802
    """Ratios, coefficients and quantities (tonnage, litres), stored as integer millionths."""
    return ScaledDecimal(6)


def to_fen(amount: Decimal) -> int:
    """For bulk loaders that bypass the ORM."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_fen(fen: int | None) -> Decimal:
    """For raw SQL aggregates over money columns (sum of fen)."""
    return (Decimal(int(fen or 0)) / 100).quantize(Decimal("0.01"))


class UtcDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and returned timezone-aware on both dialects.

    SQLite keeps no offset: an aware local time would come back naive and be misread.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    @property
    def python_type(self) -> type:
        return datetime
