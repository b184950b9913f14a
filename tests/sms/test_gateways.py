"""The loopback spool and the HTTP gateway (against a provider stand-in on loopback)."""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.sms import (
    HttpGateway,
    OutboundSms,
    SpoolGateway,
    gateway_from_env,
    signature,
)

SECRET = "s3cret"


class Provider:
    """What the stand-in provider saw and how it should behave."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.delivered: dict[str, str] = {}  # idempotency key → provider id
        self.slow_first = 0  # answer the first N requests too late
        self.status = 200
        self.events: list[dict[str, object]] = []


@pytest.fixture
def provider() -> Iterator[tuple[Provider, str]]:
    state = Provider()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, status: int, data: dict[str, object]) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _signed(self, body: bytes) -> bool:
            expected = signature(SECRET, self.headers["X-Timestamp"], self.command, self.path, body)
            return self.headers["X-Signature"] == expected and self.headers["X-Key-Id"] == "k1"

        def do_GET(self) -> None:
            if not self._signed(b""):
                return self._answer(401, {"code": "BAD_SIGNATURE"})
            events, state.events = state.events, []
            self._answer(200, {"events": events})

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if not self._signed(body):
                return self._answer(401, {"code": "BAD_SIGNATURE", "error": "signature"})
            key = self.headers["Idempotency-Key"]
            state.requests.append({"key": key, **json.loads(body)})
            state.delivered.setdefault(key, f"P{len(state.delivered) + 1}")
            if state.slow_first > 0:
                state.slow_first -= 1
                time.sleep(0.5)
            if state.status != 200:
                return self._answer(state.status, {"code": f"E{state.status}", "error": "no"})
            self._answer(200, {"message_id": state.delivered[key], "code": "ACCEPTED"})

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that gave up (the timeout tests) is what the test wants

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/sms"
    server.shutdown()
    server.server_close()


def _gateway(url: str, **kwargs: object) -> HttpGateway:
    waits: list[float] = []
    gateway = HttpGateway(url, "k1", SECRET, timeout=0.2, sleep=waits.append, **kwargs)  # type: ignore[arg-type]
    gateway.waits = waits  # type: ignore[attr-defined]
    return gateway


MESSAGE = OutboundSms(ref="crm-7", phone="13900000001", body="尊敬的客户：您好")


def test_http_gateway_signs_and_sends(provider) -> None:
    state, url = provider
    result = _gateway(url).send(MESSAGE)
    assert (result.accepted, result.provider_id, result.code) == (True, "P1", "ACCEPTED")
    assert state.requests == [
        {"key": "crm-7", "id": "crm-7", "to": "13900000001", "text": "尊敬的客户：您好"}
    ]


def test_a_wrong_secret_is_refused_for_good(provider) -> None:
    state, url = provider
    result = HttpGateway(url, "k1", "wrong", timeout=0.2).send(MESSAGE)
    assert (result.accepted, result.transient, result.code) == (False, False, "BAD_SIGNATURE")
    assert state.requests == []


def test_a_timeout_is_retried_with_backoff_under_the_same_id(provider) -> None:
    state, url = provider
    state.slow_first = 2
    gateway = _gateway(url)
    result = gateway.send(MESSAGE)
    assert result.accepted and result.provider_id == "P1"
    assert gateway.waits == [0.5, 1.0]  # type: ignore[attr-defined]
    # three requests reached the provider, all with one idempotency key: one message
    assert [r["key"] for r in state.requests] == ["crm-7"] * 3
    assert len(state.delivered) == 1


def test_timeouts_to_the_end_are_transient_with_the_reason(provider) -> None:
    state, url = provider
    state.slow_first = 10
    result = _gateway(url, retries=1).send(MESSAGE)
    assert (result.accepted, result.transient, result.code) == (False, True, "TIMEOUT")
    assert "timed out" in result.reason.lower()


def test_server_errors_are_transient_client_errors_final(provider) -> None:
    state, url = provider
    state.status = 503
    result = _gateway(url, retries=1).send(MESSAGE)
    assert (result.transient, result.code, len(state.requests)) == (True, "E503", 2)
    state.status = 400
    result = _gateway(url).send(MESSAGE)
    assert (result.accepted, result.transient, result.code) == (False, False, "E400")


def test_http_gateway_polls_reports_and_replies(provider) -> None:
    state, url = provider
    state.events = [
        {"kind": "report", "ref": "crm-7", "delivered": True, "code": "DELIVRD"},
        {"kind": "reply", "phone": "13900000001", "body": "TD"},
    ]
    events = _gateway(url).poll()
    assert [(e.kind, e.ref, e.phone, e.code) for e in events] == [
        ("report", "crm-7", "", "DELIVRD"),
        ("reply", None, "13900000001", ""),
    ]


def test_the_spool_writes_a_message_once(tmp_path: Path) -> None:
    gateway = SpoolGateway(tmp_path, auto_report=False)
    assert gateway.send(MESSAGE).accepted and gateway.send(MESSAGE).accepted
    assert gateway.sent() == [{"id": "crm-7", "to": "13900000001", "text": "尊敬的客户：您好"}]
    assert gateway.poll() == []
    gateway.simulate_reply("13900000001", "好的")
    gateway.simulate_report("crm-7", delivered=False, code="UNDELIV")
    events = gateway.poll()
    assert [(e.kind, e.body, e.code) for e in events] == [
        ("reply", "好的", ""),
        ("report", "", "UNDELIV"),
    ]
    assert gateway.poll() == []


def test_the_gateway_comes_from_the_environment(tmp_path: Path) -> None:
    assert gateway_from_env({}, tmp_path).name == "loopback"
    env = {"TUI_CRM_SMS_GATEWAY_URL": "http://127.0.0.1:9/sms", "TUI_CRM_SMS_KEY_ID": "k"}
    with pytest.raises(ValidationFailed):
        gateway_from_env(env, tmp_path)
    gateway = gateway_from_env(env | {"TUI_CRM_SMS_SECRET": "x"}, tmp_path)
    assert gateway.name == "http"
