"""Open the terminal interface on the configured database."""

from tui_crm.config import Settings


def run_tui(lang: str | None = None, config: str | None = None) -> int:
    from tui_crm.app import make_app
    from tui_crm.formats import use_zone
    from tui_crm.memory import limit_arenas

    settings = Settings.from_env(lang=lang, config=config)
    use_zone(settings.timezone)
    limit_arenas()  # before the app's worker threads start
    make_app(settings).run()
    return 0
