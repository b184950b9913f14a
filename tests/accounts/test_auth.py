"""Sign-in: argon2id hashes, lockout after 5 failures for 15 minutes, audit, actor scope."""

from datetime import timedelta

import pytest
from sqlmodel import col, select

from tests.factories import PASSWORD, make_user
from tui_crm.services.core.errors import AccountLocked, AuthFailed
from tui_crm.storage.models import AuditLog, StaffUser


def _audit_actions(services, username: str) -> list[str]:
    with services.database.session() as session:
        rows = session.exec(
            select(AuditLog.action)
            .where(AuditLog.actor_username == username)
            .order_by(col(AuditLog.id))
        ).all()
    return list(rows)


def test_password_is_stored_as_argon2id_never_plain(services) -> None:
    make_user(services, "counter", "counter")
    with services.database.session() as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == "counter")).one()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_sign_in_returns_actor_with_scope_of_unit_subtree(services) -> None:
    make_user(services, "counter", "counter", "330402")
    make_user(services, "manager", "manager", "3304")
    counter = services.auth.sign_in("counter", PASSWORD)
    manager = services.auth.sign_in("manager", PASSWORD)
    assert counter.unit_code == "330402" and counter.role == "counter"
    # 南湖 and its two marketing service departments.
    assert len(counter.scope_unit_ids) == 3
    assert len(manager.scope_unit_ids) == 20  # the whole centre
    assert counter.scope_unit_ids < manager.scope_unit_ids
    assert counter.can("pii.reveal") and not manager.can("pii.reveal")
    assert _audit_actions(services, "counter") == ["login"]


def test_wrong_password_is_refused_and_audited(services) -> None:
    make_user(services, "counter", "counter")
    with pytest.raises(AuthFailed) as refusal:
        services.auth.sign_in("counter", "nope")
    assert refusal.value.message == "用户名或密码错误"
    assert refusal.value.exit_code == 3
    assert _audit_actions(services, "counter") == ["login_failed"]


def test_unknown_user_gets_the_same_message(services) -> None:
    make_user(services, "counter", "counter")
    with pytest.raises(AuthFailed) as refusal:
        services.auth.sign_in("ghost", "x")
    assert refusal.value.message == "用户名或密码错误"


def test_a_book_without_accounts_says_where_it_is(services) -> None:
    with pytest.raises(AuthFailed) as refusal:
        services.auth.sign_in("admin", "x")
    assert refusal.value.message.startswith("用户名或密码错误：数据库 ")
    assert services.database.location() in refusal.value.message
    assert "tui-crm init" in refusal.value.message


def test_five_failures_lock_for_fifteen_minutes(services, clock) -> None:
    make_user(services, "counter", "counter")
    for _ in range(4):
        with pytest.raises(AuthFailed):
            services.auth.sign_in("counter", "bad")
    with pytest.raises(AccountLocked):
        services.auth.sign_in("counter", "bad")
    # Even the right password is refused while locked.
    with pytest.raises(AccountLocked) as refusal:
        services.auth.sign_in("counter", PASSWORD)
    assert "锁定" in refusal.value.message
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(AccountLocked):
        services.auth.sign_in("counter", PASSWORD)
    clock.advance(seconds=2)
    actor = services.auth.sign_in("counter", PASSWORD)
    assert actor.username == "counter"
    actions = _audit_actions(services, "counter")
    assert actions.count("login_failed") == 5
    assert actions.count("login_refused_locked") == 2
    assert actions[-1] == "login"


def test_success_resets_the_failure_count(services, clock) -> None:
    make_user(services, "counter", "counter")
    for _ in range(4):
        with pytest.raises(AuthFailed):
            services.auth.sign_in("counter", "bad")
    services.auth.sign_in("counter", PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthFailed):
            services.auth.sign_in("counter", "bad")
    clock.advance(minutes=1)
    assert services.auth.sign_in("counter", PASSWORD).username == "counter"
    assert timedelta(minutes=1)  # the lock never engaged: 4 + 4 failures, reset between


def test_lockout_thresholds_are_data(services) -> None:
    admin = make_user(services, "admin", "admin", "3304")
    make_user(services, "counter", "counter")
    services.thresholds.set(admin, "auth.max_failures", "3")
    for _ in range(2):
        with pytest.raises(AuthFailed):
            services.auth.sign_in("counter", "bad")
    with pytest.raises(AccountLocked):
        services.auth.sign_in("counter", "bad")
