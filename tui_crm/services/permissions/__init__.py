"""The role permissions editor: which role may do what, for administrators, audited."""

from tui_crm.services.permissions.service import KNOWN, Matrix, PermissionService

__all__ = ["KNOWN", "Matrix", "PermissionService"]
