"""Pilot: an unexpected error closes the app with one line for the clerk and the masked
traceback in the error log; signing in to an empty book says where the database is."""

import pytest
from textual.worker import WorkerFailed

from tests.factories import make_user
from tests.ui.pilot import new_app, settle, shown, sign_in, wait_until
from tui_crm.logs import log_path
from tui_crm.screens.search import SearchScreen
from tui_crm.services.search import SearchService


async def test_sign_in_to_an_empty_book_says_where_the_database_is(services) -> None:
    app = new_app(services, lang="en")
    async with app.run_test(size=(120, 32)) as pilot:
        await sign_in(pilot, "admin")
        message = shown(app.screen, "#login-error")
        assert message.startswith("Wrong username or password: the database")
        assert services.database.location() in message
        assert "tui-crm init" in message and "tui-crm demo" in message


async def test_an_unexpected_error_leaves_one_line_and_a_masked_log(
    services, monkeypatch, capsys
) -> None:
    make_user(services, "counter", "counter")

    def broken(self, actor, query, *args, **kwargs):
        raise RuntimeError("lost 330402199001011234")

    monkeypatch.setattr(SearchService, "search", broken)
    app = new_app(services, lang="en")
    with pytest.raises(WorkerFailed):
        async with app.run_test(size=(120, 32)) as pilot:
            await sign_in(pilot, "counter")
            await pilot.press("f3")
            await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen), "search")
            await pilot.press("z", "s")
            await wait_until(pilot, lambda: app._exception is not None, "the error", settled=False)
            await settle(pilot)
    printed = " ".join(capsys.readouterr().err.split())
    assert printed == (
        f"The program stopped on an error (RuntimeError); details are in {log_path()} "
        "for the administrator"
    )
    logged = log_path().read_text(encoding="utf-8")
    assert "RuntimeError: lost 330402********1234" in logged
    assert "330402199001011234" not in logged
