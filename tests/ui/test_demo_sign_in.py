"""Pilot: the sign-in screen of a demo book says how to sign in; a real book's never does."""

import pytest

from tests.ui.pilot import new_app, settle
from tui_crm.storage.models import BookMeta


def _mark_demo(services) -> None:
    with services.database.session() as session:
        session.add(BookMeta(key="demo", value="1"))
        session.commit()


def _hint(app) -> str | None:
    widget = app.screen.query_one("#login-demo")
    return str(widget.render()) if widget.display else None


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (None, "演示账套：用户 counter、manager、admin…，密码 demo-pass"),
        ("en", "Demo book: users counter, manager, admin…, password demo-pass"),
    ],
)
async def test_a_demo_book_shows_how_to_sign_in(services, lang, line) -> None:
    _mark_demo(services)
    assert services.auth.is_demo_book()
    app = new_app(services, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _hint(app) == line


async def test_a_real_book_never_shows_the_demo_password(services) -> None:
    assert not services.auth.is_demo_book()
    app = new_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _hint(app) is None
