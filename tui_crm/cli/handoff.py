"""Hand this command to the preloaded session server when one is running (docs/ssh.md).

A `tui-crm` process spends most of its start importing Textual, SQLAlchemy and pandas
into memory of its own. `tui-crm server` imports them once and forks a process per
command or TUI session; this side connects to its socket, passes the terminal (the three
standard file descriptors), the arguments, the environment, the working folder and the
umask, forwards signals (window resizes, Ctrl+C, hang-up) to the process the server
started and exits with its exit code. When no server answers, or the server runs another
build of the program, the command runs here as before.

Only the standard library is imported here: this runs first in every `tui-crm` process.
"""

import json
import os
import signal
import socket
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

import tui_crm

SOCKET_NAME = "server.sock"
FORWARDED = (signal.SIGWINCH, signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
MESSAGE_LIMIT = 1 << 20
# Options of the top-level parser that take a value (they may come before the command).
_VALUED_OPTIONS = {"--lang", "--config"}


def socket_path() -> Path | None:
    """Where the server listens: TUI_CRM_SERVER_SOCKET, else the state folder; None = off."""
    if os.environ.get("TUI_CRM_NO_SERVER"):
        return None
    explicit = os.environ.get("TUI_CRM_SERVER_SOCKET")
    if explicit is not None:
        return Path(explicit) if explicit.strip() else None
    from tui_crm.config import state_dir

    return state_dir() / SOCKET_NAME


def build_fingerprint() -> str:
    """Which build of the program this is: a server of another build is not used."""
    package = Path(tui_crm.__file__)
    return f"{tui_crm.__version__}:{package.parent}:{package.stat().st_mtime_ns}"


def command_name(argv: Sequence[str]) -> str | None:
    """The subcommand argv names (None: the TUI), skipping the top-level options."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUED_OPTIONS:
            skip = True
        elif not token.startswith("-"):
            return token
    return None


def _current_umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _receive(connection: socket.socket) -> dict[str, object] | None:
    try:
        data = connection.recv(MESSAGE_LIMIT)
    except OSError:
        return None
    if not data:
        return None
    message = json.loads(data)
    return message if isinstance(message, dict) else None


def hand_off(argv: Sequence[str]) -> int | None:
    """Run argv in the server's process and return its exit code; None = run it here."""
    path = socket_path()
    if path is None or command_name(argv) == "server" or not path.exists():
        return None
    try:
        folder = os.getcwd()
    except OSError:  # the folder was removed: whatever this process can do, it does here
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    request = {
        "build": build_fingerprint(),
        "argv": list(argv),
        "env": dict(os.environ),
        "cwd": folder,
        "umask": _current_umask(),
    }
    try:
        connection.connect(str(path))
        socket.send_fds(connection, [json.dumps(request).encode()], [0, 1, 2])
    except OSError:  # a stale socket, a stopped server, a closed standard stream
        connection.close()
        return None
    reply = _receive(connection)
    pid = reply.get("pid") if reply else None
    if not isinstance(pid, int):
        connection.close()
        return None
    return _wait_for(connection, pid)


def probe(path: Path) -> str | None:
    """The build of the server answering at `path`; None when none answers."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as connection:
        connection.settimeout(5)
        try:
            connection.connect(str(path))
            connection.send(json.dumps({"probe": True}).encode())
        except OSError:
            return None
        reply = _receive(connection)
    build = reply.get("build") if reply else None
    return build if isinstance(build, str) else None


def _wait_for(connection: socket.socket, pid: int) -> int:
    def forward(signum: int, _frame: object) -> None:
        with suppress(ProcessLookupError):
            os.kill(pid, signum)

    for signum in FORWARDED:
        signal.signal(signum, forward)
    while True:
        message = _receive(connection)
        if message is None:
            # The server and the process both went away without an exit code.
            print("tui-crm: 会话服务中断，命令结果未知", file=sys.stderr)
            return 1
        code = message.get("exit")
        if isinstance(code, int):
            return code
