"""Corporate groups (集团客户: a name, a head customer, member companies) and the
parent → subsidiary links between corporate customers."""

from tui_crm.services.groups.service import GroupMember, GroupRow, GroupService

__all__ = ["GroupMember", "GroupRow", "GroupService"]
