"""Is the book ready for this program? One query on every start instead of the whole
preparation.

`ensure_ready` prepares a book (schema created or checked, reference data seeded, derived
search columns brought up to date) once per program release and reference data: it then
writes a marker into `book_meta` naming the schema revision and a digest of the
reference-data files. Every later start reads the revision and that marker in one query
(no reflection, no ORM) and goes on when both match; anything else — a new book, one
made before migrations, another revision, changed reference data — takes the whole
preparation, which says what to run when the book cannot be used.
"""

from tui_crm.services.setup.marker import READY_KEY, readiness
from tui_crm.storage.db import Database
from tui_crm.storage.migrate import head_revision


def is_ready(database: Database) -> bool:
    """True when the book was prepared by this program (one query)."""
    return database.read_marker(READY_KEY) == (head_revision(), readiness())


def ensure_ready(database: Database) -> None:
    """Create the schema if missing (at the head revision), seed reference data (first
    run) and bring derived search columns of an older book up to date — skipped, after
    one query, when this program prepared the book already. A book at another schema
    revision is refused with what to run (`SchemaOutOfDate`)."""
    if is_ready(database):
        return
    from tui_crm.services.setup.seed import prepare_book

    prepare_book(database)
