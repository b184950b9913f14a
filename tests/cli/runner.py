"""Running the real `tui-crm` entry point in-process: exit code, stdout, stderr, JSON."""

import json
from typing import Any, NamedTuple

import pytest

from tui_crm.cli import main


class CliResult(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        """stdout parsed as JSON (fails the test when it is not JSON)."""
        return json.loads(self.out)

    @property
    def data(self) -> Any:
        """stdout parsed as JSON when it is JSON, else the text."""
        return self.json if self.out.strip().startswith(("{", "[")) else self.out


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> CliResult:
    """Run `tui-crm argv…` as the console script does and capture what it wrote."""
    capsys.readouterr()  # whatever came before is not this command's output
    with pytest.raises(SystemExit) as done:
        main(argv)
    captured = capsys.readouterr()
    return CliResult(int(done.value.code or 0), captured.out, captured.err)
