"""Fixtures: every storage/service test runs on SQLite, and on PostgreSQL when
TUI_CRM_TEST_PG_URL is set (each PostgreSQL test inside a transaction rolled back)."""

import os
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from tui_crm.i18n import set_language
from tui_crm.services.container import Services, make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.setup.seed import ensure_ready
from tui_crm.storage.db import Database, make_engine, normalise_url

PG_URL = os.environ.get("TUI_CRM_TEST_PG_URL")
DIALECTS = ["sqlite"] + (["postgresql"] if PG_URL else [])

# The suite's "today": fixed so date rules are deterministic.
TODAY = datetime(2026, 11, 25, 10, 0)


@pytest.fixture(autouse=True)
def _chinese_by_default() -> Iterator[None]:
    set_language("zh_CN")
    yield
    set_language("zh_CN")


def pg_schema_engine(schema: str):  # type: ignore[no-untyped-def]
    """An engine on a fresh PostgreSQL schema of its own (parallel workers and thread tests
    never see each other's tables); pg_trgm is created once in public, under a lock."""
    assert PG_URL is not None
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(4242)")
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        # Tables a run before schemas-per-worker left in public would hide the new ones.
        SQLModel.metadata.drop_all(connection)
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    admin.dispose()
    return create_engine(
        normalise_url(PG_URL),
        pool_pre_ping=True,
        connect_args={"prepare_threshold": None, "options": f"-csearch_path={schema},public"},
    )


def drop_pg_schema(schema: str) -> None:
    assert PG_URL is not None
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    admin.dispose()


@pytest.fixture(scope="session")
def pg_engine():  # type: ignore[no-untyped-def]
    """One schema per test worker: parallel workers never drop each other's tables."""
    if not PG_URL:
        pytest.skip("TUI_CRM_TEST_PG_URL not set")
    schema = f"suite_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    engine = pg_schema_engine(schema)
    ensure_ready(Database(engine))
    yield engine
    engine.dispose()
    drop_pg_schema(schema)


@pytest.fixture(params=DIALECTS)
def database(request, tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        db = Database.from_url(f"sqlite:///{tmp_path / 'test.db'}")
        ensure_ready(db)
        yield db
        db.dispose()
        return
    engine = request.getfixturevalue("pg_engine")
    connection = engine.connect()
    outer = connection.begin()
    yield Database(connection)
    outer.rollback()
    connection.close()


@pytest.fixture
def sqlite_database(tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """SQLite only: for Pilot tests and file-level checks."""
    db = Database.from_url(f"sqlite:///{tmp_path / 'test.db'}")
    ensure_ready(db)
    yield db
    db.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture
def services(database: Database, clock: FixedClock) -> Services:
    return make_services(database, clock=clock, fast_hash=True)


@pytest.fixture(params=DIALECTS)
def committed_database(request, tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A database whose sessions really commit, for tests where threads race each other:
    a SQLite file, or on PostgreSQL a schema of its own dropped afterwards."""
    if request.param == "sqlite":
        db = Database.from_url(f"sqlite:///{tmp_path / 'race.db'}")
        db.cli_url = f"sqlite:///{tmp_path / 'race.db'}"  # type: ignore[attr-defined]
        ensure_ready(db)
        yield db
        db.dispose()
        return
    schema = f"race_{os.getpid()}"
    db = Database(pg_schema_engine(schema))
    # The same schema for a CLI run in-process (TUI_CRM_DATABASE_URL).
    db.cli_url = f"{PG_URL}?options=-csearch_path%3D{schema},public"  # type: ignore[attr-defined]
    ensure_ready(db)
    yield db
    db.dispose()
    drop_pg_schema(schema)
