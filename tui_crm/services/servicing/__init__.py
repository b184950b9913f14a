"""Serving customers after the sale: the log of service contacts (calls, visits,
complaints) and SMS messages from templates, with opt-outs honoured.
"""

from tui_crm.services.servicing.contacts import (
    ContactRecord,
    CustomerServiceLog,
    ServiceSummary,
    kind_name,
)
from tui_crm.services.servicing.sms import SentSms, SmsPreview, SmsService

__all__ = [
    "ContactRecord",
    "CustomerServiceLog",
    "SentSms",
    "ServiceSummary",
    "SmsPreview",
    "SmsService",
    "kind_name",
]
