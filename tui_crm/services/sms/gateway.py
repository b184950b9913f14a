"""What every SMS gateway offers the dispatcher: send one message, poll what came back.

A message carries the CRM's own id (`ref`, e.g. ``crm-42``); the provider is asked to
treat it as the idempotency key, so a retry after a lost answer never sends twice.
Credentials come from the environment only, never from the database.
"""

from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True)
class OutboundSms:
    ref: str  # the CRM's message id as the provider sees it: crm-<sms_message.id>
    phone: str
    body: str


@dataclass(frozen=True)
class SendResult:
    accepted: bool
    provider_id: str | None = None
    code: str = ""  # the provider's status or error code, recorded as given
    transient: bool = False  # worth another try later (timeouts, 5xx, throttling)
    reason: str = ""


@dataclass(frozen=True)
class InboundEvent:
    """A delivery report (`ref` of our message) or a reply from a customer's phone."""

    kind: Literal["report", "reply"]
    ref: str | None = None
    phone: str = ""
    body: str = ""
    delivered: bool = False
    code: str = ""


class Gateway(Protocol):
    name: str

    def send(self, message: OutboundSms) -> SendResult: ...

    def poll(self) -> list[InboundEvent]: ...


def message_ref(message_id: int) -> str:
    return f"crm-{message_id}"


def message_id_of(ref: str | None) -> int | None:
    if not ref or not ref.startswith("crm-") or not ref[4:].isdigit():
        return None
    return int(ref[4:])
