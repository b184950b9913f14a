"""Pilot tests run on SQLite only: the app's workers query from threads, and the
PostgreSQL test database is one connection inside a rolled-back transaction, which threads
cannot share. The services under the screens are tested on both databases.

Helpers (the app, signing in, waiting for workers) are in `tests/ui/pilot.py`."""

import pytest

from tui_crm.services.container import Services, make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.storage.db import Database


@pytest.fixture
def database(sqlite_database: Database) -> Database:
    return sqlite_database


@pytest.fixture
def services(sqlite_database: Database, clock: FixedClock) -> Services:
    """The suite's fixed clock and the fast password hash, on SQLite."""
    return make_services(sqlite_database, clock=clock, fast_hash=True)


@pytest.fixture
def counter_user(services: Services) -> None:
    """A counter clerk `counter` (password demo-pass) for tests that sign in by keyboard."""
    from tests.factories import make_user

    make_user(services, "counter", "counter")
