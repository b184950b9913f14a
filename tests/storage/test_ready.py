"""The start-up check: a book this program prepared is recognised by one query (schema
revision and the marker in `book_meta`); anything else takes the whole preparation."""

from sqlalchemy import text

from tui_crm.services.setup import ensure_ready
from tui_crm.services.setup.marker import READY_KEY, readiness
from tui_crm.services.setup.ready import is_ready
from tui_crm.storage import migrate


def threshold_codes(database) -> set[str]:
    with database.connect() as connection:
        return set(connection.execute(text("SELECT code FROM threshold")).scalars())


def test_an_empty_book_is_prepared_and_marked(empty_book) -> None:
    database = empty_book.database
    assert database.read_marker(READY_KEY) is None  # no tables yet: no error either
    assert not is_ready(database)
    ensure_ready(database)
    assert database.read_marker(READY_KEY) == (migrate.head_revision(), readiness())
    assert is_ready(database)
    assert "auth.token_minutes" in threshold_codes(database)


def test_a_ready_book_is_not_prepared_again_until_its_marker_is_stale(empty_book) -> None:
    database = empty_book.database
    ensure_ready(database)
    with database.connect() as connection:
        connection.execute(text("DELETE FROM threshold WHERE code = 'auth.token_minutes'"))
    ensure_ready(database)  # one query: the seeding is not run
    assert "auth.token_minutes" not in threshold_codes(database)

    # Reference data of another release: the whole preparation runs and marks it again.
    with database.connect() as connection:
        connection.execute(
            text("UPDATE book_meta SET value = 'older' WHERE key = :key"), {"key": READY_KEY}
        )
    assert not is_ready(database)
    ensure_ready(database)
    assert "auth.token_minutes" in threshold_codes(database)
    assert is_ready(database)
