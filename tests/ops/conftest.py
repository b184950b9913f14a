"""The ops tests run the CLI like the console script does (see tests/cli/conftest.py)."""

from tests.cli.conftest import cli_services, run

__all__ = ["cli_services", "run"]
