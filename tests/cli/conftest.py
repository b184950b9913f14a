"""CLI tests run `tui-crm` in-process against a SQLite file named by the environment, as
the console script would (`run`, and `run_cli` in `tests/cli/runner.py` for other folders)."""

from collections.abc import Callable, Iterator

import pytest

from tests.cli.runner import CliResult, run_cli
from tui_crm.services.container import Services, make_services
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[[list[str]], CliResult]:
    return lambda argv: run_cli(capsys, argv)


@pytest.fixture
def cli_services(tmp_path, monkeypatch) -> Iterator[Services]:
    """A fresh SQLite file the CLI opens through TUI_CRM_DATABASE_URL (fast hash, Chinese,
    TUI_CRM_PASSWORD set to the test users' password), and services on it to build a book
    with. The services use the real clock, like the CLI."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    monkeypatch.delenv("TUI_CRM_LANG", raising=False)
    database = Database.from_url(url)
    ensure_ready(database)
    yield make_services(database, fast_hash=True)
    database.dispose()
