"""What every feature stands on: the acting user and permissions, the branch clock, the
service errors, the audit trail, personal-data masking, the org-unit tree, business
thresholds and the earned-premium rules.
"""

from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.audit import AuditRow, AuditService
from tui_crm.services.core.clock import BRANCH_TZ, Clock, FixedClock
from tui_crm.services.core.earned import LossRatioKind, format_ratio
from tui_crm.services.core.errors import (
    AccountLocked,
    AuthFailed,
    Conflict,
    Forbidden,
    NotFound,
    SchemaOutOfDate,
    ServiceError,
    ValidationFailed,
)
from tui_crm.services.core.org import OrgService, UnitInfo
from tui_crm.services.core.repeat import RepeatedSubmit
from tui_crm.services.core.thresholds import ThresholdService

__all__ = [
    "BRANCH_TZ",
    "AccountLocked",
    "Actor",
    "AuditRow",
    "AuditService",
    "AuthFailed",
    "Clock",
    "Conflict",
    "FixedClock",
    "Forbidden",
    "LossRatioKind",
    "NotFound",
    "OrgService",
    "Permission",
    "RepeatedSubmit",
    "SchemaOutOfDate",
    "ServiceError",
    "ThresholdService",
    "UnitInfo",
    "ValidationFailed",
    "format_ratio",
]
