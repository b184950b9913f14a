"""Fixtures: every storage/service test runs on SQLite, and on PostgreSQL when
TUI_CRM_TEST_PG_URL is set (each PostgreSQL test inside a transaction rolled back)."""

import os
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Engine, create_engine

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


def _fresh_pg_schema(schema: str) -> None:
    admin = make_engine(PG_URL or "")
    with admin.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    admin.dispose()


def _pg_schema_engine(schema: str) -> Engine:
    """An engine whose tables live in `schema` (extensions stay in public)."""
    return create_engine(
        normalise_url(PG_URL or ""),
        connect_args={"prepare_threshold": None, "options": f"-csearch_path={schema},public"},
    ).execution_options(schema_translate_map={None: schema})


@pytest.fixture(scope="session")
def pg_engine():  # type: ignore[no-untyped-def]
    """One schema per test worker: parallel workers never drop each other's tables."""
    if not PG_URL:
        pytest.skip("TUI_CRM_TEST_PG_URL not set")
    schema = "test_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
    _fresh_pg_schema(schema)
    engine = _pg_schema_engine(schema)
    ensure_ready(Database(engine))
    yield engine
    engine.dispose()


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
    """A database whose commits are real, for tests with threads: a SQLite file, or a
    PostgreSQL schema of its own dropped afterwards (the rolled-back test connection
    cannot be shared between threads)."""
    if request.param == "sqlite":
        db = Database.from_url(f"sqlite:///{tmp_path / 'threads.db'}")
        ensure_ready(db)
        yield db
        db.dispose()
        return
    request.getfixturevalue("pg_engine")  # skips without PostgreSQL
    schema = f"threads_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    _fresh_pg_schema(schema)
    engine = _pg_schema_engine(schema)
    db = Database(engine)
    ensure_ready(db)
    yield db
    engine.dispose()
    admin = make_engine(PG_URL or "")
    with admin.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin.dispose()
