"""`tui-crm sms serve`: the provider posts signed delivery reports and replies to a real
HTTP endpoint on a loopback port; bad signatures and bodies are refused with 401 / 400,
a callback posted twice is recorded once, on both databases."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from tests.cli.runner import run_cli
from tests.factories import TODAY
from tests.sms.book import clerk, customers, delivery, gateway_user, queue, statuses
from tests.sms.callbacks import KEY_ID, SECRET, post, serving
from tui_crm.services.container import Services, make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.sms import SpoolGateway
from tui_crm.storage.models import Contact, Customer, ServiceTask, SmsCallback, SmsMessage


@pytest.fixture
def book(committed_database) -> Iterator[Services]:
    """Services whose sessions really commit (the endpoint answers from its own threads)."""
    yield make_services(committed_database, clock=FixedClock(TODAY), fast_hash=True)


def _sent(services: Services, n: int, spool: Path) -> list[int]:
    """Messages handed to the (loopback) gateway, their reports still to come."""
    ids = queue(services, clerk(services), customers(services, n))
    services.sms_dispatcher.dispatch_once(gateway_user(services), SpoolGateway(spool))
    assert set(statuses(services).values()) == {"sent"}
    return ids


def _inbound(services: Services) -> list[tuple[str, str]]:
    with services.database.session() as session:
        rows = session.exec(
            select(SmsMessage.phone, SmsMessage.body)
            .where(SmsMessage.direction == "in")
            .order_by(col(SmsMessage.id))
        ).all()
    return [(phone, body) for phone, body in rows]


def test_signed_reports_update_the_messages_once(book, tmp_path) -> None:
    first, second = _sent(book, 2, tmp_path)
    with serving(book, book.auth.actor_for("sms_gw")) as base:
        report = {"message_id": "p-1", "ref": f"crm-{first}", "delivered": True, "code": "DELIVRD"}
        assert post(base, "/sms/report", report) == (
            200,
            {
                "status": "recorded",
                "reports": 1,
                "replies": 0,
                "opt_outs": 0,
                "tasks": 0,
                "staff_queries": 0,
            },
        )
        failed = {
            "message_id": "p-2",
            "ref": f"crm-{second}",
            "delivered": False,
            "code": "UNDELIV",
        }
        assert post(base, "/sms/report", failed)[0] == 200
        # the provider posts the first report again, now saying it failed: a duplicate
        again = dict(report, delivered=False, code="LATE")
        assert post(base, "/sms/report", again) == (
            200,
            {
                "status": "duplicate",
                "reports": 0,
                "replies": 0,
                "opt_outs": 0,
                "tasks": 0,
                "staff_queries": 0,
            },
        )
        # a report of a message we never sent is taken in and changes nothing
        stray = {"message_id": "p-3", "ref": "crm-999999", "delivered": True}
        assert post(base, "/sms/report", stray)[1] == {
            "status": "recorded",
            "reports": 0,
            "replies": 0,
            "opt_outs": 0,
            "tasks": 0,
            "staff_queries": 0,
        }
    assert statuses(book) == {first: "delivered", second: "failed"}
    assert delivery(book, first).provider_code == "DELIVRD"
    assert (delivery(book, second).provider_code, delivery(book, second).reason) == (
        "UNDELIV",
        "UNDELIV",
    )
    with book.database.session() as session:
        kept = session.exec(select(SmsCallback.kind, SmsCallback.provider_id)).all()
    assert sorted(kept) == [("report", "p-1"), ("report", "p-2"), ("report", "p-3")]


def test_replies_reach_the_inbox_and_td_opts_out_once(book) -> None:
    first, second = customers(book, 2)
    am = clerk(book)
    with book.database.session() as session:
        customer = session.get(Customer, second)
        assert customer is not None
        customer.account_manager_id = am.id
        session.commit()
    with serving(book, gateway_user(book)) as base:
        stop = {"message_id": "r-1", "phone": "13900000000", "body": "TD"}
        question = {"message_id": "r-2", "phone": "13900000001", "body": "保单什么时候到期？"}
        assert post(base, "/sms/reply", stop)[1]["opt_outs"] == 1
        assert post(base, "/sms/reply", question)[1]["tasks"] == 1
        assert post(base, "/sms/reply", question)[1]["status"] == "duplicate"
        assert post(base, "/sms/reply", stop)[1]["status"] == "duplicate"
    assert _inbound(book) == [("13900000000", "TD"), ("13900000001", "保单什么时候到期？")]
    with book.database.session() as session:
        consent = dict(
            session.exec(select(Contact.customer_id, Contact.consent_marketing_sms)).all()
        )
        tasks = session.exec(select(ServiceTask.customer_id, ServiceTask.subject)).all()
    assert consent == {first: False, second: True}
    assert tasks == [(second, "保单什么时候到期？")]
    inbox = book.sms_inbox.inbox(am)
    assert [(i.body, i.task_status, i.phone_masked) for i in inbox] == [
        ("保单什么时候到期？", "open", "139****0001"),
        ("TD", None, "139****0000"),
    ]


BAD_SIGNATURES = {
    "unsigned": {"secret": None},
    "wrong secret": {"secret": "guessed"},
    "other key id": {"key_id": "someone-else"},
    "stale timestamp": {"skew": -3600},
}


@pytest.mark.parametrize("how", list(BAD_SIGNATURES))
def test_a_bad_or_missing_signature_is_refused_and_nothing_recorded(book, how) -> None:
    customers(book, 1)
    with serving(book, gateway_user(book)) as base:
        reply = {"message_id": "r-9", "phone": "13900000000", "body": "TD"}
        status, answer = post(base, "/sms/reply", reply, **BAD_SIGNATURES[how])  # type: ignore[arg-type]
        assert (status, answer) == (401, {"error": "bad signature"})
        # the same callback properly signed afterwards is still taken in
        assert post(base, "/sms/reply", reply)[1]["status"] == "recorded"
    assert _inbound(book) == [("13900000000", "TD")]


MALFORMED = {
    "not json": (b"{not json", "/sms/reply"),
    "not an object": (b"[1, 2]", "/sms/reply"),
    "no message id": (json.dumps({"phone": "13900000000", "body": "hi"}).encode(), "/sms/reply"),
    "no phone": (json.dumps({"message_id": "x", "body": "hi"}).encode(), "/sms/reply"),
    "body too long": (
        json.dumps({"message_id": "x", "phone": "139", "body": "长" * 501}).encode(),
        "/sms/reply",
    ),
    "delivered not a boolean": (
        json.dumps({"message_id": "x", "ref": "crm-1", "delivered": "yes"}).encode(),
        "/sms/report",
    ),
    "phone not text": (
        json.dumps({"message_id": "x", "phone": ["139"], "body": "hi"}).encode(),
        "/sms/reply",
    ),
    "not utf-8": (b"\xff\xfe{}", "/sms/reply"),
}


@pytest.mark.parametrize("how", list(MALFORMED))
def test_a_malformed_body_is_a_400_with_the_reason_not_a_traceback(book, how) -> None:
    raw, path = MALFORMED[how]
    with serving(book, gateway_user(book)) as base:
        status, answer = post(base, path, None, raw=raw)
    assert status == 400 and answer["error"] and "Traceback" not in answer["error"]
    assert _inbound(book) == []
    with book.database.session() as session:
        assert session.exec(select(func.count()).select_from(SmsCallback)).one() == 0


def test_other_paths_methods_and_huge_bodies(book) -> None:
    with serving(book, gateway_user(book)) as base:
        assert post(base, "/sms/other", {"message_id": "x"})[0] == 404
        assert post(base, "/sms/reply", None, raw=b"x" * (64 * 1024 + 1))[0] == 413
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/sms/reply", timeout=10)
        assert refused.value.code == 405
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
            assert json.loads(response.read()) == {"status": "ok"}


def test_serve_refuses_to_start_without_the_secret_or_for_a_clerk(
    cli_services, monkeypatch, capsys
) -> None:
    clerk(cli_services)
    gateway_user(cli_services)
    monkeypatch.delenv("TUI_CRM_SMS_SECRET", raising=False)
    monkeypatch.setenv("TUI_CRM_SMS_KEY_ID", KEY_ID)
    result = run_cli(capsys, ["sms", "serve", "--port", "0", "--user", "sms_gw", "--json"])
    assert result.code == 1 and result.json["error"]["field"] == "gateway"
    monkeypatch.setenv("TUI_CRM_SMS_SECRET", SECRET)
    result = run_cli(capsys, ["sms", "serve", "--port", "0", "--user", "am", "--json"])
    assert result.code == 1 and result.json["error"]["code"] == "wrong_role"
    result = run_cli(capsys, ["sms", "serve", "--host", "not a host!", "--user", "sms_gw"])
    assert result.code == 2 and "Traceback" not in result.err


def test_the_real_command_serves_until_stopped(cli_services, tmp_path) -> None:
    """`tui-crm sms serve` as the unit runs it: a process of its own, its port on stdout."""
    customers(cli_services, 1)
    gateway_user(cli_services)
    env = dict(os.environ)
    env |= {
        "TUI_CRM_SMS_KEY_ID": KEY_ID,
        "TUI_CRM_SMS_SECRET": SECRET,
        "TUI_CRM_LANG": "en",
    }
    command = [sys.executable, "-m", "tui_crm", "sms", "serve", "--port", "0", "--user", "sms_gw"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        base = line.strip().split(" on ")[1].removesuffix("/sms/")
        reply = {"message_id": "r-1", "phone": "13900000000", "body": "退订"}
        assert post(base, "/sms/reply", reply)[1]["opt_outs"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert _inbound(cli_services) == [("13900000000", "退订")]
    log = Path(env["TUI_CRM_LOG_DIR"]).glob("*.log")
    text = "".join(p.read_text("utf-8") for p in log)
    assert "sms serve reply r-1: recorded" in text and "13900000000" not in text
