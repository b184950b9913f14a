"""The blacklist: candidates nominated from the loss record, reviewed and decided in
steps, listed and explained with their claims and loss picture.
"""

from tui_crm.services.blacklist.common import reason_names
from tui_crm.services.blacklist.service import STATUS_NAMES, BlacklistService, status_name
from tui_crm.services.blacklist.views import (
    BlacklistStatus,
    BlacklistViews,
    ClaimLine,
    LossPicture,
    NominationDetail,
    NominationItem,
    ReviewLine,
)

__all__ = [
    "STATUS_NAMES",
    "BlacklistService",
    "BlacklistStatus",
    "BlacklistViews",
    "ClaimLine",
    "LossPicture",
    "NominationDetail",
    "NominationItem",
    "ReviewLine",
    "reason_names",
    "status_name",
]
