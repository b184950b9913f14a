"""One customer per person: duplicate candidates with their reasons and scores, merging
two records field by field, and unmerging them exactly."""

from tui_crm.services.duplicates.candidates import id_18_from_15, organisation_code
from tui_crm.services.duplicates.service import (
    MERGE_FIELDS,
    Candidate,
    Comparison,
    DuplicateService,
    FieldChoice,
    MergeResult,
    Side,
)

__all__ = [
    "MERGE_FIELDS",
    "Candidate",
    "Comparison",
    "DuplicateService",
    "FieldChoice",
    "MergeResult",
    "Side",
    "id_18_from_15",
    "organisation_code",
]
