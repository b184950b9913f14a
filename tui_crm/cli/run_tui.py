"""Open the terminal interface on the configured database."""

from tui_crm.config import Settings


def run_tui(lang: str | None = None) -> int:
    from tui_crm.app import make_app

    make_app(Settings.from_env(lang=lang)).run()
    return 0
