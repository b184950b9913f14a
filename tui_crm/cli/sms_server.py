"""The HTTP endpoint of `tui-crm sms serve`: the SMS provider's delivery reports and replies
posted to us, signed, recorded once (docs/sms.md).

A small stdlib `ThreadingHTTPServer` meant to sit behind the operator's reverse proxy:

- `POST /sms/report`, `POST /sms/reply` with a JSON body (`services/sms/callbacks.py`);
- 401 for a missing or wrong signature, 400 for a malformed body, 413 for one over 64 KiB,
  404 / 405 for other paths and methods, 500 for anything unexpected (written to the error
  log with its traceback, never to the caller);
- every answer is JSON; every callback is a line in the error log (phones masked there).
"""

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tui_crm.logs import error_log, log_exception
from tui_crm.services.container import Services
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.errors import ServiceError
from tui_crm.services.sms import parse_callback, signed
from tui_crm.services.sms.callbacks import MAX_BODY

PATHS = {"/sms/report": "report", "/sms/reply": "reply"}


@dataclass(frozen=True)
class Endpoint:
    """What every request needs: the services, the gateway account acting, the key."""

    services: Services
    actor: Actor
    key_id: str
    secret: str
    now: Callable[[], float] = time.time


def make_server(endpoint: Endpoint, host: str, port: int) -> ThreadingHTTPServer:
    """The server bound to host:port (port 0: any free port), not yet serving."""

    class Handler(CallbackHandler):
        pass

    Handler.endpoint = endpoint
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


class CallbackHandler(BaseHTTPRequestHandler):
    endpoint: Endpoint
    server_version = "tui-crm-sms"
    sys_version = ""
    timeout = 30  # seconds a connection may take to send its request (no stuck threads)

    def do_POST(self) -> None:
        try:
            status, answer = self._post()
        except Exception as error:  # never a traceback to the caller
            log_exception(error, "sms serve " + self.path[:80])
            status, answer = 500, {"error": "internal error"}
        self._answer(status, answer)

    def do_GET(self) -> None:
        if self.path == "/healthz":
            self._answer(200, {"status": "ok"})
        else:
            self._answer(404 if self.path not in PATHS else 405, {"error": "POST only"})

    def _post(self) -> tuple[int, dict[str, Any]]:
        path = self.path.split("?", 1)[0]
        kind = PATHS.get(path)
        if kind is None:
            return 404, {"error": "no such endpoint"}
        length = self.headers.get("Content-Length", "")
        if not length.isdigit():
            return 411, {"error": "Content-Length required"}
        if int(length) > MAX_BODY:
            self.close_connection = True
            return 413, {"error": "body too large"}
        body = self.rfile.read(int(length))
        endpoint = self.endpoint
        headers = {name: self.headers.get(name, "") for name in SIGNED_HEADERS}
        if not signed(
            endpoint.key_id, endpoint.secret, headers, "POST", path, body, endpoint.now()
        ):
            _log().warning("sms serve %s: refused, bad or missing signature", path)
            return 401, {"error": "bad signature"}
        try:
            callback = parse_callback(kind, body)
            outcome = endpoint.services.sms_callbacks.take(endpoint.actor, callback)
        except ServiceError as refusal:
            _log().warning("sms serve %s: refused, %s", path, refusal.message)
            return 400, {"error": refusal.message, "field": refusal.field}
        _log().info(
            "sms serve %s %s: %s %s",
            kind,
            callback.provider_id,
            outcome.status,
            callback.event.ref or callback.event.phone,
        )
        return 200, {"status": outcome.status, **vars(outcome.inbound)}

    def _answer(self, status: int, answer: dict[str, Any]) -> None:
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Access lines go to the error log (masked), not to stderr."""
        _log().info("sms serve %s " + format, self.address_string(), *args)


SIGNED_HEADERS = ("X-Key-Id", "X-Timestamp", "X-Signature")


def _log() -> logging.Logger:
    return error_log()
