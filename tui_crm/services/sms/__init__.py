"""SMS that leave the building: the gateway interface (loopback spool, HTTP provider),
the dispatcher that sends queued messages at most once, quiet hours, and what comes back
(delivery reports, replies, the inbox), and the provider's signed callbacks."""

from tui_crm.services.sms.callbacks import (
    Callback,
    CallbackOutcome,
    SmsCallbacks,
    parse_callback,
    signed,
)
from tui_crm.services.sms.dispatcher import DispatchReport, SmsDispatcher, worker_name
from tui_crm.services.sms.from_env import gateway_from_env
from tui_crm.services.sms.gateway import (
    Gateway,
    InboundEvent,
    OutboundSms,
    SendResult,
    message_ref,
)
from tui_crm.services.sms.http_gateway import HttpGateway, signature
from tui_crm.services.sms.inbound import InboundReport, InboxItem, SmsInbox
from tui_crm.services.sms.quiet import is_quiet, quiet_ends
from tui_crm.services.sms.spool import SpoolGateway

__all__ = [
    "Callback",
    "CallbackOutcome",
    "DispatchReport",
    "Gateway",
    "HttpGateway",
    "InboundEvent",
    "InboundReport",
    "InboxItem",
    "OutboundSms",
    "SendResult",
    "SmsCallbacks",
    "SmsDispatcher",
    "SmsInbox",
    "SpoolGateway",
    "gateway_from_env",
    "is_quiet",
    "message_ref",
    "parse_callback",
    "quiet_ends",
    "signature",
    "signed",
    "worker_name",
]
