"""Staff querying a vehicle by SMS: a registered mobile with a PIN texts `CX <plate>
<PIN>` to the inbound number and gets the vehicle's policy and latest claim back,
masked, within the units the staff member sees and a daily limit per phone."""

from tui_crm.services.staff_sms.command import is_query
from tui_crm.services.staff_sms.service import QueryResult, RegisteredPhone, StaffSmsService

__all__ = ["QueryResult", "RegisteredPhone", "StaffSmsService", "is_query"]
