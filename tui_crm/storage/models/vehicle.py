"""Vehicles, the regional vehicle registry (社会车辆系统) and the vehicle price table (车价)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import money_field, rate_field, timestamp_field


class Vehicle(SQLModel, table=True):
    __tablename__ = "vehicle"
    __table_args__ = (
        Index("ix_vehicle_plate", "plate"),
        Index("ix_vehicle_plate_rev", "plate_rev"),
        Index("ix_vehicle_vin", "vin"),
        Index("ix_vehicle_vin_rev", "vin_rev"),
    )
    id: int | None = Field(default=None, primary_key=True)
    owner_customer_id: int = Field(foreign_key="customer.id", index=True)
    plate: str | None = Field(default=None, max_length=12)  # normalised "浙F12345"
    plate_rev: str | None = Field(default=None, max_length=12)  # reversed, for tails
    vin: str | None = Field(default=None, max_length=17)
    vin_rev: str | None = Field(default=None, max_length=17)
    engine_no: str | None = Field(default=None, max_length=30)
    make_model: str | None = Field(default=None, max_length=100)  # 厂牌型号
    brand: str | None = Field(default=None, max_length=40)
    use: str = Field(max_length=20)  # domain.VehicleUse
    seats: int | None = None
    tonnage: Decimal | None = rate_field()  # rated load, t
    curb_weight: Decimal | None = rate_field()  # t
    displacement: Decimal | None = rate_field()  # litres
    engine_cc: int | None = None  # motorcycles
    special_class: int | None = None  # 特种车 1..4
    fuel: str = Field(default="petrol", max_length=12)  # domain.Fuel
    new_energy: bool = False
    energy_saving: bool = False
    first_registration: date | None = None
    purchase_date: date | None = None
    new_car_price: Decimal | None = money_field(default=None)
    created_at: datetime = timestamp_field()


class RegistryVehicle(SQLModel, table=True):
    """A row of the regional vehicle registry, matched against our vehicles to find prospects."""

    __tablename__ = "registry_vehicle"
    id: int | None = Field(default=None, primary_key=True)
    plate: str | None = Field(default=None, max_length=12, index=True)
    vin: str | None = Field(default=None, max_length=17, index=True)
    owner_name: str = Field(max_length=100)
    owner_id_number: str | None = Field(default=None, max_length=40)
    use: str | None = Field(default=None, max_length=20)
    make_model: str | None = Field(default=None, max_length=100)
    first_registration: date | None = None
    matched_vehicle_id: int | None = Field(default=None, foreign_key="vehicle.id")
    imported_at: datetime = timestamp_field()


class VehiclePrice(SQLModel, table=True):
    """车价表: new-car prices by make/model and year, kept current by sales and underwriting."""

    __tablename__ = "vehicle_price"
    id: int | None = Field(default=None, primary_key=True)
    brand: str = Field(max_length=40)
    make_model: str = Field(max_length=100, index=True)  # 厂牌型号
    model_initials: str = Field(default="", max_length=60, index=True)  # pinyin initials
    model_year: int
    seats: int | None = None
    displacement: Decimal | None = rate_field()
    fuel: str = Field(default="petrol", max_length=12)
    price: Decimal = money_field()
    effective_from: date
    updated_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    updated_at: datetime = timestamp_field()
    version: int = 1
