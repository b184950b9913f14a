"""The regional vehicle registry (社会车辆) as the branch imported it: each import a dated
batch, each registry vehicle one row updated by later snapshots, with what it matched."""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field


class RegistryBatch(SQLModel, table=True):
    """One import of a registry snapshot: the file, who and when, and its counts."""

    __tablename__ = "registry_batch"
    id: int | None = Field(default=None, primary_key=True)
    file_name: str = Field(max_length=300)
    snapshot_date: date
    imported_by_id: int = Field(foreign_key="staff_user.id")
    imported_at: datetime = timestamp_field()
    read: int = 0
    insured: int = 0
    lapsed: int = 0
    not_insured: int = 0
    rejected: int = 0
    conflicts: int = 0
    changed: int = 0  # rows added or changed by this snapshot
    rejects_path: str | None = Field(default=None, max_length=400)


class RegistryRecord(SQLModel, table=True):
    """A registry vehicle (one per VIN, else per plate) and where it stands with us."""

    __tablename__ = "registry_record"
    __table_args__ = (
        Index("ix_registry_record_plate", "plate"),
        Index("ix_registry_record_owner", "owner_id_number"),
        Index("ix_registry_record_unit_status", "unit_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=30, unique=True)  # "V:" + VIN, else "P:" + plate
    vin: str | None = Field(default=None, max_length=17)
    plate: str | None = Field(default=None, max_length=12)  # normalised, with province
    owner_name: str = Field(max_length=100)
    owner_id_number: str = Field(max_length=40)  # 18-digit form of a 15-digit ID
    registration_date: date | None = None
    use: str | None = Field(default=None, max_length=20)
    make_model: str | None = Field(default=None, max_length=100)
    district_code: str = Field(max_length=12)
    unit_id: int = Field(foreign_key="org_unit.id")  # the unit covering the district
    status: str = Field(max_length=12)  # insured / lapsed / not_insured
    matched_on: str | None = Field(default=None, max_length=12)  # vin / plate / owner_id
    vehicle_id: int | None = Field(default=None, foreign_key="vehicle.id")
    customer_id: int = Field(foreign_key="customer.id", index=True)
    first_batch_id: int = Field(foreign_key="registry_batch.id")
    last_batch_id: int = Field(foreign_key="registry_batch.id")
