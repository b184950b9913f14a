"""The campaign tests use the CLI's SQLite file fixture for `tui-crm campaign`."""

from tests.cli.conftest import cli_services

__all__ = ["cli_services"]
