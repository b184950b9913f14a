"""One-shot CLI start: `tui-crm search 曾 --user counter --json` from process start to exit,
paired with a bare `python -c "import sqlalchemy"` in the same moment (the machine is
shared: each pair runs back to back, so load hits both alike), and `python -X importtime`
to say where the import time goes.

    python bench/cli_start.py [--customers 2000] [--runs 7] [--url sqlite:////path.db]

Without --url a demo book of --customers is built in a temporary folder. Wall time and
peak RSS (per child, from wait4) of: the bare import, the search signed in with the
password (argon2id verify), and with a session token of `tui-crm login`.
Bytecode: run once before measuring so every module has its .pyc (as an installed
package has); with PYTHONDONTWRITEBYTECODE and no .pyc every run compiles from source.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
TUI_CRM = str(BIN / "tui-crm")


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{argv} failed: {child.stderr.read().decode() if child.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def import_profile(argv: list[str], env: dict[str, str], top: int = 8) -> list[tuple[str, float]]:
    """Self import time per top-level package (ms), largest first."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tui_crm", *argv[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line[len("import time:") :].split("|")
        package = name.strip().split(".")[0]
        totals[package] = totals.get(package, 0.0) + int(own) / 1000
    return sorted(totals.items(), key=lambda kv: -kv[1])[:top]


def row(name: str, samples: list[tuple[float, float]]) -> str:
    times = sorted(t for t, _ in samples)
    rss = max(r for _, r in samples)
    return f"| {name} | {statistics.median(times):.2f} s | {times[0]:.2f} s | {rss:.0f} MiB |"


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="tui_crm_cli_start_"))
    try:
        run(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the demo book and the session token


def run(folder: Path) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--url", help="an existing book with the demo users")
    options = parser.parse_args()
    env = dict(os.environ)
    env.update(
        TUI_CRM_DATABASE_URL=options.url or f"sqlite:///{folder / 'crm.db'}",
        TUI_CRM_PASSWORD="demo-pass",
        TUI_CRM_STATE_DIR=str(folder / "state"),
        TUI_CRM_LOG_DIR=str(folder / "log"),
        TUI_CRM_NO_SERVER="1",  # each run in a process of its own, except the server rows
    )
    env.pop("TUI_CRM_FAST_HASH", None)
    if not options.url:
        subprocess.run(
            [TUI_CRM, "demo", "--customers", str(options.customers)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    search = [TUI_CRM, "search", "曾", "--user", "counter", "--json"]
    bare = [sys.executable, "-c", "import sqlalchemy"]
    measure(search, env)  # warm: first sign-in re-hashes a demo password; page cache
    token_env = dict(env)
    subprocess.run([TUI_CRM, "login", "--user", "counter"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    token_env.pop("TUI_CRM_PASSWORD")
    served_env = {k: v for k, v in token_env.items() if k != "TUI_CRM_NO_SERVER"}
    served_env["TUI_CRM_SERVER_SOCKET"] = str(folder / "server.sock")
    server = subprocess.Popen([TUI_CRM, "server"], env=served_env, stdout=subprocess.DEVNULL)
    while not (folder / "server.sock").exists():
        time.sleep(0.1)
    results: dict[str, list[tuple[float, float]]] = {
        "bare": [], "password": [], "token": [], "served": []
    }  # fmt: skip
    try:
        for _ in range(options.runs):
            results["bare"].append(measure(bare, env))
            results["password"].append(measure(search, env))
            results["token"].append(measure(search, token_env))
            results["served"].append(measure(search, served_env))
    finally:
        server.terminate()
    print(f"book: {options.url or f'SQLite demo, {options.customers} customers'}, "
          f"{options.runs} paired runs, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("| process | median | best | peak RSS |")
    print("|---|---|---|---|")
    print(row('python -c "import sqlalchemy"', results["bare"]))
    print(row("search, password (argon2id)", results["password"]))
    print(row("search, session token", results["token"]))
    print(row("search, session token, started by `tui-crm server` (RSS: the client)",
              results["served"]))  # fmt: skip
    ratios = [p[0] / b[0] for p, b in zip(results["token"], results["bare"], strict=True)]
    print(f"token search / bare import, paired median: {statistics.median(ratios):.2f}×")
    print("\nself import time by package (search with a token, one run):")
    for package, ms in import_profile(search, token_env):
        print(f"  {package:<24} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
