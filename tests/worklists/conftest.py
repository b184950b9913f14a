"""The worklist tests use the CLI's SQLite file fixture for `tui-crm renewals`."""

from tests.cli.conftest import cli_services

__all__ = ["cli_services"]
