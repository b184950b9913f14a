"""First run: the schema created and the reference data (permissions, thresholds, product
lines, units, SMS templates, rate tables) seeded from fixtures, adding only what is
missing; `init_book` adds the first administrator to an empty book. `ensure_ready` on
every start costs one query once the book is prepared (`ready.py`); the seeding and
`init_book` are imported when first named.
"""

from typing import TYPE_CHECKING

from tui_crm.lazy_exports import lazy_exports
from tui_crm.services.setup.ready import ensure_ready

if TYPE_CHECKING:
    from tui_crm.services.setup.first_run import InitResult, init_book
    from tui_crm.services.setup.seed import seed_reference_data

# Exported names imported on first use: name → module.
__getattr__ = lazy_exports(
    __name__,
    {
        "InitResult": "first_run",
        "init_book": "first_run",
        "seed_reference_data": "seed",
    },
)


__all__ = [
    "InitResult",
    "ensure_ready",
    "init_book",
    "seed_reference_data",
]
