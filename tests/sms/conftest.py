"""The SMS tests use the CLI's SQLite file fixture for the `tui-crm sms` commands."""

from tests.cli.conftest import cli_services

__all__ = ["cli_services"]
