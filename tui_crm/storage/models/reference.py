"""Effective-dated rate tables (交强险, 车船税, commercial motor, NCD, depreciation...).

A table is a header (code, region, effective date, source) with keyed rows; a trial uses
the version of each table in force on the policy start date.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import rate_field, timestamp_field


class RateTable(SQLModel, table=True):
    __tablename__ = "rate_table"
    __table_args__ = (Index("ix_rate_table_lookup", "code", "region", "effective_from"),)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40)  # e.g. ctpl_base, ctpl_floating, vehicle_tax, ncd
    region: str = Field(default="national", max_length=20)
    effective_from: date
    source: str = Field(default="", max_length=300)
    note: str = Field(default="", max_length=300)
    created_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = timestamp_field()


class RateEntry(SQLModel, table=True):
    __tablename__ = "rate_entry"
    id: int | None = Field(default=None, primary_key=True)
    table_id: int = Field(foreign_key="rate_table.id", index=True)
    key: str = Field(max_length=80)  # e.g. "family:lt6", "A1", "1.6-2.0"
    label: str = Field(default="", max_length=120)
    value: Decimal = rate_field(default=Decimal(0))  # amount or rate, per the table's code
