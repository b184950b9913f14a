"""Organisation units, staff users and the role → permission table."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field
from tui_crm.storage.types import UtcDateTime


class OrgUnitBase(SQLModel):
    code: str = Field(max_length=20, unique=True, index=True)
    name: str = Field(max_length=60)
    level: str = Field(max_length=12)  # domain.UnitLevel
    parent_id: int | None = Field(default=None, foreign_key="org_unit.id")
    # Materialised path of codes ("3304/330402/330402-01/") so a subtree is one prefix.
    path: str = Field(max_length=200, index=True)


class OrgUnit(OrgUnitBase, table=True):
    __tablename__ = "org_unit"
    id: int | None = Field(default=None, primary_key=True)


class StaffUserBase(SQLModel):
    username: str = Field(max_length=40, unique=True, index=True)
    display_name: str = Field(max_length=40)
    role: str = Field(max_length=20)  # domain.Role
    unit_id: int = Field(foreign_key="org_unit.id", index=True)
    phone: str | None = Field(default=None, max_length=20)
    active: bool = True


class StaffUser(StaffUserBase, table=True):
    __tablename__ = "staff_user"
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=200)
    failed_attempts: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = timestamp_field()


class RolePermission(SQLModel, table=True):
    """Which role may do what: data, so a branch can change it without a release."""

    __tablename__ = "role_permission"
    role: str = Field(max_length=20, primary_key=True)
    permission: str = Field(max_length=40, primary_key=True)
