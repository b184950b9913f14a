"""Staff administration: roles, scope, audit; the admin screen by keyboard."""

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Static, TabbedContent

from tests.factories import PASSWORD, make_user
from tui_crm.app import make_app
from tui_crm.config import Settings
from tui_crm.screens.admin.console import AdminScreen
from tui_crm.services.core.errors import (
    AccountLocked,
    AuthFailed,
    Conflict,
    Forbidden,
    ValidationFailed,
)
from tui_crm.storage.models import AuditLog, Threshold
from tui_crm.widgets.form_dialog import FormDialog


def test_admin_adds_user_who_can_sign_in(services) -> None:
    admin = make_user(services, "admin", "admin", "3304")
    services.users.add(
        admin,
        username="counter_hy",
        display_name="海盐柜面",
        role="counter",
        unit_code="330424",
        password="long-enough",
    )
    actor = services.auth.sign_in("counter_hy", "long-enough")
    assert actor.unit_code == "330424" and actor.role == "counter"
    with services.database.session() as session:
        row = session.exec(select(AuditLog).where(AuditLog.action == "create")).one()
    assert row.actor_username == "admin" and "long-enough" not in (row.after or "")


def test_refusals_name_the_field(services) -> None:
    admin = make_user(services, "admin", "admin", "3304")
    with pytest.raises(ValidationFailed) as short:
        services.users.add(
            admin,
            username="x1",
            display_name="",
            role="counter",
            unit_code="330402",
            password="short",
        )
    assert short.value.field == "password"
    with pytest.raises(ValidationFailed) as role:
        services.users.add(
            admin,
            username="x1",
            display_name="",
            role="boss",
            unit_code="330402",
            password="long-enough",
        )
    assert role.value.field == "role"
    with pytest.raises(Conflict) as taken:
        services.users.add(
            admin,
            username="admin",
            display_name="",
            role="counter",
            unit_code="330402",
            password="long-enough",
        )
    assert taken.value.field == "username"


def test_only_administrators_manage_users(services) -> None:
    manager = make_user(services, "manager", "manager", "3304")
    with pytest.raises(Forbidden):
        services.users.list(manager)


def test_county_admin_cannot_touch_another_county(services) -> None:
    local_admin = make_user(services, "admin_nh", "admin", "330402")
    make_user(services, "counter_xz", "counter", "330411")
    with pytest.raises(Forbidden):
        services.users.unlock(local_admin, "counter_xz")
    assert [u.username for u in services.users.list(local_admin)] == ["admin_nh"]


def test_unlock_lets_a_locked_user_back_in(services) -> None:
    admin = make_user(services, "admin", "admin", "3304")
    make_user(services, "counter", "counter")
    for _ in range(5):
        with pytest.raises(AuthFailed):
            services.auth.sign_in("counter", "bad")
    with pytest.raises(AccountLocked):
        services.auth.sign_in("counter", PASSWORD)
    services.users.unlock(admin, "counter")
    assert services.auth.sign_in("counter", PASSWORD).username == "counter"


def test_threshold_change_is_audited(services) -> None:
    admin = make_user(services, "admin", "admin", "3304")
    services.thresholds.set(admin, "class.key.annual_premium", "60000")
    with services.database.session() as session:
        assert session.get(Threshold, "class.key.annual_premium").value == "60000"
        row = session.exec(select(AuditLog).where(AuditLog.entity == "threshold")).one()
    assert '"50000"' in (row.before or "") and '"60000"' in (row.after or "")
    counter = make_user(services, "counter", "counter")
    with pytest.raises(Forbidden):
        services.thresholds.set(counter, "class.key.annual_premium", "1")
    with pytest.raises(ValidationFailed):
        services.thresholds.set(admin, "class.key.annual_premium", "abc")


async def test_admin_screen_edits_threshold_by_keyboard(sqlite_database) -> None:
    from tui_crm.services.container import make_services

    services = make_services(sqlite_database, fast_hash=True)
    make_user(services, "admin", "admin", "3304")
    app = make_app(
        Settings(database_url="sqlite://", fast_hash=True), sqlite_database, services=services
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"admin", "enter", *PASSWORD, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        assert isinstance(app.screen, AdminScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        users = app.screen.query_one("#users", DataTable)
        assert users.row_count == 1
        app.screen.query_one("TabbedContent", TabbedContent).active = "tab-thresholds"
        await pilot.pause()
        table = app.screen.query_one("#thresholds", DataTable)
        table.focus()
        codes = [str(k.value) for k in table.rows]
        table.move_cursor(row=codes.index("auth.max_failures"))
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press("end", "backspace", "backspace", "x", "enter")
        await pilot.pause()
        # Refused: the dialog comes back with the reason under the field.
        assert isinstance(app.screen, FormDialog)
        assert "数字" in str(app.screen.query_one("#error-value", Static).render())
        assert app.screen.query_one("#field-value", Input).value == "x"  # what was typed is kept
        await pilot.press("end", "backspace", "-", "1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        error = str(app.screen.query_one("#error-value", Static).render())
        assert error == "取值范围 3 至 10"
        await pilot.press("end", "backspace", "backspace", "6", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AdminScreen)
    with services.database.session() as session:
        threshold = session.get(Threshold, "auth.max_failures")
        assert threshold is not None and threshold.value == "6"
