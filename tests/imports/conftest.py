"""An administrator who imports, and the counter clerk who made 王建国 by hand."""

import pytest

from tests.factories import make_customer, make_user
from tests.imports.night import WANG, write_night
from tui_crm.services.container import Services
from tui_crm.services.core.actor import Actor


@pytest.fixture
def admin(services: Services) -> Actor:
    return make_user(services, "importer", "admin", "3304")


@pytest.fixture
def night(tmp_path):
    return write_night(tmp_path / "night")


@pytest.fixture
def hand_made(services: Services) -> int:
    """王建国 as the counter entered him before the core system's extract arrived."""
    return make_customer(services, "王建国", id_number=WANG, source="walk_in")
