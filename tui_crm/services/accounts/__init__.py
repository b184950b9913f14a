"""Staff accounts: signing in (argon2id password hashes, lockout after failed attempts)
and the administration of users, their roles and units.
"""

from tui_crm.services.accounts.auth import AuthService, make_hasher
from tui_crm.services.accounts.users import StaffSummary, UserService

__all__ = [
    "AuthService",
    "StaffSummary",
    "UserService",
    "make_hasher",
]
