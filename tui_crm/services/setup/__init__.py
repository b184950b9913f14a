"""First run: the schema created and the reference data (permissions, thresholds, product
lines, units, SMS templates, rate tables) seeded from fixtures, adding only what is
missing.
"""

from tui_crm.services.setup.seed import ensure_ready, seed_reference_data

__all__ = [
    "ensure_ready",
    "seed_reference_data",
]
