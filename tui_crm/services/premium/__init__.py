"""Premium trial (保费试算): 交强险, 车船税 and commercial motor from effective-dated rate tables.

Modules: `tables` (rate tables in force on a date), `bands` (band keys), `inputs` (what the
clerk types, parsed the same for screen and CLI), `ctpl`, `vehicle_tax`, `commercial`,
`trial` (checks and the itemised result), `breakdown` (rows for display), `service`
(PremiumService, the entry point), `parties` (applicant/insured/vehicle for prefill and
the proposal form), `errors` (FieldError, TrialInvalid: every refusal names its field).
Money is Decimal throughout; each module's docstring says where it rounds.
"""

from tui_crm.services.premium.breakdown import breakdown
from tui_crm.services.premium.ctpl import use_name
from tui_crm.services.premium.errors import FieldError, TrialInvalid
from tui_crm.services.premium.inputs import CoverageRequest, TrialInput, parse_form
from tui_crm.services.premium.proposal import ProposalService
from tui_crm.services.premium.rate_tables import (
    EntryRow,
    ImportRefused,
    RateTableService,
    TableVersion,
    read_rate_csv,
)
from tui_crm.services.premium.service import CoverageOptions, PremiumService
from tui_crm.services.premium.trial import TrialOutcome, TrialResult
from tui_crm.services.premium.vehicle_prices import VehiclePriceService

__all__ = [
    "CoverageOptions",
    "CoverageRequest",
    "EntryRow",
    "FieldError",
    "ImportRefused",
    "PremiumService",
    "ProposalService",
    "RateTableService",
    "TableVersion",
    "TrialInput",
    "TrialInvalid",
    "TrialOutcome",
    "TrialResult",
    "VehiclePriceService",
    "breakdown",
    "parse_form",
    "read_rate_csv",
    "use_name",
]
