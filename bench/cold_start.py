"""Cold start: process start → sign-in screen mounted, against a bare Textual app.

Each run is a fresh interpreter (imports included), headless, median of N runs.
Target: tui_crm within 2× of the bare app.
"""

import statistics
import subprocess
import sys
import time

BARE = """
import time, sys
t0 = float(sys.argv[1])
from textual.app import App
from textual.widgets import Input, Footer
class Bare(App):
    def compose(self):
        yield Input()
        yield Footer()
    def on_mount(self):
        print(time.time() - t0)
        self.exit()
Bare().run(headless=True)
"""

CRM = """
import time, sys
t0 = float(sys.argv[1])
from tui_crm.app import make_app
from tui_crm.config import Settings
from tui_crm.screens.login import LoginScreen
app = make_app(Settings(database_url="sqlite:////tmp/tui_crm_cold_start.db"))
def shown():
    print(time.time() - t0)
    app.exit()
LoginScreen.on_mount_original = LoginScreen.on_mount
def on_mount(self):
    LoginScreen.on_mount_original(self)
    self.call_after_refresh(shown)
LoginScreen.on_mount = on_mount
app.run(headless=True)
"""


def measure(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code, str(time.time())],
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    bare = measure(BARE, runs)
    crm = measure(CRM, runs)
    print(f"bare Textual app : {bare * 1000:7.0f} ms (median of {runs})")
    print(f"tui_crm sign-in  : {crm * 1000:7.0f} ms (median of {runs})")
    print(f"ratio            : {crm / bare:7.2f}×  (target ≤ 2×)")
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, tui_crm.app, tui_crm.screens.login;"
            "print(','.join(m for m in ('pandas','openpyxl','sqlalchemy','sqlmodel','xlsxwriter')"
            " if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"heavy modules imported before sign-in: {heavy or 'none'}")


if __name__ == "__main__":
    main()
