"""`tui-crm server`: one preloaded parent that forks a process per command or TUI session.

Every clerk's TUI process used to import Textual, SQLAlchemy, the table classes and pandas
into private memory of its own (≈ 90 MiB before a single row), and every one-shot command
paid the same imports in time. The server imports all of it once, freezes those objects
out of the garbage collector's reach (`gc.freeze`, so collections in the children do not
write to the shared pages) and forks on request: the child shares the parent's pages
copy-on-write and starts in milliseconds.

The child becomes exactly what `tui-crm ARGS` would have been in the client's place: the
client's terminal on its standard streams, its environment, working folder and umask,
in a session of its own (a restart of the server leaves running sessions alone). The
server answers only its own Unix user (the socket is owner-only and every peer's uid is
checked), holds no database connection and starts no thread, so forking is safe.
"""

import errno
import gc
import importlib
import json
import os
import pkgutil
import selectors
import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any, NoReturn

from tui_crm.cli.handoff import MESSAGE_LIMIT, build_fingerprint, command_name, probe
from tui_crm.cli.session_child import run_child
from tui_crm.i18n import tr
from tui_crm.services.core.text import printable

# Imported by no module up front but used by sessions (reports, exports, charts, drivers).
LIBRARIES = (
    "numpy",
    "pandas",
    "openpyxl",
    "xlsxwriter",
    "argon2",
    "textual_plotext",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
    "setproctitle",
)
# Alembic reads the migration scripts from their files itself; the entry module runs main.
SKIPPED = (
    "tui_crm.__main__",
    "tui_crm.storage.migrations.env",
    "tui_crm.storage.migrations.versions",
)


def program_modules() -> Iterator[str]:
    import tui_crm

    for module in pkgutil.walk_packages(tui_crm.__path__, "tui_crm."):
        if not module.name.startswith(SKIPPED):
            yield module.name


def preload() -> int:
    """Import the program and its libraries and load the name-reading tables; return the
    number of modules imported."""
    # One BLAS thread: the reports use integer arithmetic, and no thread may run at fork.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # No collection while importing: freed objects would leave holes in the pages that
    # the children's allocations then fill, copying those pages (the gc module's advice).
    gc.disable()
    names = [*LIBRARIES, *program_modules()]
    for name in names:
        importlib.import_module(name)
    from sqlalchemy.orm import configure_mappers

    from tui_crm.services.core.text import preload_tables

    configure_mappers()  # else every session configures the table classes on first query
    preload_tables()
    return len(names)


class SessionServer:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.build = build_fingerprint()
        self.selector = selectors.DefaultSelector()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.wakeup_read = self.wakeup_write = -1  # the signal pipe, made by listen()
        self.children: dict[int, socket.socket] = {}
        self.waiting: set[socket.socket] = set()  # connected, request not read yet
        self.stopping = False

    def listen(self) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.path.is_socket():
            if probe(self.path) is not None:
                running = tr("另一个会话服务正在运行", "another session server is running")
                raise OSError(errno.EADDRINUSE, running)
            self.path.unlink()  # a socket left by a server that was killed
        old_mask = os.umask(0o177)
        try:
            self.listener.bind(str(self.path))
        finally:
            os.umask(old_mask)
        self.listener.listen(64)
        self.selector.register(self.listener, selectors.EVENT_READ, "accept")
        self.wakeup_read, self.wakeup_write = os.pipe()
        os.set_blocking(self.wakeup_write, False)
        signal.set_wakeup_fd(self.wakeup_write)
        self.selector.register(self.wakeup_read, selectors.EVENT_READ, "signal")
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self._note_signal)

    def _note_signal(self, signum: int, _frame: object) -> None:
        if signum != signal.SIGCHLD:
            self.stopping = True

    def serve(self) -> None:
        gc.freeze()  # the preloaded objects stay where they are: shared with the children
        gc.enable()  # for what the server makes from now on (frozen objects are skipped)
        while not self.stopping:
            for key, _ in self.selector.select():
                if key.data == "accept":
                    self._accept()
                elif key.data == "request":
                    self._answer(key.fileobj)  # type: ignore[arg-type]
                elif key.data == "signal":
                    with suppress(BlockingIOError):
                        os.read(self.wakeup_read, 512)
                    self._reap()
                else:
                    self._client_left(key.fileobj)  # type: ignore[arg-type]
        self.close()

    def close(self) -> None:
        with suppress(FileNotFoundError, ValueError):
            if self.listener.fileno() >= 0 and self.listener.getsockname():
                self.path.unlink()  # only a socket this server bound
        self.listener.close()
        self.selector.close()

    def _accept(self) -> None:
        """A new client: its request is read when it arrives, so a client that connects
        and says nothing holds up nobody."""
        connection, _ = self.listener.accept()
        connection.setblocking(False)
        self.waiting.add(connection)
        self.selector.register(connection, selectors.EVENT_READ, "request")

    def _answer(self, connection: socket.socket) -> None:
        self.selector.unregister(connection)
        self.waiting.discard(connection)
        try:
            request, fds = self._read_request(connection)
        except (OSError, ValueError):  # a closed client, garbage, a message cut short
            connection.close()
            return
        connection.setblocking(True)
        if request.get("probe"):  # `tui-crm doctor` asks which build answers
            with suppress(OSError):
                connection.send(json.dumps({"build": self.build}).encode())
            for fd in fds:
                os.close(fd)
            connection.close()
            return
        try:
            refusal = self._refusal(connection, request, fds)
            if refusal:
                connection.send(json.dumps({"refused": refusal}).encode())
                connection.close()
                return
            try:
                pid = os.fork()
            except OSError:  # no process to be had: the client runs the command itself
                connection.send(json.dumps({"refused": "fork failed"}).encode())
                connection.close()
                return
            if pid == 0:
                self._become_child(connection, fds, request)
        finally:
            for fd in fds:
                os.close(fd)
        self.children[pid] = connection
        self.selector.register(connection, selectors.EVENT_READ, pid)
        with suppress(OSError):
            connection.send(json.dumps({"pid": pid}).encode())
        print(f"{pid}: {command_name(request['argv']) or 'tui'}", flush=True)

    @staticmethod
    def _read_request(connection: socket.socket) -> tuple[dict[str, Any], list[int]]:
        data, fds, _, _ = socket.recv_fds(connection, MESSAGE_LIMIT, 3)
        if not data:
            raise ValueError("no request")
        request = json.loads(data)
        if not isinstance(request, dict):
            raise ValueError("request is not an object")
        return request, fds

    def _refusal(self, connection: socket.socket, request: dict[str, Any], fds: list[int]) -> str:
        credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
        uid = int.from_bytes(credentials[4:8], sys.byteorder)
        if uid != os.getuid():
            return "another user"
        if request.get("build") != self.build:
            return "another build"
        if len(fds) != 3 or not isinstance(request.get("argv"), list):
            return "malformed request"
        return ""

    def _become_child(
        self, connection: socket.socket, fds: list[int], request: dict[str, Any]
    ) -> NoReturn:
        # What belongs to the server is closed through its objects, so no stale object
        # closes a descriptor number the child reuses later.
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for other in [*self.children.values(), *self.waiting]:
            other.close()
        self.listener.close()
        self.selector.close()
        os.close(self.wakeup_read)
        os.close(self.wakeup_write)
        run_child(connection, fds, request)

    def _client_left(self, connection: socket.socket) -> None:
        """The client went away (a dropped SSH connection, kill -9): hang up its process."""
        with suppress(OSError):
            if connection.recv(1):
                return
        pid = next((p for p, c in self.children.items() if c is connection), None)
        self.selector.unregister(connection)
        if pid is not None:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGHUP)

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            connection = self.children.pop(pid, None)
            if connection is None:
                continue
            code = os.waitstatus_to_exitcode(status)
            with suppress(OSError):
                connection.send(json.dumps({"exit": code if code >= 0 else 128 - code}).encode())
            with suppress(KeyError, ValueError):
                self.selector.unregister(connection)
            connection.close()


def serve(path: Path) -> int:
    server = SessionServer(path)
    try:
        server.listen()  # first: a path it cannot listen on is said at once
    except (OSError, ValueError) as error:
        server.close()
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        shown = printable(str(path))[:200]
        print(tr("无法在 {p} 监听：{e}", "Cannot listen on {p}: {e}", p=shown, e=reason),
              file=sys.stderr)  # fmt: skip
        return 1
    count = preload()
    print(f"tui-crm server: {count} modules preloaded, listening on {path}", flush=True)
    server.serve()
    return 0
