"""The HTTP gateway of a real SMS provider.

Requests are JSON, signed with HMAC-SHA256 over ``timestamp\\nMETHOD\\npath\\nbody`` with
the secret from the environment (headers `X-Key-Id`, `X-Timestamp`, `X-Signature`), and
carry the CRM's message id as `Idempotency-Key`, so a retry after a timeout or a lost
answer never sends the message twice. Timeouts, connection errors, 429 and 5xx are
retried with exponential backoff; what still fails is reported as transient (the
dispatcher tries again later); other 4xx answers are final, with the provider's code.

    POST {url}/messages   {"id": "crm-42", "to": "139…", "text": "…"}
         → 2xx {"message_id": "…", "code": "…"}
    GET  {url}/events     → 2xx {"events": [{"kind": "report", "ref": "crm-42",
                                  "delivered": true, "code": "DELIVRD"},
                                 {"kind": "reply", "phone": "139…", "body": "TD"}]}
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from tui_crm.services.sms.gateway import InboundEvent, OutboundSms, SendResult

TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}


def signature(secret: str, timestamp: str, method: str, path: str, body: bytes) -> str:
    message = f"{timestamp}\n{method}\n{path}\n".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class HttpGateway:
    name = "http"

    def __init__(
        self,
        url: str,
        key_id: str,
        secret: str,
        *,
        timeout: float = 5.0,
        retries: int = 3,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url.rstrip("/")
        self.key_id = key_id
        self._secret = secret
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep

    def send(self, message: OutboundSms) -> SendResult:
        payload = {"id": message.ref, "to": message.phone, "text": message.body}
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        outcome = SendResult(accepted=False, transient=True, code="NO_ATTEMPT")
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            outcome = self._send_once(body, message.ref)
            if outcome.accepted or not outcome.transient:
                return outcome
        return outcome

    def poll(self) -> list[InboundEvent]:
        status, data = self._request("GET", "/events", b"", None)
        if status is None or not 200 <= status < 300:
            return []
        events = []
        for item in data.get("events", []):
            events.append(
                InboundEvent(
                    kind="report" if item.get("kind") == "report" else "reply",
                    ref=item.get("ref"),
                    phone=str(item.get("phone", "")),
                    body=str(item.get("body", "")),
                    delivered=bool(item.get("delivered")),
                    code=str(item.get("code", "")),
                )
            )
        return events

    def _send_once(self, body: bytes, ref: str) -> SendResult:
        status, data = self._request("POST", "/messages", body, ref)
        if status is None:
            return SendResult(
                accepted=False, transient=True, code="TIMEOUT", reason=data.get("error", "")
            )
        code = str(data.get("code") or status)
        if 200 <= status < 300:
            return SendResult(accepted=True, provider_id=data.get("message_id"), code=code)
        reason = str(data.get("error") or data.get("message") or f"HTTP {status}")
        return SendResult(
            accepted=False, code=code, transient=status in TRANSIENT_STATUS, reason=reason
        )

    def _request(
        self, method: str, path: str, body: bytes, idempotency_key: str | None
    ) -> tuple[int | None, dict[str, Any]]:
        """(HTTP status, JSON answer), or (None, {"error": …}) when no answer came."""
        full_path = urlsplit(self.url).path + path
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Key-Id": self.key_id,
            "X-Timestamp": timestamp,
            "X-Signature": signature(self._secret, timestamp, method, full_path, body),
        }
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        request = urllib.request.Request(
            self.url + path, data=body or None, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            return error.code, _json(error.read())
        except (TimeoutError, urllib.error.URLError, OSError) as error:
            return None, {"error": f"{type(error).__name__}: {error}"[:200]}


def _json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
