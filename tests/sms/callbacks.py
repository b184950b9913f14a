"""A running `sms serve` endpoint on a loopback port and a provider posting to it."""

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tui_crm.cli.sms_server import Endpoint, make_server
from tui_crm.services.container import Services
from tui_crm.services.core.actor import Actor
from tui_crm.services.sms import signature

KEY_ID, SECRET = "crm-test", "s3cret-for-tests"


@contextmanager
def serving(services: Services, actor: Actor) -> Iterator[str]:
    """The base URL of an endpoint serving in a thread until the block ends."""
    server = make_server(Endpoint(services, actor, KEY_ID, SECRET), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def post(
    base: str,
    path: str,
    payload: Any,
    *,
    secret: str | None = SECRET,
    key_id: str = KEY_ID,
    skew: int = 0,
    raw: bytes | None = None,
) -> tuple[int, dict[str, Any]]:
    """(status, JSON answer) of one POST, signed with `secret` (None: unsigned)."""
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        stamp = str(int(time.time()) + skew)
        headers |= {
            "X-Key-Id": key_id,
            "X-Timestamp": stamp,
            "X-Signature": signature(secret, stamp, "POST", path, body),
        }
    request = urllib.request.Request(base + path, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
