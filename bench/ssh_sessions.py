"""Many clerks over SSH at once: sshd on a loopback port (throwaway keys, the app as
ForceCommand, as `deploy/ssh` sets it up and `tests/ops/test_ssh_session.py` runs it), N
`ssh -tt` sessions in tmux, each signed in as a counter clerk and searching every few
seconds; then the memory of each session's app process (Pss, private), keystroke → row
under that load, and the CPU the sessions and the machine used.

    python bench/ssh_sessions.py --url sqlite:////path/demo.db [--sessions 30]
        [--seconds 120] [--every 8] [--role counter]

The book must be a demo book (password demo-pass), prepared by this program (run any
command on it once). Needs sshd, ssh, ssh-keygen and tmux; runs as the current user.

Keystroke → row: the fragment is typed but for its last character, then the last
character is sent and the pane is read every 10 ms until the customer's name (not part
of what was typed: the fragment is a plate) shows in the results. The figure includes
tmux's own delay (the pane is read through `tmux capture-pane`, a process per read).
"""

import argparse
import getpass
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
PASSWORD = "demo-pass"
PREFIX = f"crm-ssh-{os.getpid()}"


def run(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_session_server(folder: Path, url: str) -> subprocess.Popen[bytes]:
    """`tui-crm server` for the sessions (--server): they start from it by fork."""
    env = {**os.environ, "TUI_CRM_DATABASE_URL": url, "TUI_CRM_SERVER_SOCKET": str(folder / "s")}
    server = subprocess.Popen([sys.executable, "-m", "tui_crm", "server"], env=env,
                              stdout=subprocess.DEVNULL)  # fmt: skip
    while not (folder / "s").exists():
        if server.poll() is not None:
            raise SystemExit("tui-crm server could not start")
        time.sleep(0.1)
    return server


def start_sshd(folder: Path, url: str, served: bool = False) -> tuple[subprocess.Popen[bytes], int]:
    """sshd on 127.0.0.1 whose every session is the TUI on `url` (keys only)."""
    for name in ("host_key", "client_key"):
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name))
    keys = folder / "authorized_keys"
    keys.write_text((folder / "client_key.pub").read_text())
    keys.chmod(0o600)
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    port = free_port()
    env = {
        "TUI_CRM_DATABASE_URL": url,
        "TUI_CRM_LANG": "en",
        "TUI_CRM_LOG_DIR": str(folder / "log"),
        "TUI_CRM_STATE_DIR": str(folder / "state"),
        "XDG_CONFIG_HOME": str(folder / "config"),
    }
    if served:
        env["TUI_CRM_SERVER_SOCKET"] = str(folder / "s")
    config = folder / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {folder / 'host_key'}",
                f"PidFile {folder / 'sshd.pid'}",
                f"AuthorizedKeysFile {keys}",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "LogLevel ERROR",
                "MaxStartups 100",  # the default (10:30:100) drops connections 11 and on
                "SetEnv " + " ".join(f"{k}={v}" for k, v in env.items()),
                f"ForceCommand {sys.executable} -m tui_crm",
                "AllowTcpForwarding no",
                "X11Forwarding no",
                "",
            ]
        )
    )
    server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("sshd could not start") from None
            time.sleep(0.1)


@dataclass
class Session:
    name: str
    user: str
    samples: list[tuple[str, str]]  # (plate typed, name expected)
    latencies: list[float] = field(default_factory=list)
    missed: int = 0

    def screen(self) -> str:
        done = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return done.stdout

    def keys(self, *names: str, literal: bool = False) -> None:
        flags = ["-l"] if literal else []
        subprocess.run(["tmux", "send-keys", "-t", self.name, *flags, *names], check=True)

    def wait_for(self, text: str, timeout: float = 180.0, poll: float = 0.2) -> float:
        start = time.monotonic()
        while text not in self.screen():
            if time.monotonic() - start > timeout:
                last = "\n".join(self.screen().splitlines()[-8:])
                raise TimeoutError(f"{self.name}: no {text!r} after {timeout:.0f} s:\n{last}")
            time.sleep(poll)
        return time.monotonic() - start

    def search_once(self, plate: str, expected: str) -> None:
        self.keys("C-u")
        time.sleep(0.3)
        if expected in self.screen():
            return  # the same name is on screen already: the figure would say nothing
        self.keys(plate[:-1], literal=True)
        time.sleep(0.6)  # a clerk types; the results of the partial plate may paint
        self.keys(plate[-1], literal=True)
        try:
            self.latencies.append(self.wait_for(expected, timeout=10.0, poll=0.01))
        except TimeoutError:
            self.missed += 1


def samples_from(book: str, role: str, count: int, seed: int) -> tuple[list[str], dict]:
    """The role's usernames and, per unit path, individual customers with one plate."""
    with sqlite3.connect(f"file:{book}?mode=ro", uri=True) as db:
        users = db.execute(
            "SELECT s.username, u.path FROM staff_user s JOIN org_unit u ON u.id = s.unit_id"
            " WHERE s.role = ? AND s.active ORDER BY s.username",
            (role,),
        ).fetchall()
        top = db.execute("SELECT max(id) FROM customer").fetchone()[0]
        rng = random.Random(seed)
        ids = rng.sample(range(1, top + 1), min(top, 60 * count))
        rows = db.execute(
            "SELECT c.name, v.plate, u.path FROM customer c JOIN org_unit u ON u.id = c.unit_id"
            " JOIN vehicle v ON v.owner_customer_id = c.id"
            f" WHERE c.kind = 'individual' AND c.id IN ({','.join(map(str, ids))})"
            " AND v.plate IS NOT NULL AND length(c.name) BETWEEN 2 AND 3"
        ).fetchall()
    by_path = {path: [(p, n) for n, p, unit in rows if unit.startswith(path)] for _, path in users}
    return [u for u, path in users if len(by_path[path]) >= 5], by_path


def proc_children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(t) for t in (task / "children").read_text().split()]
    return found + [g for c in found for g in proc_children(c)]


def app_pids(server: int) -> list[int]:
    pids = []
    for pid in proc_children(server):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"tui_crm" in command or b"tui-crm" in command:
                pids.append(pid)
        except FileNotFoundError:
            continue
    return pids


def memory(pid: int) -> dict[str, float]:
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":")
        values[key] = int(value.split()[0]) / 1024
    return {
        "pss": values["Pss"],
        "private": values["Private_Clean"] + values["Private_Dirty"],
        "anon": values["Anonymous"],
        "rss": values["Rss"],
    }


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def mib(values: list[float]) -> str:
    return f"{statistics.mean(values):.0f} (min {min(values):.0f}, max {max(values):.0f})"


def open_sessions(options, port, folder, users, by_path, paths, sessions: list[Session]) -> float:
    """Open the sessions (into `sessions`, so they are closed whatever happens), sign each
    in and open its search; the seconds until all are there."""
    ssh = (
        f"ssh -tt -p {port} -i {folder / 'client_key'} -o StrictHostKeyChecking=no "
        f"-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR {getpass.getuser()}@127.0.0.1"
    )
    for number in range(options.sessions):
        user = users[number % len(users)]
        session = Session(f"{PREFIX}-{number}", user, by_path[paths[user]])
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", session.name, "-x", "120", "-y", "35", ssh],
            check=True,
            env={**os.environ, "TERM": "xterm-256color"},
        )
        sessions.append(session)
        time.sleep(options.stagger)  # clerks arrive one after another
    started = time.monotonic()
    for session in sessions:
        session.wait_for("sign in")
        session.keys(session.user, "Enter")
        session.keys(PASSWORD, "Enter")
        time.sleep(options.stagger)
    for session in sessions:
        session.wait_for("Signed in:")
        session.keys("F3")
    for session in sessions:
        session.wait_for("combine")
    return time.monotonic() - started


def load(sessions: list[Session], seconds: float, every: float, seed: int) -> None:
    """Each session searches a plate of its scope every `every` seconds (± half)."""
    stop = time.monotonic() + seconds

    def clerk(session: Session, rng: random.Random) -> None:
        time.sleep(rng.uniform(0, every))
        while time.monotonic() < stop:
            plate, name = rng.choice(session.samples)
            session.search_once(plate, name)
            time.sleep(rng.uniform(every / 2, every * 1.5))

    threads = [
        threading.Thread(target=clerk, args=(s, random.Random(seed + i)), daemon=True)
        for i, s in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def report(options, sessions, apps, sign_in_time, cpu, busy, load_avg) -> None:
    latencies = [ms * 1000 for s in sessions for ms in s.latencies]
    missed = sum(s.missed for s in sessions)
    print(
        f"book: {options.url}; {len(sessions)} sessions over ssh (role {options.role}),"
        f" a plate search each every ~{options.every:.0f} s for {options.seconds:.0f} s"
    )
    print(
        f"load average during the searches: {load_avg[0]:.1f} / {load_avg[1]:.1f}"
        f" (1 / 5 min at the end); {os.cpu_count()} cores"
    )
    print(f"all sessions signed in and on the search screen after {sign_in_time:.0f} s")
    print("\n| per session (app process) | after sign-in | after the searches |")
    print("|---|---|---|")
    for key, label in (
        ("pss", "Pss"),
        ("private", "private"),
        ("anon", "anonymous"),
        ("rss", "RSS"),
    ):
        print(
            f"| {label}, MiB | {mib([m[key] for m in apps['signed']])} "
            f"| {mib([m[key] for m in apps['after']])} |"
        )
    total = sum(m["pss"] for m in apps["after"])
    print(
        f"| Pss of all app processes | {sum(m['pss'] for m in apps['signed']):.0f} MiB "
        f"| {total:.0f} MiB |"
    )
    print(f"| sshd + shell per session, Pss | | {apps['sshd']:.1f} MiB |")
    if latencies:
        print(
            f"\nkeystroke → row: {len(latencies)} searches, p50 {percentile(latencies, 0.5):.0f}"
            f" ms, p95 {percentile(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms;"
            f" {missed} not shown within 10 s"
        )
    print(
        f"CPU during the searches: app processes {cpu:.1f} s in {options.seconds:.0f} s "
        f"({100 * cpu / options.seconds:.0f}% of one core, "
        f"{1000 * cpu / max(1, len(latencies)):.0f} ms per search incl. idle ticks); "
        f"whole machine {100 * busy:.0f}% busy"
    )


def sshd_overhead(server: int, apps: list[int]) -> float:
    """Pss per session of everything under sshd that is not the app (sshd, the shell)."""
    others = [p for p in proc_children(server) if p not in apps]
    total = 0.0
    for pid in others:
        try:
            total += memory(pid)["pss"]
        except (FileNotFoundError, PermissionError, KeyError):
            continue
    return total / max(1, len(apps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="sqlite:////path/to/demo.db")
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--every", type=float, default=8.0, help="seconds between searches")
    parser.add_argument("--role", default="counter")
    parser.add_argument("--stagger", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server", action="store_true", help="sessions from `tui-crm server`")
    options = parser.parse_args()
    book = options.url.split("///", 1)[1]
    users, by_path = samples_from(book, options.role, options.sessions, options.seed)
    if not users:
        raise SystemExit(f"no {options.role} users with customers in scope in {book}")
    with sqlite3.connect(f"file:{book}?mode=ro", uri=True) as db:
        paths = dict(
            db.execute(
                "SELECT s.username, u.path FROM staff_user s JOIN org_unit u ON u.id = s.unit_id"
            ).fetchall()
        )
    folder = Path(tempfile.mkdtemp(prefix="tui_crm_ssh_bench_"))
    session_server = start_session_server(folder, options.url) if options.server else None
    server, port = start_sshd(folder, options.url, served=options.server)
    sessions: list[Session] = []
    try:
        sign_in_time = open_sessions(options, port, folder, users, by_path, paths, sessions)
        time.sleep(3)
        pids = app_pids((session_server or server).pid)
        signed = [memory(pid) for pid in pids]
        before = sum(cpu_seconds(pid) for pid in pids)
        machine_before = machine_cpu()
        load(sessions, options.seconds, options.every, options.seed)
        machine_after = machine_cpu()
        cpu = sum(cpu_seconds(pid) for pid in pids) - before
        busy = (machine_after[0] - machine_before[0]) / (machine_after[1] - machine_before[1])
        apps = {
            "signed": signed,
            "after": [memory(pid) for pid in pids],
            "sshd": sshd_overhead(server.pid, pids),
        }
        report(options, sessions, apps, sign_in_time, cpu, busy, os.getloadavg())
        if session_server is not None:
            own = memory(session_server.pid)
            print(f"the session server itself: Pss {own['pss']:.0f} MiB, RSS {own['rss']:.0f} MiB"
                  " (its pages are shared with every session)")  # fmt: skip
    finally:
        if session_server is not None:
            session_server.terminate()
        for session in sessions:
            subprocess.run(["tmux", "kill-session", "-t", session.name], capture_output=True)
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
