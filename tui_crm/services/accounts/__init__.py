"""Staff accounts: signing in (argon2id password hashes, lockout after failed attempts),
session tokens for scripts (`tui-crm login`) and the administration of users, their roles and units.

Session tokens are imported with the package; the password sign-in (argon2) and the
user administration (the ORM) when first named.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from tui_crm.services.accounts.tokens import IssuedToken, SessionTokenService

if TYPE_CHECKING:
    from tui_crm.services.accounts.auth import AuthService, build_actor, make_hasher
    from tui_crm.services.accounts.users import StaffSummary, UserService

# Exported names imported on first use: name → module.
_LATER = {
    "AuthService": "auth",
    "make_hasher": "auth",
    "build_actor": "auth",
    "StaffSummary": "users",
    "UserService": "users",
}


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "AuthService",
    "IssuedToken",
    "SessionTokenService",
    "StaffSummary",
    "UserService",
    "build_actor",
    "make_hasher",
]
