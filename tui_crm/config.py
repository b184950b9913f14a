"""Settings: one `tui-crm.toml` file, the environment over it (docs/configuration.md).

Where a value comes from, first found wins: the command line (`--lang`), the environment
(`TUI_CRM_*`), the config file (`--config FILE`, `TUI_CRM_CONFIG`, or `tui-crm.toml` in
the platform config folder, e.g. `~/.config/tui-crm/tui-crm.toml`), the default.
Secrets (database password, SMS gateway token) come only from the environment: a
password written into the file is ignored and reported as a problem (`tui-crm doctor`).
Pure Python: nothing of the product is imported here.
"""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from platformdirs import user_config_dir, user_data_dir, user_log_dir, user_state_dir

APP = "tui-crm"
CONFIG_NAME = "tui-crm.toml"
LANGUAGES = ("zh_CN", "en")
SECTIONS = {
    "": {"database_url", "language", "timezone", "export_dir", "sms"},
    "sms": {"url", "account", "sender", "timeout_seconds"},
}


def default_database_path() -> Path:
    return Path(user_data_dir(APP, appauthor=False)) / "crm.db"


def default_config_path() -> Path:
    return Path(user_config_dir(APP, appauthor=False)) / CONFIG_NAME


def log_dir() -> Path:
    return Path(os.environ.get("TUI_CRM_LOG_DIR") or user_log_dir(APP, appauthor=False))


def state_dir() -> Path:
    return Path(os.environ.get("TUI_CRM_STATE_DIR") or user_state_dir(APP, appauthor=False))


@dataclass(frozen=True)
class SmsGateway:
    """The SMS gateway section; its token only from `TUI_CRM_SMS_TOKEN`."""

    url: str = ""
    account: str = ""
    sender: str = ""
    timeout_seconds: float = 10.0
    token: str = field(default="", repr=False)


@dataclass(frozen=True)
class Settings:
    database_url: str
    lang: str = "zh_CN"
    # Cheap argon2 parameters: for the test suite and throwaway demo books only.
    fast_hash: bool = False
    timezone: str = ""
    export_dir: Path | None = None
    sms: SmsGateway = field(default_factory=SmsGateway)
    config_file: Path | None = None  # the file read, None when there was none
    problems: tuple[str, ...] = ()  # what is wrong in the file, one line each (English)

    @classmethod
    def from_env(cls, *, lang: str | None = None, config: str | Path | None = None) -> "Settings":
        path, data, problems = _read_file(config)
        env = os.environ
        # The file's URL is read even when overridden: a password in it is still a problem.
        file_url = _file_url(data.get("database_url"), problems)
        url = env.get("TUI_CRM_DATABASE_URL") or file_url
        return cls(
            database_url=url or f"sqlite:///{default_database_path()}",
            lang=lang or env.get("TUI_CRM_LANG") or _file_language(data, problems) or "zh_CN",
            fast_hash=env.get("TUI_CRM_FAST_HASH") == "1",
            timezone=env.get("TUI_CRM_TIMEZONE") or _text(data, "timezone", problems),
            export_dir=_export_dir(
                env.get("TUI_CRM_EXPORT_DIR") or _text(data, "export_dir", problems)
            ),
            sms=_sms(data.get("sms"), problems),
            config_file=path,
            problems=tuple(problems),
        )


def config_path(config: str | Path | None = None) -> Path:
    """The config file in use: `--config`, else `TUI_CRM_CONFIG`, else the platform's."""
    chosen = config or os.environ.get("TUI_CRM_CONFIG")
    return Path(chosen).expanduser() if chosen else default_config_path()


def _read_file(config: str | Path | None) -> tuple[Path | None, dict[str, Any], list[str]]:
    path = config_path(config)
    problems: list[str] = []
    try:
        found = path.is_file()
    except (OSError, ValueError):  # a name too long for the system, a NUL in it
        found = False
    if not found:
        if config or os.environ.get("TUI_CRM_CONFIG"):
            problems.append(f"config file {str(path)[:200]} does not exist")
        return None, {}, problems
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        problems.append(f"config file {path} cannot be read: {error}")
        return path, {}, problems
    for key in sorted(set(data) - SECTIONS[""]):
        problems.append(
            f"{path}: unknown setting '{key}' (known: {', '.join(sorted(SECTIONS['']))})"
        )
    return path, data, problems


def _text(data: dict[str, Any], key: str, problems: list[str]) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        problems.append(f"'{key}' must be a string in quotes")
        return ""
    return value.strip()


def _file_url(value: Any, problems: list[str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append("'database_url' must be a non-empty string")
        return ""
    parts = urlsplit(value.strip())
    if parts.password:
        problems.append(
            "'database_url' holds a password: remove it from the file and set "
            "PGPASSWORD (or TUI_CRM_DATABASE_URL) in the environment instead"
        )
        netloc = parts.netloc.rsplit("@", 1)
        user = (parts.username or "") + "@"
        return urlunsplit(parts._replace(netloc=user + netloc[-1]))
    return value.strip()


def _file_language(data: dict[str, Any], problems: list[str]) -> str:
    value = _text(data, "language", problems)
    if value and value not in LANGUAGES:
        problems.append(f"'language' must be one of {', '.join(LANGUAGES)}, not '{value}'")
        return ""
    return value


def _export_dir(value: str) -> Path | None:
    return Path(value).expanduser() if value else None


def _sms(section: Any, problems: list[str]) -> SmsGateway:
    token = os.environ.get("TUI_CRM_SMS_TOKEN", "")
    if section is None:
        return SmsGateway(token=token)
    if not isinstance(section, dict):
        problems.append("'sms' must be a section: [sms]")
        return SmsGateway(token=token)
    for key in sorted(set(section) - SECTIONS["sms"]):
        hint = (
            " (secrets only from the environment: TUI_CRM_SMS_TOKEN)"
            if key in {"token", "password", "secret"}
            else ""
        )
        problems.append(f"[sms]: unknown setting '{key}'{hint}")
    timeout = section.get("timeout_seconds", 10.0)
    if not isinstance(timeout, int | float) or timeout <= 0:
        problems.append("[sms] 'timeout_seconds' must be a positive number")
        timeout = 10.0
    return SmsGateway(
        url=_text(section, "url", problems),
        account=_text(section, "account", problems),
        sender=_text(section, "sender", problems),
        timeout_seconds=float(timeout),
        token=token,
    )
