"""The CLI contract: option placement, JSON on stdout, reasons on stderr, exit codes."""

import pytest

from tests.factories import make_user
from tui_crm.config import Settings


@pytest.fixture
def cli_db(cli_services):
    make_user(cli_services, "counter", "counter", "330402")
    return cli_services


def test_whoami_json_after_the_subcommand(cli_db, monkeypatch, run) -> None:
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    result = run(["whoami", "--user", "counter", "--json"])
    assert result.code == 0
    data = result.json
    assert data["username"] == "counter" and data["unit_code"] == "330402"
    assert isinstance(data["id"], int)


def test_bad_password_exit_3_and_json_error(cli_db, monkeypatch, run) -> None:
    monkeypatch.setenv("TUI_CRM_PASSWORD", "wrong")
    result = run(["whoami", "--user", "counter", "--json"])
    assert result.code == 3
    assert result.json["error"]["code"] == "auth_failed"
    assert "用户名或密码错误" in result.err


def test_cli_failures_count_toward_lockout(cli_db, monkeypatch, run) -> None:
    monkeypatch.setenv("TUI_CRM_PASSWORD", "wrong")
    codes = [run(["whoami", "--user", "counter", "--json"]).code for _ in range(5)]
    assert codes == [3] * 5
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    result = run(["whoami", "--user", "counter", "--json", "--lang", "en"])
    assert result.code == 3
    assert result.json["error"]["code"] == "locked"
    assert "locked" in result.err


def test_usage_error_exit_2(cli_db, run) -> None:
    result = run(["whoami"])
    assert result.code == 2
    result = run(["no-such-command"])
    assert result.code == 2


def test_missing_password_without_terminal_is_an_auth_failure(cli_db, monkeypatch, run) -> None:
    monkeypatch.delenv("TUI_CRM_PASSWORD", raising=False)
    result = run(["whoami", "--user", "counter"])
    assert result.code == 3


def test_english_output(cli_db, monkeypatch, run) -> None:
    monkeypatch.setenv("TUI_CRM_PASSWORD", "wrong")
    result = run(["whoami", "--user", "counter", "--lang", "en"])
    assert result.code == 3
    assert "Wrong username or password" in result.err


def test_settings_default_to_a_sqlite_file_in_the_user_data_dir(monkeypatch) -> None:
    monkeypatch.delenv("TUI_CRM_DATABASE_URL", raising=False)
    url = Settings.from_env().database_url
    assert url.startswith("sqlite:///") and url.endswith("crm.db")


def test_schema_command_writes_ddl(tmp_path, run) -> None:
    out = tmp_path / "schema.sql"
    result = run(["schema", "--out", str(out)])
    assert result.code == 0
    assert "CREATE TABLE customer" in out.read_text(encoding="utf-8")
