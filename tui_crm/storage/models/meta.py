"""Facts about the book itself, one row per key (e.g. `demo`: built by `tui-crm demo`)."""

from sqlmodel import Field, SQLModel


class BookMeta(SQLModel, table=True):
    __tablename__ = "book_meta"
    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(default="", max_length=300)
