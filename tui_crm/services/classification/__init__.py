"""Customer classification: the rules that class every customer (with reasons and
flags), whole-book runs that can be cancelled, and the class statistics (monthly counts,
flows between classes, a customer's history).
"""

from tui_crm.services.classification.engine import ClassificationService, reclassify_customer
from tui_crm.services.classification.rules import REASON_LABELS
from tui_crm.services.classification.stats import (
    ClassStatsService,
    FlowMatrix,
    HistoryLine,
    MonthlyCounts,
    class_name,
)
from tui_crm.services.classification.types import Classification, Reason, RunResult

__all__ = [
    "REASON_LABELS",
    "ClassStatsService",
    "Classification",
    "ClassificationService",
    "FlowMatrix",
    "HistoryLine",
    "MonthlyCounts",
    "Reason",
    "RunResult",
    "class_name",
    "reclassify_customer",
]
