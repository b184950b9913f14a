"""Open the terminal interface on the configured database."""

from tui_crm.config import Settings


def run_tui(lang: str | None = None, config: str | None = None) -> int:
    from tui_crm.app import make_app
    from tui_crm.formats import use_zone

    settings = Settings.from_env(lang=lang, config=config)
    use_zone(settings.timezone)
    make_app(settings).run()
    return 0
