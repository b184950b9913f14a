"""Staff accounts: signing in (argon2id password hashes, lockout after failed attempts),
session tokens for scripts (`tui-crm login`) and the administration of users, their roles and units.
"""

from tui_crm.services.accounts.auth import AuthService, build_actor, make_hasher
from tui_crm.services.accounts.tokens import IssuedToken, SessionTokenService
from tui_crm.services.accounts.users import StaffSummary, UserService

__all__ = [
    "AuthService",
    "IssuedToken",
    "SessionTokenService",
    "StaffSummary",
    "UserService",
    "build_actor",
    "make_hasher",
]
