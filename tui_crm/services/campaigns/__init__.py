"""SMS campaigns: a template sent to a list of customers, with consent checked per
customer, skipped customers listed with the reason, quiet hours, approval of large
marketing campaigns, progress and cancel; disaster warnings to the customers a
disaster event of the branch affects."""

from tui_crm.services.campaigns.disaster import KINDS, DisasterEventInfo, DisasterWarnings
from tui_crm.services.campaigns.service import (
    CampaignPreview,
    CampaignProgress,
    CampaignService,
    SkippedCustomer,
)

__all__ = [
    "KINDS",
    "CampaignPreview",
    "CampaignProgress",
    "CampaignService",
    "DisasterEventInfo",
    "DisasterWarnings",
    "SkippedCustomer",
]
