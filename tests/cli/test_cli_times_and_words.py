"""The CLI shows times where a person reads them in local time (the zone of the branch, or
TUI_CRM_TIMEZONE), the same in `service add`, `service list`, `service complaints` and
`audit`; `--json` carries ISO 8601 with the local offset. Codes print as words."""

import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from tests.factories import make_customer, make_user
from tui_crm.cli import main
from tui_crm.services.container import make_services
from tui_crm.storage.db import Database


@pytest.fixture
def cli(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    monkeypatch.delenv("TUI_CRM_LANG", raising=False)
    monkeypatch.delenv("TUI_CRM_TIMEZONE", raising=False)
    from tui_crm.services.setup import ensure_ready

    database = Database.from_url(url)
    ensure_ready(database)
    services = make_services(database, fast_hash=True)
    make_user(services, "counter", "counter", "330402")
    make_user(services, "admin", "admin", "3304")
    customer = make_customer(services, "张三")
    yield customer
    database.dispose()


def run(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert int(done.value.code or 0) == 0, capsys.readouterr().err
    return str(capsys.readouterr().out)


def _stamps(text: str) -> list[str]:
    return re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)


def test_service_times_are_local_in_tables_and_offset_in_json(cli, capsys) -> None:
    user = ["--user", "counter"]
    added = run(
        ["service", "add", str(cli), "--kind", "complaint", "--subject", "等太久", *user], capsys
    )
    listed = run(["service", "list", str(cli), *user], capsys)
    queue = run(["service", "complaints", *user], capsys)
    shown = {_stamps(text)[0] for text in (added, listed, queue)}
    assert len(shown) == 1  # one record, one time everywhere
    [when] = shown
    now_local = datetime.now(timezone(timedelta(hours=8))).replace(tzinfo=None)
    assert abs(datetime.strptime(when, "%Y-%m-%d %H:%M") - now_local) < timedelta(minutes=2)
    assert "+00:00" not in listed + queue
    assert "待处理" in queue and "投诉" in queue  # the status and the kind as words

    [record] = json.loads(run(["service", "list", str(cli), *user, "--json"], capsys))
    assert record["occurred_at"].endswith("+08:00")
    assert record["occurred_at"][:16].replace("T", " ") == when


def test_audit_table_is_local_and_json_keeps_the_offset(cli, capsys) -> None:
    run(["service", "list", str(cli), "--user", "counter"], capsys)  # a sign-in to audit
    table = run(["audit", "--user", "admin"], capsys)
    rows = json.loads(run(["audit", "--user", "admin", "--json"], capsys))
    assert rows and all(row["at"].endswith("+08:00") for row in rows)
    assert rows[0]["at"][:16].replace("T", " ") in _stamps(table)
    assert "登录" in table and "login" not in table.split("\n", 2)[2]


def test_timezone_setting_moves_the_shown_time(cli, capsys, monkeypatch) -> None:
    run(
        ["service", "add", str(cli), "--kind", "visit", "--subject", "拜访", "--user", "counter"],
        capsys,
    )
    shanghai = _stamps(run(["service", "list", str(cli), "--user", "counter"], capsys))[0]
    monkeypatch.setenv("TUI_CRM_TIMEZONE", "UTC")
    utc = _stamps(run(["service", "list", str(cli), "--user", "counter"], capsys))[0]
    [record] = json.loads(run(["service", "list", str(cli), "--user", "counter", "--json"], capsys))
    hours = datetime.strptime(shanghai, "%Y-%m-%d %H:%M") - datetime.strptime(utc, "%Y-%m-%d %H:%M")
    assert hours == timedelta(hours=8)
    assert record["occurred_at"].endswith("+00:00")
