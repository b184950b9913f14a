"""Staff accounts: signing in (argon2id password hashes, lockout after failed attempts),
session tokens for scripts (`tui-crm login`) and the administration of users, their roles and units.

Session tokens are imported with the package; the password sign-in (argon2) and the
user administration (the ORM) when first named.
"""

from typing import TYPE_CHECKING

from tui_crm.lazy_exports import lazy_exports
from tui_crm.services.accounts.tokens import IssuedToken, SessionTokenService

if TYPE_CHECKING:
    from tui_crm.services.accounts.auth import AuthService, build_actor, make_hasher
    from tui_crm.services.accounts.users import StaffSummary, UserService

# Exported names imported on first use: name → module.
__getattr__ = lazy_exports(
    __name__,
    {
        "AuthService": "auth",
        "make_hasher": "auth",
        "build_actor": "auth",
        "StaffSummary": "users",
        "UserService": "users",
    },
)


__all__ = [
    "AuthService",
    "IssuedToken",
    "SessionTokenService",
    "StaffSummary",
    "UserService",
    "build_actor",
    "make_hasher",
]
