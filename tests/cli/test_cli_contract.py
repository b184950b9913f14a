"""The CLI contract: option placement, JSON on stdout, reasons on stderr, exit codes."""

import json

import pytest

from tests.factories import make_user
from tui_crm.cli import main
from tui_crm.config import Settings
from tui_crm.services.container import make_services
from tui_crm.storage.db import Database


@pytest.fixture
def cli_db(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.delenv("TUI_CRM_LANG", raising=False)
    from tui_crm.services.setup.seed import ensure_ready

    database = Database.from_url(url)
    ensure_ready(database)
    services = make_services(database, fast_hash=True)
    make_user(services, "counter", "counter", "330402")
    yield services
    database.dispose()


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(argv)
    return int(done.value.code or 0)


def test_whoami_json_after_the_subcommand(cli_db, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    assert run(["whoami", "--user", "counter", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["username"] == "counter" and data["unit_code"] == "330402"
    assert isinstance(data["id"], int)


def test_bad_password_exit_3_and_json_error(cli_db, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TUI_CRM_PASSWORD", "wrong")
    assert run(["whoami", "--user", "counter", "--json"]) == 3
    out = capsys.readouterr()
    assert json.loads(out.out)["error"]["code"] == "auth_failed"
    assert "用户名或密码错误" in out.err


def test_cli_failures_count_toward_lockout(cli_db, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TUI_CRM_PASSWORD", "wrong")
    codes = [run(["whoami", "--user", "counter", "--json"]) for _ in range(5)]
    assert codes == [3] * 5
    capsys.readouterr()
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    assert run(["whoami", "--user", "counter", "--json", "--lang", "en"]) == 3
    out = capsys.readouterr()
    assert json.loads(out.out)["error"]["code"] == "locked"
    assert "locked" in out.err


def test_usage_error_exit_2(cli_db, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(["whoami"]) == 2  # --user missing
    assert run(["no-such-command"]) == 2


def test_missing_password_without_terminal_is_an_auth_failure(cli_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("TUI_CRM_PASSWORD", raising=False)
    assert run(["whoami", "--user", "counter"]) == 3


def test_english_output(cli_db, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TUI_CRM_PASSWORD", "wrong")
    assert run(["whoami", "--user", "counter", "--lang", "en"]) == 3
    assert "Wrong username or password" in capsys.readouterr().err


def test_settings_default_to_a_sqlite_file_in_the_user_data_dir(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("TUI_CRM_DATABASE_URL", raising=False)
    url = Settings.from_env().database_url
    assert url.startswith("sqlite:///") and url.endswith("crm.db")


def test_schema_command_writes_ddl(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "schema.sql"
    assert run(["schema", "--out", str(out)]) == 0
    assert "CREATE TABLE customer" in out.read_text(encoding="utf-8")
