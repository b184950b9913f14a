"""The change log of derived data: one row per changed base row that the report cube, the
customer facts or the classification inputs read. Written by database triggers
(`storage.change_log`), consumed and emptied by the refresh of the derived data."""

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel


class DerivedChange(SQLModel, table=True):
    __tablename__ = "derived_change"
    id: int | None = Field(default=None, primary_key=True)
    table_name: str = Field(max_length=20)  # policy, claim, customer, vehicle, ...
    row_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    policy_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    customer_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    cube: int = Field(default=1)  # 1: a column the report cube reads changed
