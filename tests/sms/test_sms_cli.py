"""`tui-crm sms dispatch --once` with no gateway configured uses the loopback spool;
replies come back through it into the inbox."""

import json

from tests.cli.runner import run_cli
from tests.sms.book import clerk, customers, gateway_user, queue, statuses
from tui_crm.services.sms import SpoolGateway


def test_dispatch_once_through_the_spool_and_the_inbox(
    cli_services, tmp_path, monkeypatch, capsys
) -> None:
    spool = tmp_path / "spool"
    monkeypatch.setenv("TUI_CRM_SMS_SPOOL", str(spool))
    monkeypatch.delenv("TUI_CRM_SMS_GATEWAY_URL", raising=False)
    am = clerk(cli_services)
    gateway_user(cli_services)
    ids = queue(cli_services, am, customers(cli_services, 2))
    result = run_cli(capsys, ["sms", "dispatch", "--once", "--user", "sms_gw", "--json"])
    assert result.code == 0, result.err
    assert result.json["dispatch"]["sent"] == 2 and result.json["gateway"] == "loopback"
    assert result.json["inbound"]["reports"] == 2  # the loopback reports delivery at once
    written = sorted(
        json.loads(p.read_text("utf-8"))["id"] for p in (spool / "outbox").glob("*.json")
    )
    assert written == sorted(f"crm-{i}" for i in ids)
    SpoolGateway(spool).simulate_reply("13900000001", "请明天上午来电")
    result = run_cli(capsys, ["sms", "dispatch", "--once", "--user", "sms_gw", "--json"])
    assert result.json["inbound"] == {
        "reports": 0,
        "replies": 1,
        "opt_outs": 0,
        "tasks": 1,
        "staff_queries": 0,
    }
    assert set(statuses(cli_services).values()) == {"delivered"}
    inbox = run_cli(capsys, ["sms", "inbox", "--user", "am", "--json"]).json
    assert [(r["body"], r["task_status"], r["phone_masked"]) for r in inbox] == [
        ("请明天上午来电", "open", "139****0001")
    ]


def test_a_clerk_may_not_dispatch(cli_services, capsys) -> None:
    clerk(cli_services)
    result = run_cli(capsys, ["sms", "dispatch", "--once", "--user", "am", "--json"])
    assert result.code == 1 and result.json["error"]["code"] == "wrong_role"
