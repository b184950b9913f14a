"""Bring the pinyin of existing books up to the surname readings (曾 zeng, not ceng).

Books written before people's surnames were read as surnames hold the everyday reading;
`ensure_ready` runs this on every start. Each surname in the table is one range scan on
the name index, and only rows whose pinyin is still the old one are rewritten, so a book
that is up to date costs a few index lookups.
"""

from sqlalchemy import text

from tui_crm.domain import CustomerKind
from tui_crm.services.core.text import name_pinyin, surname_pinyin, surname_readings
from tui_crm.storage.db import Database

_STALE = text(
    "SELECT id, name FROM customer WHERE name >= :low AND name < :high AND kind = :kind"
    " AND (name_pinyin IS NULL OR name_pinyin < :reading OR name_pinyin >= :reading_end)"
)
_WRITE = text("UPDATE customer SET name_pinyin = :full, name_initials = :initials WHERE id = :id")


def refresh_surname_pinyin(database: Database) -> int:
    """Rewrite the pinyin of the people whose surname reading is not yet stored; how many."""
    changed = 0
    with database.session() as session:
        for surname in surname_readings():
            reading, _ = surname_pinyin(surname)
            rows = session.connection().execute(
                _STALE,
                {
                    "low": surname,
                    "high": surname + "\U0010ffff",
                    "kind": CustomerKind.INDIVIDUAL.value,
                    "reading": reading,
                    "reading_end": reading + "\x7f",
                },
            )
            updates = []
            for customer_id, name in rows.all():
                full, initials = name_pinyin(name, person=True)
                if full.startswith(reading):
                    updates.append({"id": customer_id, "full": full, "initials": initials})
            if updates:
                session.connection().execute(_WRITE, updates)
                changed += len(updates)
        session.commit()
    return changed
