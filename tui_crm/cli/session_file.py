"""The session token of `tui-crm login` on disk: one owner-only file in the platform state
folder (`TUI_CRM_STATE_DIR`), naming the database and the user it is for."""

import json
import os
import stat
from datetime import datetime
from pathlib import Path

from tui_crm.config import state_dir
from tui_crm.i18n import tr

FILE_NAME = "session-token"


def token_path() -> Path:
    return state_dir() / FILE_NAME


def save(database: str, username: str, token: str, expires_at: datetime) -> Path:
    path = token_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = {
        "database": database,
        "user": username,
        "token": token,
        "expires_at": expires_at.isoformat(),
    }
    temporary = path.with_name(FILE_NAME + ".new")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    temporary.replace(path)
    return path


def load() -> dict[str, str] | None:
    """The stored token, None when there is none (or it is unreadable)."""
    path = token_path()
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if mode & 0o077:
        from tui_crm.services.core import AuthFailed

        raise AuthFailed(
            tr(
                "会话令牌文件 {p} 其他用户可读，已拒绝使用：请删除它并重新运行 tui-crm login",
                "The session token file {p} is readable by other users and was refused: "
                "delete it and run tui-crm login again",
                p=path,
            )
        )
    return data if isinstance(data, dict) else None


def token_for(database: str, username: str) -> str | None:
    data = load()
    if data and data.get("database") == database and data.get("user") == username.strip():
        token = data.get("token")
        return token if isinstance(token, str) else None
    return None


def remove() -> None:
    token_path().unlink(missing_ok=True)
