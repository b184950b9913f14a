"""Pilot: a book whose schema is older or newer than the program is refused on the sign-in
screen with what to run, and signing in says the same instead of failing."""

from sqlalchemy import text
from textual.widgets import Input

from tests.factories import make_user
from tests.ui.pilot import settle, shown, sign_in
from tui_crm.app import make_app
from tui_crm.config import Settings
from tui_crm.screens.login import LoginScreen
from tui_crm.services.container import make_services


async def test_a_book_made_by_newer_code_is_refused_on_the_sign_in_screen(
    sqlite_database,
) -> None:
    make_user(make_services(sqlite_database, fast_hash=True), "counter", "counter")
    with sqlite_database.connect() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff0099'"))
    app = make_app(Settings(database_url="sqlite://", fast_hash=True), sqlite_database)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        message = shown(app.screen, "#login-error")
        assert "ffff0099" in message and "新于程序" in message
        await sign_in(pilot, "counter")
        assert isinstance(app.screen, LoginScreen)
        assert "ffff0099" in shown(app.screen, "#login-error")
        assert app.screen.query_one("#password", Input).value == ""
