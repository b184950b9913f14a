"""SMS campaigns: a template sent to a list of customers, with consent checked per
customer, skipped customers listed with the reason, quiet hours, approval of large
marketing campaigns, progress and cancel."""

from tui_crm.services.campaigns.service import (
    CampaignPreview,
    CampaignProgress,
    CampaignService,
    SkippedCustomer,
)

__all__ = ["CampaignPreview", "CampaignProgress", "CampaignService", "SkippedCustomer"]
