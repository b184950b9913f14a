"""First run: the schema created and the reference data (permissions, thresholds, product
lines, units, SMS templates, rate tables) seeded from fixtures, adding only what is
missing; `init_book` adds the first administrator to an empty book.
"""

from tui_crm.services.setup.first_run import InitResult, init_book
from tui_crm.services.setup.seed import ensure_ready, seed_reference_data

__all__ = [
    "InitResult",
    "ensure_ready",
    "init_book",
    "seed_reference_data",
]
