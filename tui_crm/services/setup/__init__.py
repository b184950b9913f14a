"""First run: the schema created and the reference data (permissions, thresholds, product
lines, units, SMS templates, rate tables) seeded from fixtures, adding only what is
missing; `init_book` adds the first administrator to an empty book. `ensure_ready` on
every start costs one query once the book is prepared (`ready.py`); the seeding and
`init_book` are imported when first named.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from tui_crm.services.setup.ready import ensure_ready

if TYPE_CHECKING:
    from tui_crm.services.setup.first_run import InitResult, init_book
    from tui_crm.services.setup.seed import seed_reference_data

# Exported names imported on first use: name → module.
_LATER = {
    "InitResult": "first_run",
    "init_book": "first_run",
    "seed_reference_data": "seed",
}


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "InitResult",
    "ensure_ready",
    "init_book",
    "seed_reference_data",
]
