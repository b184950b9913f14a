"""The other readings of customers' names (乐 le / yue in a given name), for search by
pinyin: the customer row holds the most common reading, this table the rest (a few rows
per name at most, none for most names)."""

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class CustomerPinyin(SQLModel, table=True):
    __tablename__ = "customer_pinyin"
    __table_args__ = (
        Index("ix_customer_pinyin_initials", "initials", "customer_id"),
        Index("ix_customer_pinyin_full", "pinyin", "customer_id"),
        Index("ix_customer_pinyin_customer", "customer_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    pinyin: str = Field(max_length=400)  # "zhangyue"
    initials: str = Field(max_length=100)  # "zy"
