"""Fixtures: every storage/service test runs on SQLite, and on PostgreSQL when
TUI_CRM_TEST_PG_URL is set (each PostgreSQL test inside a transaction rolled back).

On PostgreSQL every pytest process (each xdist worker, or the one process without xdist)
works in its own schema of that database, so parallel workers never touch each other's
tables; pg_trgm stays in `public`, which every worker's search path includes."""

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from tests.factories import TODAY
from tui_crm.i18n import set_language
from tui_crm.services.container import Services, make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database, make_engine, normalise_url

PG_URL = os.environ.get("TUI_CRM_TEST_PG_URL")
DIALECTS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(autouse=True)
def _chinese_by_default() -> Iterator[None]:
    set_language("zh_CN")
    yield


@pytest.fixture(autouse=True)
def _private_folders(tmp_path_factory, monkeypatch) -> None:
    """No test reads the machine's config file or writes its logs or session tokens."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("TUI_CRM_STATE_DIR", str(home / "state"))
    monkeypatch.setenv("TUI_CRM_LOG_DIR", str(home / "log"))
    monkeypatch.delenv("TUI_CRM_CONFIG", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    set_language("zh_CN")


def pg_schema_engine(schema: str):
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


def pg_schema() -> str:
    """This process's schema: crm_test_gw0, crm_test_gw1, … under xdist, else crm_test_main."""
    return "crm_test_" + os.environ.get("PYTEST_XDIST_WORKER", "main")


def pg_url_with_search_path(url: str, *schemas: str) -> str:
    """The URL whose every connection starts with `search_path` set to `schemas`."""
    options = "-csearch_path=" + ",".join(schemas)
    return (
        make_url(normalise_url(url))
        .update_query_dict({"options": options})
        .render_as_string(hide_password=False)
    )


# Any number for pg_advisory_lock, shared by the workers: they set up one at a time.
_SETUP_LOCK = 0x7C4D_7E57


def _set_up_pg_schema(url: str, schema: str) -> Engine:
    """A fresh `schema` with every table; `public` holds pg_trgm and none of the tables
    (a table there would shadow a missing one and a worker would write into it)."""
    admin = make_engine(pg_url_with_search_path(url, "public"))
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SETUP_LOCK})
        connection.commit()
        try:
            with connection.begin():
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
            Database(connection).drop_schema()  # tables left in public by older suites
            connection.commit()
            with connection.begin():
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            engine = make_engine(pg_url_with_search_path(url, schema, "public"))
            ensure_ready(Database(engine))
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SETUP_LOCK})
            connection.commit()
    admin.dispose()
    return engine


@pytest.fixture(scope="session")
def pg_engine():
    """One schema per test worker: parallel workers never drop each other's tables."""
    if not PG_URL:
        pytest.skip("TUI_CRM_TEST_PG_URL not set")
    engine = _set_up_pg_schema(PG_URL, pg_schema())
    yield engine
    engine.dispose()
    drop_pg_schema(pg_schema())


@pytest.fixture(params=DIALECTS)
def database(request, tmp_path) -> Iterator[Database]:
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
def sqlite_database(tmp_path) -> Iterator[Database]:
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
def committed_database(request, tmp_path) -> Iterator[Database]:
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
