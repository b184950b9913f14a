"""Session tokens: `tui-crm login` once, then commands without the password; short-lived
(a threshold), revocable, stored owner-only, audited like sign-ins with the SSH client."""

import json
import os
import stat
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlmodel import select

from tests.cli.runner import run_cli
from tests.factories import PASSWORD, make_customer, make_user
from tui_crm.cli import session_file
from tui_crm.services.core import AccountLocked, AuthFailed
from tui_crm.storage.models import AuditLog, SessionToken, StaffUser


def audit_rows(services, action: str) -> list[AuditLog]:
    with services.database.session() as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action == action)).all()
        return list(rows)


def test_a_token_signs_in_until_it_expires(services, clock):
    actor = make_user(services, "counter", "counter")
    issued = services.tokens.issue(actor)
    assert issued.expires_at == clock.now() + timedelta(minutes=60)
    assert services.tokens.sign_in("counter", issued.token).id == actor.id
    with services.database.session() as session:
        stored = session.exec(select(SessionToken)).one()
    assert stored.token_hash != issued.token and issued.token not in stored.token_hash
    assert [r.detail for r in audit_rows(services, "login")] == [f"session token {stored.id}"]
    clock.advance(minutes=60)
    with pytest.raises(AuthFailed, match="tui-crm login"):
        services.tokens.sign_in("counter", issued.token)
    assert audit_rows(services, "login_failed")[-1].detail == "session token: expired"


def test_the_lifetime_is_the_threshold(services, clock):
    admin = make_user(services, "admin1", "admin", "3304")
    services.thresholds.set(admin, "auth.token_minutes", "5")
    issued = services.tokens.issue(admin)
    clock.advance(minutes=4, seconds=59)
    services.tokens.sign_in("admin1", issued.token)
    clock.advance(seconds=1)
    with pytest.raises(AuthFailed):
        services.tokens.sign_in("admin1", issued.token)


def test_revoked_foreign_unknown_and_locked_tokens_are_refused(services, clock):
    counter = make_user(services, "counter", "counter")
    make_user(services, "claims", "claims")
    issued = services.tokens.issue(counter)
    with pytest.raises(AuthFailed):
        services.tokens.sign_in("claims", issued.token)  # another user's token
    with pytest.raises(AuthFailed):
        services.tokens.sign_in("counter", "guessed")
    with services.database.session() as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == "counter")).one()
        user.locked_until = clock.now() + timedelta(minutes=5)
        session.add(user)
        session.commit()
    with pytest.raises(AccountLocked):
        services.tokens.sign_in("counter", issued.token)
    assert services.tokens.revoke(issued.token) is True
    assert services.tokens.revoke(issued.token) is False
    clock.advance(minutes=10)
    with pytest.raises(AuthFailed):
        services.tokens.sign_in("counter", issued.token)
    details = [r.detail for r in audit_rows(services, "login_failed")]
    assert details == [
        "session token: other user",
        "session token: unknown",
        "session token: locked",
        "session token: revoked",
    ]
    assert len(audit_rows(services, "token_revoked")) == 1


def test_sign_ins_over_ssh_record_the_client_address(services, monkeypatch):
    make_user(services, "counter", "counter")
    monkeypatch.setenv("SSH_CONNECTION", "10.8.0.14 51514 10.8.0.1 22")
    actor = services.auth.sign_in("counter", PASSWORD)
    with pytest.raises(AuthFailed):
        services.auth.sign_in("counter", "wrong")
    issued = services.tokens.issue(actor)
    services.auth.sign_out(actor, "signed out")
    assert [r.detail for r in audit_rows(services, "login")] == ["from 10.8.0.14"]
    assert audit_rows(services, "login_failed")[0].detail == "from 10.8.0.14"
    assert audit_rows(services, "token_issued")[0].detail == "60 min; from 10.8.0.14"
    assert audit_rows(services, "logout")[0].detail == "signed out; from 10.8.0.14"
    with services.database.session() as session:
        assert session.exec(select(SessionToken)).one().client == "10.8.0.14"
    assert issued.token


def test_login_then_commands_without_the_password_then_logout(capsys, cli_services, monkeypatch):
    make_user(cli_services, "counter", "counter")
    make_customer(cli_services, "曾小明")
    login = run_cli(capsys, ["login", "--user", "counter", "--json"])
    assert login.code == 0, login.err
    path = session_file.token_path()
    assert login.json["file"] == str(path) and login.json["user"] == "counter"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    monkeypatch.delenv("TUI_CRM_PASSWORD")
    found = run_cli(capsys, ["search", "曾", "--user", "counter", "--json"])
    assert found.code == 0, found.err
    assert [r["name"] for r in found.json] == ["曾小明"]
    logins = audit_rows(cli_services, "login")
    assert logins[-1].detail is not None and logins[-1].detail.startswith("session token")
    # another user still needs a password
    assert run_cli(capsys, ["search", "曾", "--user", "claims"]).code == 3
    logout = run_cli(capsys, ["logout", "--json"])
    assert logout.json == {"user": "counter", "revoked": True}
    assert not path.exists()
    assert run_cli(capsys, ["search", "曾", "--user", "counter"]).code == 3


def test_a_revoked_token_falls_back_to_the_password_or_says_login(
    capsys, cli_services, monkeypatch
):
    make_user(cli_services, "counter", "counter")
    assert run_cli(capsys, ["login", "--user", "counter"]).code == 0
    token = json.loads(session_file.token_path().read_text())["token"]
    cli_services.tokens.revoke(token)
    assert run_cli(capsys, ["whoami", "--user", "counter"]).code == 0  # TUI_CRM_PASSWORD set
    monkeypatch.delenv("TUI_CRM_PASSWORD")
    refused = run_cli(capsys, ["whoami", "--user", "counter", "--lang", "en"])
    assert refused.code == 3
    assert "run tui-crm login again" in refused.err


def test_a_token_file_others_can_read_is_refused(capsys, cli_services, monkeypatch):
    make_user(cli_services, "counter", "counter")
    assert run_cli(capsys, ["login", "--user", "counter"]).code == 0
    os.chmod(session_file.token_path(), 0o644)
    monkeypatch.delenv("TUI_CRM_PASSWORD")
    refused = run_cli(capsys, ["whoami", "--user", "counter", "--lang", "en"])
    assert refused.code == 3
    assert "readable by other users" in refused.err


HEAVY = ("pandas", "numpy", "openpyxl", "textual", "tui_crm.services.reports", "plotext")


def test_a_search_imports_no_report_or_screen_machinery(cli_services):
    make_user(cli_services, "counter", "counter")
    script = (
        "import sys\n"
        "from tui_crm.cli import main\n"
        "try:\n    main(['search', '曾', '--user', 'counter', '--json'])\n"
        "except SystemExit as done:\n    assert not done.code, done.code\n"
        f"print('LOADED', sorted(m for m in sys.modules if m.startswith({HEAVY!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=os.environ
    )
    assert done.stdout.strip().splitlines()[-1] == "LOADED []"


ORM = ("sqlmodel", "sqlalchemy.orm", "pydantic", "tui_crm.storage.models", "argon2", "alembic")


def test_a_search_with_a_token_reads_with_plain_sql(cli_services, monkeypatch, capsys):
    """The one-shot start: a token sign-in, the readiness check and the search use plain
    SQL, so neither the ORM nor the models nor argon2 is imported; the sign-in is audited."""
    make_user(cli_services, "counter", "counter")
    admin = make_user(cli_services, "admin", "admin", "3304")
    make_customer(cli_services, "曾兰佳")
    assert run_cli(capsys, ["login", "--user", "counter"]).code == 0
    monkeypatch.delenv("TUI_CRM_PASSWORD")
    script = (
        "import sys\n"
        "from tui_crm.cli import main\n"
        "try:\n    main(['search', '曾', '--user', 'counter', '--json'])\n"
        "except SystemExit as done:\n    assert not done.code, done.code\n"
        f"print('LOADED', sorted(m for m in sys.modules if m.startswith({ORM!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=os.environ
    )
    *found, loaded = done.stdout.strip().splitlines()
    assert loaded == "LOADED []"
    assert [hit["name"] for hit in json.loads("\n".join(found))] == ["曾兰佳"]
    login = audit_rows(cli_services, "login")[-1]
    assert login.actor_username == "counter"
    assert (login.detail or "").startswith("session token ")
    assert cli_services.audit.verify(admin).ok  # the row chained like every other
