"""The other readings of each customer's name (`core.heteronyms`) in `customer_pinyin`:
written with every create and rename, and filled in once for a book built before them
(`ensure_ready`, or the demo build at its end; a marker in `book_meta` says it was
done)."""

from sqlalchemy import delete, insert, text
from sqlmodel import Session, col

from tui_crm.domain import CustomerKind
from tui_crm.services.core.heteronyms import pinyin_variants
from tui_crm.storage.db import Database
from tui_crm.storage.models import BookMeta, CustomerPinyin

MARKER = "pinyin_variants"
BATCH = 5000


def write_variants(session: Session, customer_id: int, name: str, kind: str) -> None:
    """Replace the customer's other readings with those of `name`."""
    session.execute(delete(CustomerPinyin).where(col(CustomerPinyin.customer_id) == customer_id))
    rows = _rows(customer_id, name, kind)
    if rows:
        session.execute(insert(CustomerPinyin), rows)


def refresh_pinyin_variants(database: Database) -> int:
    """Fill `customer_pinyin` for every customer, once per book; how many rows."""
    written = 0
    with database.session() as session:
        if session.get(BookMeta, MARKER) is not None:
            return 0
        if session.connection().execute(text("SELECT 1 FROM customer LIMIT 1")).first() is None:
            return 0  # an empty book: its customers get their readings as they are added
        session.execute(delete(CustomerPinyin))
        result = session.connection().execute(text("SELECT id, name, kind FROM customer"))
        while batch := result.fetchmany(BATCH):
            rows = [row for c in batch for row in _rows(c[0], c[1], c[2])]
            if rows:
                session.connection().execute(insert(CustomerPinyin), rows)
                written += len(rows)
        session.add(BookMeta(key=MARKER, value="1"))
        session.commit()
    return written


def _rows(customer_id: int, name: str, kind: str) -> list[dict[str, object]]:
    person = kind == CustomerKind.INDIVIDUAL
    return [
        {"customer_id": customer_id, "pinyin": full, "initials": initials}
        for full, initials in pinyin_variants(name, person=person)
    ]
