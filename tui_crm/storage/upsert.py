"""INSERT … ON CONFLICT DO UPDATE for both dialects (one statement, so two sessions writing
the same key at once cannot both try to insert it)."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite


def upsert(
    connection: Connection,
    table: Any,
    values: Mapping[str, Any],
    *,
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert `values`, or update the `update` columns of the row that has the same `keys`."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: statement.excluded[name] for name in update},
    )
    connection.execute(statement)
