"""Whether the open book is a demo book (built by `tui-crm demo`), so the sign-in screen
can say how to sign in to it; a real book never shows the demo password."""

from sqlmodel import select

from tui_crm.storage.db import Database
from tui_crm.storage.models import BookMeta

DEMO_BOOK_KEY = "demo"


def is_demo_book(database: Database) -> bool:
    with database.session() as session:
        row = session.exec(select(BookMeta).where(BookMeta.key == DEMO_BOOK_KEY)).first()
    return row is not None and row.value == "1"
