"""The loopback gateway: each message becomes a file in a spool folder.

For the demo book and the tests. `outbox/<ref>.json` holds what was sent (writing the
same ref twice changes nothing: idempotent); `inbox/*.json` holds delivery reports and
replies for the dispatcher to collect. `simulate_report` and `simulate_reply` write them
as a real provider would call back; with `auto_report` every sent message is reported
delivered at once.
"""

import json
import os
import time
from itertools import count
from pathlib import Path

from tui_crm.services.sms.gateway import InboundEvent, OutboundSms, SendResult

_sequence = count(1)


class SpoolGateway:
    name = "loopback"

    def __init__(self, folder: Path, *, auto_report: bool = True) -> None:
        self.folder = Path(folder)
        self.outbox = self.folder / "outbox"
        self.inbox = self.folder / "inbox"
        self.auto_report = auto_report
        self.outbox.mkdir(parents=True, exist_ok=True)
        self.inbox.mkdir(parents=True, exist_ok=True)

    def send(self, message: OutboundSms) -> SendResult:
        path = self.outbox / f"{message.ref}.json"
        provider_id = f"loop-{message.ref}"
        if not path.exists():
            record: dict[str, object] = {
                "id": message.ref,
                "to": message.phone,
                "text": message.body,
            }
            _write(path, record)
            if self.auto_report:
                self.simulate_report(message.ref)
        return SendResult(accepted=True, provider_id=provider_id, code="ACCEPTED")

    def sent(self) -> list[dict[str, str]]:
        """Every message in the outbox (for the demo and the tests)."""
        return [json.loads(p.read_text("utf-8")) for p in sorted(self.outbox.glob("*.json"))]

    def simulate_report(self, ref: str, *, delivered: bool = True, code: str = "") -> None:
        code = code or ("DELIVRD" if delivered else "UNDELIV")
        event = {"kind": "report", "ref": ref, "delivered": delivered, "code": code}
        self._event(event)

    def simulate_reply(self, phone: str, body: str) -> None:
        self._event({"kind": "reply", "phone": phone, "body": body})

    def poll(self) -> list[InboundEvent]:
        events = []
        for path in sorted(self.inbox.glob("*.json")):
            try:
                data = json.loads(path.read_text("utf-8"))
                path.unlink()
            except (OSError, ValueError):
                continue  # another dispatcher took it, or half written: next round
            events.append(
                InboundEvent(
                    kind="report" if data.get("kind") == "report" else "reply",
                    ref=data.get("ref"),
                    phone=str(data.get("phone", "")),
                    body=str(data.get("body", "")),
                    delivered=bool(data.get("delivered")),
                    code=str(data.get("code", "")),
                )
            )
        return events

    def _event(self, data: dict[str, object]) -> None:
        name = f"{time.time_ns():020d}-{os.getpid()}-{next(_sequence):09d}-{data['kind']}.json"
        _write(self.inbox / name, data)


def _write(path: Path, data: dict[str, object]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)
