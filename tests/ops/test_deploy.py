"""The files of deploy/: the sshd snippet forces the wrapper, the wrapper starts the TUI
owner-only without passwords, the systemd units are valid and run as the locked account."""

import configparser
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service")) + sorted(
    (DEPLOY / "systemd").glob("*.timer")
)


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser


def test_the_sshd_snippet_locks_the_account_to_the_wrapper():
    lines = [
        line.split(None, 1)
        for line in (DEPLOY / "ssh" / "tui-crm.conf").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    settings = {key: value for key, value in lines}
    assert settings["Match"] == "User crm"
    assert settings["ForceCommand"] == "/opt/tui-crm/bin/tui-crm-ssh"
    for forwarding in ("AllowTcpForwarding", "AllowAgentForwarding", "X11Forwarding",
                       "PermitTunnel", "PermitUserRC", "PermitUserEnvironment"):  # fmt: skip
        assert settings[forwarding] == "no", forwarding


def test_the_wrapper_starts_the_tui_owner_only_without_passwords(tmp_path):
    wrapper = (DEPLOY / "ssh" / "tui-crm-ssh").read_text()
    assert stat.S_IMODE((DEPLOY / "ssh" / "tui-crm-ssh").stat().st_mode) & 0o111
    # Run it with the TUI replaced by a program that prints what it was given.
    fake = tmp_path / "tui-crm"
    fake.write_text("#!/bin/sh\numask\nenv | sort\n")
    fake.chmod(0o755)
    script = tmp_path / "wrapper"
    script.write_text(wrapper.replace("/opt/tui-crm/bin/tui-crm", str(fake)))
    script.chmod(0o755)
    env = {"PATH": os.environ["PATH"], "TUI_CRM_PASSWORD": "x", "TUI_CRM_NIGHTLY_PASSWORD": "y",
           "SSH_ORIGINAL_COMMAND": "bash"}  # fmt: skip
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    assert lines[0] == "0077"
    assert "TUI_CRM_CONFIG=/etc/tui-crm/tui-crm.toml" in lines
    assert "TUI_CRM_SERVER_SOCKET=/run/tui-crm/server.sock" in lines  # the unit's socket
    assert not [line for line in lines if "PASSWORD" in line]


@pytest.mark.parametrize("path", [p for p in UNITS if p.suffix == ".service"], ids=lambda p: p.name)
def test_services_run_as_the_locked_account_owner_only(path):
    service = unit(path)["Service"]
    assert service["User"] == "crm"
    assert service["UMask"] == "0077"
    assert service["NoNewPrivileges"] == "yes"
    assert "/opt/tui-crm/bin/tui-crm " in service["ExecStart"]
    if service.get("Type") == "oneshot":  # started by its timer
        assert path.with_suffix(".timer").exists()
    else:  # runs on, and comes back when it stops
        assert service["Restart"] == "on-failure" and unit(path)["Install"]["WantedBy"]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_accepts_the_units(tmp_path):
    # verify resolves the unit's binaries: point it at copies whose command exists here.
    copies = []
    for path in UNITS:
        copy = tmp_path / path.name
        copy.write_text(path.read_text().replace("/opt/tui-crm/bin/tui-crm", "/bin/true"))
        copies.append(str(copy))
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *copies], capture_output=True, text=True
    )
    problems = [line for line in done.stderr.splitlines() if str(tmp_path) in line]
    assert problems == []
