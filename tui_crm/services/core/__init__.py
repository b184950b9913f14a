"""What every feature stands on: the acting user and permissions, the branch clock, the
service errors, the audit trail, personal-data masking, the org-unit tree, business
thresholds and the earned-premium rules.

The actor, the clock and the errors are imported with the package; what reads or writes
through the ORM (the audit service, the org tree, thresholds, repeated submits) and the
earned-premium SQL are imported when first named, so a command that needs only the
actor and a plain query does not import SQLModel and the models.
"""

from typing import TYPE_CHECKING

from tui_crm.lazy_exports import lazy_exports
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import BRANCH_TZ, Clock, FixedClock
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

if TYPE_CHECKING:
    from tui_crm.services.core.audit import AuditRow, AuditService
    from tui_crm.services.core.earned import LossRatioKind, format_ratio
    from tui_crm.services.core.org import OrgService, UnitInfo
    from tui_crm.services.core.repeat import RepeatedSubmit
    from tui_crm.services.core.thresholds import ThresholdService

# Exported names imported on first use: name → module.
__getattr__ = lazy_exports(
    __name__,
    {
        "AuditRow": "audit",
        "AuditService": "audit",
        "LossRatioKind": "earned",
        "format_ratio": "earned",
        "OrgService": "org",
        "UnitInfo": "org",
        "RepeatedSubmit": "repeat",
        "ThresholdService": "thresholds",
    },
)


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
