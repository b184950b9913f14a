"""Pilot: a toast quoting typed text shows it as text (no markup, no terminal escapes)."""

import pytest

from tui_crm.app import make_app
from tui_crm.config import Settings


@pytest.fixture
def database(sqlite_database):
    return sqlite_database


async def test_notifications_never_obey_what_they_quote(services) -> None:
    app = make_app(Settings(database_url="sqlite://", fast_hash=True), services.database,
                   services=services)  # fmt: skip
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify("没有客户 [@click=app.quit]x[/] \x1b[2J", title="\x1b]0;pwned\x07")
        await pilot.pause()
        [toast] = list(app._notifications)
        assert toast.message == "没有客户 [@click=app.quit]x[/] \\x1b[2J"
        assert toast.title == "\\x1b]0;pwned\\x07"
        assert toast.markup is False
        assert app.is_running  # the click markup did not quit the app
