"""What the last import of each extract key gave, as digests: the row's cells and the
import's context, the row it was written to, and what that row held right after. The next
import of an unchanged row compares digests instead of parsing it again."""

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel


class ImportRow(SQLModel, table=True):
    """One extract key (`kind`, `source`, `key` as the import normalises it): the digest
    of the cells it last came with (`digest`), the id of the row it was written to
    (`target_id`) and the digest of that row's values after the write (`state`)."""

    __tablename__ = "import_row"
    __table_args__ = (Index("ix_import_row_digest", "kind", "source", "digest"),)
    kind: str = Field(max_length=20, primary_key=True)
    source: str = Field(max_length=20, primary_key=True)
    key: str = Field(max_length=80, primary_key=True)
    digest: str = Field(max_length=32)
    target_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    state: str = Field(max_length=32)
