"""Worklists driven by the data: renewals of expiring policies, follow-up tasks (care
after a claim, satisfaction calls, SMS replies), complaint deadlines and analysis."""

from tui_crm.services.worklists.complaints import (
    CAUSES,
    ComplaintAnalysis,
    ComplaintDesk,
    ComplaintItem,
)
from tui_crm.services.worklists.renewals import STATUSES, WINDOWS, RenewalItem, RenewalService
from tui_crm.services.worklists.tasks import TaskItem, TaskRun, TaskService

__all__ = [
    "CAUSES",
    "STATUSES",
    "WINDOWS",
    "ComplaintAnalysis",
    "ComplaintDesk",
    "ComplaintItem",
    "RenewalItem",
    "RenewalService",
    "TaskItem",
    "TaskRun",
    "TaskService",
]
