"""Memory of one clerk's TUI session: a real `tui-crm` process in a tmux terminal, driven
by keys (sign in, search, the 360 view, a report), its RSS, Pss and private memory read
from /proc/PID/smaps_rollup after each step.

    python bench/session_memory.py --url sqlite:////path/to/demo.db [--user manager]

The book must be a demo book (password demo-pass) with classification run (`make demo`).
"""

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAME = f"crm-memory-{os.getpid()}"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", NAME)


def wait_for(text: str, timeout: float = 120.0) -> float:
    start = time.monotonic()
    while text not in screen():
        if time.monotonic() - start > timeout:
            raise SystemExit(f"timed out waiting for {text!r}:\n{screen()}")
        time.sleep(0.1)
    return time.monotonic() - start


def keys(*names: str) -> None:
    tmux("send-keys", "-t", NAME, *names)


def app_pid(server: subprocess.Popen[bytes] | None) -> int:
    if server is not None:  # the session is the server's newest child
        return max(children(server.pid))
    shell = int(tmux("list-panes", "-t", NAME, "-F", "#{pane_pid}").strip())
    for pid in [shell, *children(shell)]:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"tui_crm" in cmdline or b"tui-crm" in cmdline:
            return pid
    raise SystemExit("the app's process was not found")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(t) for t in text]
    return found + [g for c in found for g in children(c)]


def memory(pid: int) -> dict[str, float]:
    """MiB from smaps_rollup: Rss, Pss, private (clean + dirty; a file mapped by this
    process alone counts here too) and anonymous (the process's own heap)."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":")
        values[key] = int(value.split()[0]) / 1024
    return {
        "rss": values["Rss"],
        "pss": values["Pss"],
        "private": values["Private_Clean"] + values["Private_Dirty"],
        "anon": values["Anonymous"],
        "dirty": values["Private_Dirty"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", default="manager")
    parser.add_argument("--query", default="王")
    parser.add_argument(
        "--server", action="store_true", help="start the session from `tui-crm server`"
    )
    options = parser.parse_args()
    env = {**os.environ, "TUI_CRM_DATABASE_URL": options.url, "TUI_CRM_LANG": "en",
           "TERM": "xterm-256color"}  # fmt: skip
    env.pop("TUI_CRM_PASSWORD", None)
    command = f"exec {sys.executable} -m tui_crm"
    # A tmux server already running keeps its own environment: name the app's outright.
    names: tuple[str, ...] = ("TUI_CRM_DATABASE_URL", "TUI_CRM_LANG", "TERM")
    server = None
    if options.server:
        folder = tempfile.mkdtemp(prefix="crm-memory-")
        env["TUI_CRM_SERVER_SOCKET"] = f"{folder}/server.sock"
        names += ("TUI_CRM_SERVER_SOCKET",)
        server = subprocess.Popen([sys.executable, "-m", "tui_crm", "server"], env=env)
        while not Path(env["TUI_CRM_SERVER_SOCKET"]).exists():
            time.sleep(0.2)
    command = "exec env " + " ".join(shlex.quote(f"{k}={env[k]}") for k in names) + command[4:]
    subprocess.run(["tmux", "new-session", "-d", "-s", NAME, "-x", "140", "-y", "40", command],
                   env=env, check=True)  # fmt: skip
    rows = []
    try:
        wait_for("sign in")
        pid = app_pid(server)
        rows.append(("sign-in screen", memory(pid)))
        keys(options.user, "Enter")
        keys("demo-pass", "Enter")
        wait_for("Choose an area")
        time.sleep(2)
        rows.append(("home, signed in", memory(pid)))
        keys("F3")
        wait_for("combine")
        keys(options.query)
        wait_for(" customers")
        time.sleep(1)
        rows.append((f"search {options.query}", memory(pid)))
        keys("Enter")
        wait_for("2 Vehicles")
        time.sleep(2)
        rows.append(("360 view", memory(pid)))
        for _ in range(4):
            if "Choose an area" in screen():
                break
            keys("Escape")
            time.sleep(0.5)
        wait_for("Choose an area")
        keys("5")
        wait_for("Product structure")
        time.sleep(3)  # the list takes the keys once it has focus (slow on a loaded machine)
        keys(*["Down"] * 7, "Enter")
        time.sleep(1)
        keys("F5")
        wait_for("Total", timeout=600)
        time.sleep(1)
        rows.append(("report (product structure)", memory(pid)))
        if server is not None:
            rows.append(("the server itself (shared with every session)", memory(server.pid)))
    finally:
        subprocess.run(["tmux", "kill-session", "-t", NAME], capture_output=True)
        if server is not None:
            server.terminate()
    print(f"book: {options.url}, user {options.user}")
    print("| after | RSS | Pss | private | private dirty | anonymous |")
    print("|---|---|---|---|---|---|")
    for step, m in rows:
        print(f"| {step} | {m['rss']:.0f} MiB | {m['pss']:.0f} MiB | {m['private']:.0f} MiB "
              f"| {m['dirty']:.0f} MiB | {m['anon']:.0f} MiB |")  # fmt: skip


if __name__ == "__main__":
    main()
