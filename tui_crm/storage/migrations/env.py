"""Alembic environment: runs on the connection `tui_crm.storage.migrate` hands over
(`config.attributes["connection"]`), or on `sqlalchemy.url` when Alembic's own command
line is used. SQLite alters tables in batch mode (copy and rename)."""

from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine
from sqlmodel import SQLModel

import tui_crm.storage.models  # noqa: F401 - registers every table on SQLModel.metadata
from tui_crm.storage.migrate import include_object

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection: Any = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as own:
        _run(own)
    engine.dispose()


run()
