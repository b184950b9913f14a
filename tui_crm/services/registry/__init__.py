"""The regional vehicle registry (社会车辆): importing a snapshot and matching it against
the book (insured with us, lapsed, never insured), floating customers and prospects from
it, prospect lists, and conflicts between our own units."""

from tui_crm.services.registry.profile import Profile, load_profile, shipped_profiles
from tui_crm.services.registry.reader import HEADERS, read_rows
from tui_crm.services.registry.service import ImportResult, RegistryService
from tui_crm.services.registry.views import SORTS, Conflict, Prospect, renewal_due

__all__ = [
    "HEADERS",
    "SORTS",
    "Conflict",
    "ImportResult",
    "Profile",
    "Prospect",
    "RegistryService",
    "load_profile",
    "read_rows",
    "renewal_due",
    "shipped_profiles",
]
