"""Premium trial (保费试算): 交强险, 车船税 and commercial motor from effective-dated rate tables.

Modules: `tables` (rate tables in force on a date), `bands` (band keys), `inputs` (what the
clerk types, parsed the same for screen and CLI), `ctpl`, `vehicle_tax`, `commercial`,
`trial` (checks and the itemised result), `breakdown` (rows for display), `service`
(PremiumService, the entry point), `parties` (applicant/insured/vehicle for prefill and
the proposal form), `errors` (FieldError, TrialInvalid: every refusal names its field).
Money is Decimal throughout; each module's docstring says where it rounds.
"""

from tui_crm.services.premium.errors import FieldError, TrialInvalid
from tui_crm.services.premium.inputs import CoverageRequest, TrialInput, parse_form
from tui_crm.services.premium.service import CoverageOptions, PremiumService
from tui_crm.services.premium.trial import TrialOutcome, TrialResult

__all__ = [
    "CoverageOptions",
    "CoverageRequest",
    "FieldError",
    "PremiumService",
    "TrialInput",
    "TrialInvalid",
    "TrialOutcome",
    "TrialResult",
    "parse_form",
]
