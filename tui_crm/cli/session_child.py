"""The forked side of `tui-crm server`: become the client's `tui-crm ARGS` process."""

import atexit
import gc
import json
import os
import socket
import sys
import traceback
from contextlib import suppress
from typing import Any, NoReturn

# The server's own standard streams: kept referenced so that no collection of them ever
# closes descriptors 0–2, which belong to the client's terminal after the dup2.
_server_streams: list[object] = []


def _take_streams(fds: list[int]) -> None:
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        if fd > 2:
            os.close(fd)
    _server_streams.extend([sys.stdin, sys.stdout, sys.stderr])
    for name, fd, mode, errors in (
        ("stdin", 0, "r", "surrogateescape"),
        ("stdout", 1, "w", "surrogateescape"),
        ("stderr", 2, "w", "backslashreplace"),
    ):
        stream = open(  # noqa: SIM115 - the process's standard stream, open until exit
            fd,
            mode,
            encoding="utf-8",
            errors=errors,
            closefd=False,
            buffering=1 if name == "stderr" or (mode == "w" and os.isatty(fd)) else -1,
        )
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _take_environment(request: dict[str, Any]) -> None:
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in dict(request.get("env") or {}).items()})
    folder = str(request.get("cwd") or "/")
    try:
        os.chdir(folder)
    except OSError as error:  # the client's folder was removed meanwhile
        from tui_crm.services.core.text import printable

        raise SystemExit(f"tui-crm: {printable(folder)}: {error.strerror}") from None
    os.umask(int(request.get("umask", 0o077)))
    sys.argv = ["tui-crm", *map(str, request["argv"])]
    # Read from the environment when imported, i.e. in the server: read again.
    from tui_crm.i18n import set_language

    set_language(os.environ.get("TUI_CRM_LANG"))


def _name_process(request: dict[str, Any]) -> None:
    """`tui-crm search [forked]` in ps and top instead of the server's command line, so
    that stopping the server by name (`pkill -f "tui-crm server"`) does not stop sessions.
    The arguments stay out: they may hold an ID number."""
    from setproctitle import setproctitle

    from tui_crm.cli.handoff import command_name

    setproctitle(f"tui-crm {command_name(request['argv']) or 'tui'} [forked]")


def _exit_code(exit_: SystemExit) -> int:
    if exit_.code is None:
        return 0
    if isinstance(exit_.code, int):
        return exit_.code
    print(exit_.code, file=sys.stderr)
    return 1


def run_child(connection: socket.socket, fds: list[int], request: dict[str, Any]) -> NoReturn:
    code = 1
    try:
        gc.enable()  # the server's objects stay frozen: shared, never traversed
        os.setsid()
        _name_process(request)
        _take_streams(fds)
        _take_environment(request)
        from tui_crm.cli import main

        main(sys.argv[1:])
        code = 0
    except SystemExit as exit_:
        code = _exit_code(exit_)
    except KeyboardInterrupt:
        code = 130
    except BaseException:  # what an uncaught exception does to a process
        traceback.print_exc()
    finally:
        with suppress(BaseException):  # nothing is left to report it to
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        with suppress(OSError):
            # The client learns the code even when the server has gone meanwhile.
            connection.send(json.dumps({"exit": code}).encode())
        os._exit(code)
