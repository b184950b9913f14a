"""Fixtures: every storage/service test runs on SQLite, and on PostgreSQL when
TUI_CRM_TEST_PG_URL is set (each PostgreSQL test inside a transaction rolled back)."""

import os
from collections.abc import Iterator
from datetime import datetime

import pytest

from tui_crm.i18n import set_language
from tui_crm.services.container import Services, make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.setup.seed import ensure_ready
from tui_crm.storage.db import Database, make_engine

PG_URL = os.environ.get("TUI_CRM_TEST_PG_URL")
DIALECTS = ["sqlite"] + (["postgresql"] if PG_URL else [])

# The suite's "today": fixed so date rules are deterministic.
TODAY = datetime(2026, 11, 25, 10, 0)


@pytest.fixture(autouse=True)
def _chinese_by_default() -> Iterator[None]:
    set_language("zh_CN")
    yield
    set_language("zh_CN")


@pytest.fixture(scope="session")
def pg_engine():  # type: ignore[no-untyped-def]
    if not PG_URL:
        pytest.skip("TUI_CRM_TEST_PG_URL not set")
    engine = make_engine(PG_URL)
    database = Database(engine)
    database.drop_schema()
    ensure_ready(database)
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
