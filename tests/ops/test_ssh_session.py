"""Over SSH for real: sshd on a loopback port (throwaway host key, this machine's user, the
app as ForceCommand), `ssh -tt` inside tmux reaches the sign-in screen, signs in, searches,
follows a window resize and quits; the audit records the client address. Skipped cleanly
when sshd, ssh or tmux is missing or sshd cannot start here."""

import getpass
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from tests.factories import PASSWORD, make_customer, make_user
from tests.ops.waiting import wait_for
from tui_crm.storage.models import AuditLog

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
pytestmark = pytest.mark.skipif(
    not (os.access(SSHD, os.X_OK) and shutil.which("ssh") and shutil.which("tmux")),
    reason="needs sshd, ssh and tmux",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)


@pytest.fixture
def sshd(tmp_path, cli_services, request) -> Iterator[int]:
    """sshd on 127.0.0.1:<port> whose every session is the TUI on the test's book; with
    the parameter True the sessions start from a `tui-crm server`, as the deployment's
    wrapper does when the server's unit runs."""
    keygen(tmp_path / "host_key")
    keygen(tmp_path / "client_key")
    (tmp_path / "authorized_keys").write_text((tmp_path / "client_key.pub").read_text())
    (tmp_path / "authorized_keys").chmod(0o600)
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation
    port = free_port()
    env = {
        "TUI_CRM_DATABASE_URL": os.environ["TUI_CRM_DATABASE_URL"],
        "TUI_CRM_FAST_HASH": "1",
        "TUI_CRM_LANG": "en",
        "TUI_CRM_LOG_DIR": str(tmp_path / "log"),
        "TUI_CRM_STATE_DIR": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    session_server = None
    if getattr(request, "param", False):
        env["TUI_CRM_SERVER_SOCKET"] = str(tmp_path / "server.sock")
        with (tmp_path / "server.log").open("w") as log:
            session_server = subprocess.Popen(
                [sys.executable, "-m", "tui_crm", "server"], env={**os.environ, **env}, stdout=log
            )
        wait_for(lambda: (tmp_path / "server.sock").exists(), "the session server")
    config = tmp_path / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {tmp_path / 'host_key'}",
                f"PidFile {tmp_path / 'sshd.pid'}",
                f"AuthorizedKeysFile {tmp_path / 'authorized_keys'}",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "LogLevel ERROR",
                "SetEnv " + " ".join(f"{k}={v}" for k, v in env.items()),
                f"ForceCommand {sys.executable} -m tui_crm",
                "AllowTcpForwarding no",
                "X11Forwarding no",
                "",
            ]
        )
    )
    check = subprocess.run([SSHD, "-t", "-f", str(config)], capture_output=True, text=True)
    if check.returncode != 0:
        pytest.skip(f"sshd refuses its test configuration here: {check.stderr.strip()[:200]}")
    server = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.skip("sshd could not start here")
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        if session_server is not None:
            session_server.terminate()
            session_server.wait(timeout=10)


class Terminal:
    """One tmux session running `ssh -tt` to the test server."""

    def __init__(self, name: str) -> None:
        self.name = name

    def screen(self) -> str:
        done = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return done.stdout

    def shows(self, text: str) -> None:
        wait_for(lambda: text in self.screen(), repr(text))

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name],
                              capture_output=True).returncode == 0  # fmt: skip


@pytest.mark.parametrize("sshd", [False, True], indirect=True, ids=["alone", "from-server"])
def test_a_clerk_signs_in_searches_and_quits_over_ssh(sshd, cli_services, tmp_path):
    make_user(cli_services, "counter", "counter")
    make_customer(cli_services, "曾小明", phone="13812345678")
    ssh = (
        f"ssh -tt -p {sshd} -i {tmp_path / 'client_key'} -o StrictHostKeyChecking=no "
        f"-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR {getpass.getuser()}@127.0.0.1"
    )
    terminal = Terminal(f"ops-ssh-test-{os.getpid()}")
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", terminal.name, "-x", "100", "-y", "30", ssh],
        check=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    try:
        terminal.shows("Jiaxing branch CRM — sign in")
        terminal.keys("counter", "Enter")
        terminal.keys(PASSWORD, "Enter")
        terminal.shows("Signed in:")
        terminal.keys("F3")
        terminal.keys("曾")
        terminal.shows("曾小明")
        assert "13812345678" not in terminal.screen()  # masked on screen
        subprocess.run(["tmux", "resize-window", "-t", terminal.name, "-x", "140", "-y", "40"],
                       check=True)  # fmt: skip
        wait_for(lambda: max(map(len, terminal.screen().splitlines())) > 100, "a wider screen")
        terminal.shows("曾小明")
        terminal.keys("C-q")
        wait_for(lambda: not terminal.alive(), "the session to end")
    finally:
        if terminal.alive():
            subprocess.run(["tmux", "kill-session", "-t", terminal.name])
    with cli_services.database.session() as session:
        logins = session.exec(select(AuditLog).where(AuditLog.action == "login")).all()
    assert [row.detail for row in logins] == ["from 127.0.0.1"]
    served = tmp_path / "server.log"
    if served.exists():  # the session was the server's: one line per process it started
        assert [line.split(": ")[1] for line in served.read_text().splitlines()[1:]] == ["tui"]
