"""`tui-crm server`: commands and TUI sessions started from one preloaded process behave
exactly as if run on their own — output, exit codes, environment, working folder, umask,
signals — and a command runs on its own when no server answers."""

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.factories import PASSWORD, make_customer, make_user
from tests.ops.waiting import TIMEOUT, wait_for


@dataclass
class Server:
    process: subprocess.Popen[str]
    socket: Path
    log: Path

    def started(self) -> list[str]:
        """The commands the server started, from its log ("PID: command")."""
        lines = self.log.read_text().splitlines()
        return [line.split(": ", 1)[1] for line in lines if line.split(":")[0].isdigit()]

    def pids(self) -> list[int]:
        lines = self.log.read_text().splitlines()
        return [int(line.split(":")[0]) for line in lines if line.split(":")[0].isdigit()]


@pytest.fixture
def server(tmp_path, cli_services, monkeypatch) -> Iterator[Server]:
    socket_path = tmp_path / "run" / "server.sock"
    log = tmp_path / "server.log"
    monkeypatch.setenv("TUI_CRM_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("TUI_CRM_LOG_DIR", str(tmp_path / "log"))
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tui_crm", "server", "--socket", str(socket_path)],
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    wait_for(lambda: "listening" in log.read_text() or process.poll() is not None, "the server")
    assert process.poll() is None, log.read_text()
    monkeypatch.setenv("TUI_CRM_SERVER_SOCKET", str(socket_path))
    try:
        yield Server(process, socket_path, log)
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert not socket_path.exists()  # a stopped server removes its socket


def tui_crm(*argv: str, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload]
        [sys.executable, "-m", "tui_crm", *argv],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        **options,
    )


def test_a_command_runs_in_the_server_and_answers_as_on_its_own(server, cli_services):
    make_user(cli_services, "counter", "counter")
    make_customer(cli_services, "曾兰佳")
    served = tui_crm("search", "曾", "--user", "counter", "--json")
    assert served.returncode == 0, served.stderr
    assert [hit["name"] for hit in json.loads(served.stdout)] == ["曾兰佳"]
    assert server.started() == ["search"]
    alone = tui_crm(
        "search", "曾", "--user", "counter", "--json", env={**os.environ, "TUI_CRM_NO_SERVER": "1"}
    )
    assert alone.stdout == served.stdout
    assert server.started() == ["search"]  # TUI_CRM_NO_SERVER ran it here
    # Exit codes and messages come back as they are: a refused sign-in, a usage error.
    refused = tui_crm("search", "曾", "--user", "nobody", "--lang", "en")
    assert (refused.returncode, refused.stderr.strip()) == (3, "Wrong username or password")
    usage = tui_crm("search", "--user", "counter")
    assert usage.returncode == 2
    assert "the following arguments are required: query" in usage.stderr
    assert server.started() == ["search", "search", "search"]


def test_the_client_environment_folder_and_umask_hold_in_the_server(server, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    done = tui_crm(
        "schema",
        "--out",
        "ddl.sql",
        cwd=work,
        env={**os.environ, "TUI_CRM_LANG": "en"},
        preexec_fn=lambda: os.umask(0o027),
    )
    assert done.returncode == 0, done.stderr
    assert server.started() == ["schema"]
    written = work / "ddl.sql"
    assert "CREATE TABLE customer" in written.read_text()
    assert written.stat().st_mode & 0o777 == 0o640
    assert "Wrote" in done.stdout  # TUI_CRM_LANG=en of the client, not the server's


def test_signals_reach_the_process_and_a_vanished_client_hangs_it_up(server, cli_services):
    make_user(cli_services, "gw", "gateway")
    env = {**os.environ, "TUI_CRM_SMS_KEY_ID": "k", "TUI_CRM_SMS_SECRET": "s"}
    argv = [sys.executable, "-m", "tui_crm", "sms", "serve", "--port", "0", "--user", "gw",
            "--lang", "en"]  # fmt: skip
    # A command that runs until stopped: the SMS callback endpoint.
    serving = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)  # fmt: skip
    assert serving.stdout is not None
    assert "SMS callbacks on http://127.0.0.1:" in serving.stdout.readline()
    assert server.started() == ["sms"]
    serving.send_signal(signal.SIGINT)  # Ctrl+C at the client's terminal
    _, err = serving.communicate(timeout=TIMEOUT)
    assert (serving.returncode, err.strip()) == (130, "Interrupted")
    # kill -9 of the client (a dropped connection): the server hangs its process up.
    orphan = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True)  # fmt: skip
    assert orphan.stdout is not None
    assert "SMS callbacks on" in orphan.stdout.readline()
    child = server.pids()[1]
    # Named for what it runs: stopping the server by name leaves it alone.
    assert Path(f"/proc/{child}/cmdline").read_bytes().rstrip(b"\0") == b"tui-crm sms [forked]"
    orphan.kill()
    orphan.wait()
    wait_for(lambda: not Path(f"/proc/{child}").exists(), "the orphaned process to end")


def test_without_a_server_or_with_a_stale_socket_a_command_runs_here(cli_services, tmp_path):
    make_user(cli_services, "counter", "counter")
    stale = tmp_path / "stale.sock"
    stale.write_text("")  # a server killed with -9 leaves its socket file
    for path in (stale, tmp_path / "missing.sock"):
        done = tui_crm(
            "whoami", "--user", "counter", env={**os.environ, "TUI_CRM_SERVER_SOCKET": str(path)}
        )
        assert done.returncode == 0, done.stderr
        assert "counter" in done.stdout


@pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux")
def test_a_clerk_session_from_the_server_signs_in_searches_resizes_and_quits(server, cli_services):
    make_user(cli_services, "counter", "counter")
    make_customer(cli_services, "曾小明", phone="13812345678")
    name = f"ops-server-test-{os.getpid()}"
    names = ("TUI_CRM_DATABASE_URL", "TUI_CRM_SERVER_SOCKET", "TUI_CRM_STATE_DIR",
             "TUI_CRM_LOG_DIR", "TUI_CRM_FAST_HASH")  # fmt: skip
    # COLUMNS and LINES (pytest-xdist sets them) would pin the screen to one size.
    command = " ".join(["env", "-u", "COLUMNS", "-u", "LINES", "TUI_CRM_LANG=en",
                        *(f"{k}={os.environ[k]}" for k in names),
                        sys.executable, "-m", "tui_crm"])  # fmt: skip

    def screen() -> str:
        done = subprocess.run(["tmux", "capture-pane", "-p", "-t", name],
                              capture_output=True, text=True)  # fmt: skip
        return done.stdout

    def alive() -> bool:
        return subprocess.run(["tmux", "has-session", "-t", name],
                              capture_output=True).returncode == 0  # fmt: skip

    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command],
                   check=True, env={**os.environ, "TERM": "xterm-256color"})  # fmt: skip
    try:
        wait_for(lambda: "Jiaxing branch CRM — sign in" in screen(), "the sign-in screen")
        assert server.started() == ["tui"]
        subprocess.run(["tmux", "send-keys", "-t", name, "counter", "Tab", PASSWORD, "Enter"],
                       check=True)  # fmt: skip
        wait_for(lambda: "Signed in:" in screen(), "the home screen")
        subprocess.run(["tmux", "send-keys", "-t", name, "F3", "曾"], check=True)
        wait_for(lambda: "曾小明" in screen(), "the search hit")
        assert "13812345678" not in screen()
        subprocess.run(["tmux", "resize-window", "-t", name, "-x", "140", "-y", "40"], check=True)
        wait_for(lambda: max(map(len, screen().splitlines())) > 100, "a wider screen")
        subprocess.run(["tmux", "send-keys", "-t", name, "C-q"], check=True)
        wait_for(lambda: not alive(), "the session to end")
    finally:
        if alive():
            subprocess.run(["tmux", "kill-session", "-t", name])


def test_the_server_refuses_another_build_and_malformed_requests(tmp_path):
    import socket

    from tui_crm.cli.handoff import build_fingerprint, command_name
    from tui_crm.cli.session_server import SessionServer

    server = SessionServer(tmp_path / "s.sock")
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with ours, theirs:
        request = {"build": build_fingerprint(), "argv": ["whoami"]}
        assert server._refusal(ours, request, [0, 1, 2]) == ""
        # The program was upgraded and this server not restarted: the client runs alone.
        assert server._refusal(ours, {**request, "build": "0.0:/old:1"}, [0, 1, 2]) == (
            "another build"
        )
        assert server._refusal(ours, {**request, "argv": "whoami"}, [0, 1, 2]) == (
            "malformed request"
        )
        assert server._refusal(ours, request, [0]) == "malformed request"
    server.listener.close()
    server.selector.close()
    # The server command itself is never handed to a server.
    assert command_name(["--lang", "en", "server"]) == "server"
    assert command_name(["--config", "x.toml"]) is None


def test_doctor_says_whether_a_server_answers(server, tmp_path):
    running = tui_crm("doctor", "--json")
    lines = {c["check"]: c for c in json.loads(running.stdout)["checks"]}
    assert lines["session_server"]["status"] == "ok"
    assert str(server.socket) in lines["session_server"]["message"]
    assert server.started() == ["doctor"]
    stale = tmp_path / "stale.sock"
    stale.write_text("")
    done = tui_crm(
        "doctor", "--lang", "en", env={**os.environ, "TUI_CRM_SERVER_SOCKET": str(stale)}
    )
    assert f"! The session server does not answer: {stale}" in done.stdout


def test_a_server_refuses_a_path_it_cannot_own_and_never_deletes_a_file(server, tmp_path):
    ordinary = tmp_path / "notes.txt"
    ordinary.write_text("keep me")
    for path, reason in ((ordinary, "Address already in use"),
                         (server.socket, "another session server is running"),
                         (tmp_path / ("x" * 200), "AF_UNIX path too long")):  # fmt: skip
        done = tui_crm("server", "--socket", str(path), "--lang", "en")
        assert done.returncode == 1
        assert done.stderr.startswith("Cannot listen on ") and reason in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert ordinary.read_text() == "keep me"
    assert tui_crm("whoami", "--user", "nobody").returncode == 3  # the first server still serves
    assert server.started()[-1] == "whoami"


def test_a_command_from_the_server_opens_the_clients_database(server, committed_database):
    """The server opens no database: each command opens the one its client names — a
    SQLite file or a PostgreSQL schema."""
    from tui_crm.services.container import make_services

    services = make_services(committed_database, fast_hash=True)
    make_user(services, "counter", "counter")
    make_customer(services, "曾兰佳")
    env = {**os.environ, "TUI_CRM_DATABASE_URL": committed_database.cli_url}
    done = tui_crm("search", "曾", "--user", "counter", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert [hit["name"] for hit in json.loads(done.stdout)] == ["曾兰佳"]
    assert server.started() == ["search"]


def test_a_client_that_says_nothing_holds_up_nobody(server, cli_services):
    import socket

    make_user(cli_services, "counter", "counter")
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as silent:
        silent.connect(str(server.socket))
        done = tui_crm("whoami", "--user", "counter", "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["username"] == "counter"
        # Served while the silent one waits, still connected: not read first, then dropped.
        silent.setblocking(False)
        with pytest.raises(BlockingIOError):
            silent.recv(1)
    assert server.started() == ["whoami"]


def test_a_folder_gone_runs_the_command_here_or_is_said_in_one_line(server, tmp_path):
    import socket

    from tui_crm.cli.handoff import build_fingerprint

    gone = tmp_path / "gone"
    gone.mkdir()
    script = (
        "import os, sys\n"
        f"os.chdir({str(gone)!r}); os.rmdir({str(gone)!r})\n"
        "from tui_crm.cli import main\n"
        "sys.argv = ['tui-crm', 'schema', '--stdout']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=TIMEOUT)  # fmt: skip
    assert done.returncode == 0 and "CREATE TABLE customer" in done.stdout, done.stderr
    assert server.started() == []  # a client without a folder runs the command itself
    # A folder removed between the request and the fork: one line, exit 1.
    read_out, write_out = os.pipe()
    read_err, write_err = os.pipe()
    request = {"build": build_fingerprint(), "argv": ["schema", "--stdout"],
               "env": dict(os.environ), "cwd": str(gone), "umask": 0o22}  # fmt: skip
    with (
        socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as client,
        open(os.devnull) as nothing,
    ):
        client.connect(str(server.socket))
        socket.send_fds(client, [json.dumps(request).encode()],
                        [nothing.fileno(), write_out, write_err])  # fmt: skip
        os.close(write_out)
        os.close(write_err)
        assert "pid" in json.loads(client.recv(4096))
        assert json.loads(client.recv(4096)) == {"exit": 1}
    with os.fdopen(read_err) as err, os.fdopen(read_out) as out:
        assert err.read() == f"tui-crm: {gone}: No such file or directory\n"
        assert out.read() == ""
