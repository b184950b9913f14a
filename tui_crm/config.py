"""Settings from the environment (docs/cli.md): database URL, language, hashing profile."""

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir


def default_database_path() -> Path:
    return Path(user_data_dir("tui-crm", appauthor=False)) / "crm.db"


@dataclass(frozen=True)
class Settings:
    database_url: str
    lang: str = "zh_CN"
    # Cheap argon2 parameters: for the test suite and throwaway demo books only.
    fast_hash: bool = False

    @classmethod
    def from_env(cls, *, lang: str | None = None) -> "Settings":
        url = os.environ.get("TUI_CRM_DATABASE_URL") or f"sqlite:///{default_database_path()}"
        return cls(
            database_url=url,
            lang=lang or os.environ.get("TUI_CRM_LANG") or "zh_CN",
            fast_hash=os.environ.get("TUI_CRM_FAST_HASH") == "1",
        )
