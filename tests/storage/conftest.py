"""An empty book of its own on each database, with the URL the CLI opens it by."""

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.conftest import DIALECTS, PG_URL, drop_pg_schema, pg_schema_engine
from tui_crm.storage.db import Database

_numbers = itertools.count()


@dataclass
class EmptyBook:
    database: Database
    url: str
    name: str


def make_empty_book(dialect: str, tmp_path, label: str) -> EmptyBook:
    if dialect == "sqlite":
        url = f"sqlite:///{tmp_path / f'{label}.db'}"
        return EmptyBook(Database.from_url(url), url, str(tmp_path / f"{label}.db"))
    schema = f"{label}_{os.getpid()}_{next(_numbers)}"
    return EmptyBook(
        Database(pg_schema_engine(schema)),
        f"{PG_URL}?options=-csearch_path%3D{schema},public",
        schema,
    )


def drop_empty_book(book: EmptyBook) -> None:
    book.database.dispose()
    if not book.database.is_sqlite:
        drop_pg_schema(book.name)


@pytest.fixture(params=DIALECTS)
def empty_book(request, tmp_path) -> Iterator[EmptyBook]:
    book = make_empty_book(request.param, tmp_path, "book")
    yield book
    drop_empty_book(book)
