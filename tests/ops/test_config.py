"""The config file, the environment over it, and secrets only from the environment."""

from pathlib import Path

from tui_crm.config import Settings, default_config_path
from tui_crm.formats import iso_time, use_zone

FILE = """
database_url = "postgresql+psycopg://crm@db.example/crm"
language = "en"
timezone = "Europe/Berlin"
export_dir = "~/exports"

[sms]
url = "https://sms.example/send"
account = "jx-branch"
sender = "95585"
timeout_seconds = 5
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_gives_every_setting(tmp_path, monkeypatch):
    for name in ("TUI_CRM_DATABASE_URL", "TUI_CRM_LANG", "TUI_CRM_TIMEZONE", "TUI_CRM_EXPORT_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TUI_CRM_SMS_TOKEN", "s3cret")
    settings = Settings.from_env(config=write(tmp_path / "crm.toml", FILE))
    assert settings.database_url == "postgresql+psycopg://crm@db.example/crm"
    assert settings.lang == "en"
    assert settings.timezone == "Europe/Berlin"
    assert settings.export_dir == Path("~/exports").expanduser()
    assert (settings.sms.url, settings.sms.account, settings.sms.sender) == (
        "https://sms.example/send",
        "jx-branch",
        "95585",
    )
    assert settings.sms.timeout_seconds == 5.0
    assert settings.sms.token == "s3cret"
    assert "s3cret" not in repr(settings)
    assert settings.problems == ()


def test_the_environment_overrides_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", "sqlite:////srv/crm.db")
    monkeypatch.setenv("TUI_CRM_LANG", "zh_CN")
    monkeypatch.setenv("TUI_CRM_TIMEZONE", "Asia/Shanghai")
    monkeypatch.setenv("TUI_CRM_EXPORT_DIR", "/srv/exports")
    settings = Settings.from_env(config=write(tmp_path / "crm.toml", FILE))
    assert settings.database_url == "sqlite:////srv/crm.db"
    assert settings.lang == "zh_CN"
    assert settings.timezone == "Asia/Shanghai"
    assert settings.export_dir == Path("/srv/exports")
    # and the command line over both
    assert Settings.from_env(lang="en", config=tmp_path / "crm.toml").lang == "en"


def test_the_platform_file_is_read_without_an_option(monkeypatch):
    monkeypatch.delenv("TUI_CRM_LANG", raising=False)
    path = default_config_path()
    path.parent.mkdir(parents=True)
    write(path, 'language = "en"\n')
    settings = Settings.from_env()
    assert settings.config_file == path
    assert settings.lang == "en"


def test_secrets_in_the_file_are_refused_and_said(tmp_path, monkeypatch):
    monkeypatch.delenv("TUI_CRM_DATABASE_URL", raising=False)
    monkeypatch.delenv("TUI_CRM_SMS_TOKEN", raising=False)
    text = 'database_url = "postgresql://crm:hunter2@db/crm"\n[sms]\ntoken = "abc"\n'
    settings = Settings.from_env(config=write(tmp_path / "crm.toml", text))
    assert "hunter2" not in settings.database_url
    assert settings.database_url == "postgresql://crm@db/crm"
    assert settings.sms.token == ""
    assert any("password" in p and "PGPASSWORD" in p for p in settings.problems)
    assert any("token" in p and "TUI_CRM_SMS_TOKEN" in p for p in settings.problems)


def test_a_broken_or_missing_file_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.delenv("TUI_CRM_LANG", raising=False)
    broken = Settings.from_env(config=write(tmp_path / "a.toml", "language = \n"))
    assert broken.lang == "zh_CN"
    assert any("cannot be read" in p for p in broken.problems)
    wrong = Settings.from_env(config=write(tmp_path / "b.toml", 'language = "fr"\nlanguge = 1\n'))
    assert wrong.lang == "zh_CN"
    assert any("'language' must be one of" in p for p in wrong.problems)
    assert any("unknown setting 'languge'" in p for p in wrong.problems)
    monkeypatch.setenv("TUI_CRM_CONFIG", str(tmp_path / "none.toml"))
    assert any("does not exist" in p for p in Settings.from_env().problems)


def test_the_configured_zone_shows_times(monkeypatch):
    from datetime import UTC, datetime

    monkeypatch.delenv("TUI_CRM_TIMEZONE", raising=False)
    moment = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)
    try:
        use_zone("Europe/Berlin")
        assert iso_time(moment) == "2026-12-06T06:00:00+01:00"
        monkeypatch.setenv("TUI_CRM_TIMEZONE", "Asia/Shanghai")
        assert iso_time(moment) == "2026-12-06T13:00:00+08:00"
    finally:
        use_zone("")
