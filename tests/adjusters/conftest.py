"""The roster's CLI tests use the CLI's SQLite file fixture."""

from tests.cli.conftest import cli_services

__all__ = ["cli_services"]
