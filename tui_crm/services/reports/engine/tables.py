"""The base tables the report SQL reads, and small SQL helpers on them."""

from typing import Any

from sqlalchemy import BigInteger, ColumnElement, extract, type_coerce

from tui_crm.storage.models import (
    Claim,
    Contact,
    Customer,
    Intermediary,
    OrgUnit,
    Policy,
    Receivable,
    StaffUser,
    Vehicle,
)

P = Policy.__table__  # type: ignore[attr-defined]
CL = Claim.__table__  # type: ignore[attr-defined]
C = Customer.__table__  # type: ignore[attr-defined]
V = Vehicle.__table__  # type: ignore[attr-defined]
IM = Intermediary.__table__  # type: ignore[attr-defined]
S = StaffUser.__table__  # type: ignore[attr-defined]
U = OrgUnit.__table__  # type: ignore[attr-defined]
CT = Contact.__table__  # type: ignore[attr-defined]
R = Receivable.__table__  # type: ignore[attr-defined]


def fen(column: Any) -> ColumnElement[int]:
    """A money column as its stored integer fen (no Decimal round trip inside SQL)."""
    return type_coerce(column, BigInteger)


def month_key(column: Any) -> ColumnElement[int]:
    """yyyymm of a date column, on either dialect."""
    return extract("year", column) * 100 + extract("month", column)
