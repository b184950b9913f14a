"""Security thresholds have a range (data, next to their defaults): out-of-range values are
refused with the range in the message, from the service, the CLI and the admin screen."""

import pytest

from tests.factories import PASSWORD, make_user
from tui_crm.services.core.errors import AccountLocked, AuthFailed, ValidationFailed
from tui_crm.storage.models import Threshold


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("auth.max_failures", "-1", "取值范围 3 至 10"),
        ("auth.max_failures", "0", "取值范围 3 至 10"),
        ("auth.max_failures", "4.5", "请输入整数"),
        ("session.idle_lock_minutes", "0", "取值范围 1 至 60"),
        ("session.idle_lock_minutes", "99999999999999999999", "取值范围 1 至 60"),
        ("auth.lock_minutes", "99999999999", "取值范围 5 至 1440"),
        ("auth.lock_minutes", "NaN", "请输入数字"),
        ("report.credit.balance_rate", "1.5", "取值范围 0 至 1"),
        ("class.key.annual_premium", "100.001", "金额最多两位小数"),
    ],
)
def test_out_of_range_values_are_refused(services, code, value, message) -> None:
    admin = make_user(services, "admin", "admin", "3304")
    with services.database.session() as session:
        before = session.get(Threshold, code).value
    with pytest.raises(ValidationFailed) as refusal:
        services.thresholds.set(admin, code, value)
    assert refusal.value.message == message
    with services.database.session() as session:
        assert session.get(Threshold, code).value == before


def test_values_in_range_are_stored(services) -> None:
    admin = make_user(services, "admin", "admin", "3304")
    services.thresholds.set(admin, "auth.lock_minutes", "1440")
    services.thresholds.set(admin, "auth.max_failures", " 10 ")
    with services.database.session() as session:
        assert session.get(Threshold, "auth.lock_minutes").value == "1440"
        assert session.get(Threshold, "auth.max_failures").value == "10"


def test_a_value_stored_out_of_range_is_read_within_it(services) -> None:
    """An old database holding -1 failures or a lock of centuries still locks sanely."""
    make_user(services, "counter", "counter")
    with services.database.session() as session:
        session.get(Threshold, "auth.max_failures").value = "-1"
        session.get(Threshold, "auth.lock_minutes").value = "99999999999"
        session.commit()
    for _ in range(2):
        with pytest.raises(AuthFailed):
            services.auth.sign_in("counter", "bad")
    with pytest.raises(AccountLocked):
        services.auth.sign_in("counter", "bad")
    with pytest.raises(AccountLocked):
        services.auth.sign_in("counter", PASSWORD)


def test_cli_refuses_out_of_range_with_one_line(tmp_path, monkeypatch, capsys) -> None:
    from tui_crm.cli import main
    from tui_crm.services.container import make_services
    from tui_crm.services.setup import ensure_ready
    from tui_crm.storage.db import Database

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", PASSWORD)
    database = Database.from_url(url)
    ensure_ready(database)
    make_user(make_services(database, fast_hash=True), "admin", "admin", "3304")
    with pytest.raises(SystemExit) as done:
        main(["threshold", "set", "auth.lock_minutes", "99999999999", "--user", "admin"])
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert err.strip().endswith("取值范围 5 至 1440") and "Traceback" not in err
    with database.session() as session:
        threshold = session.get(Threshold, "auth.lock_minutes")
        assert threshold is not None and threshold.value == "15"
    database.dispose()
