"""The people and the vehicle a trial is for (投保人, 被保险人, 车辆), read for prefilling
the trial and for the proposal form. ID numbers and phones are masked unless the acting
role may reveal them (pii.reveal)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import NotFound
from tui_crm.services.core.masking import mask_id_number, mask_phone
from tui_crm.storage.models import Contact, Customer, Vehicle


@dataclass(frozen=True)
class Party:
    customer_id: int
    name: str
    kind: str
    id_type: str | None
    id_number: str | None  # masked unless the actor may reveal it
    phone: str | None
    address: str | None
    unit_id: int
    unmasked: bool


@dataclass(frozen=True)
class VehicleInfo:
    vehicle_id: int | None = None
    plate: str | None = None
    vin: str | None = None
    engine_no: str | None = None
    make_model: str | None = None
    first_registration: date | None = None


@dataclass(frozen=True)
class VehicleChoice:
    vehicle_id: int
    plate: str | None
    make_model: str | None

    @property
    def label(self) -> str:
        return " ".join(str(v) for v in (self.vehicle_id, self.plate, self.make_model) if v)


@dataclass
class Prefill:
    """Field values for the trial form (text, as typed) and who it is for; `choices` are
    the customer's vehicles when there are several and none was named (nothing prefilled)."""

    values: dict[str, object] = field(default_factory=dict)
    applicant: Party | None = None
    insured: Party | None = None
    vehicle: VehicleInfo = field(default_factory=VehicleInfo)
    choices: list[VehicleChoice] = field(default_factory=list)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def load_party(session: Session, actor: Actor, customer_id: int) -> Party:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.id is None:
        raise NotFound(tr("客户不存在", "No such customer"), field="customer")
    actor.require_scope(customer.unit_id)
    contacts = session.exec(
        select(Contact)
        .where(Contact.customer_id == customer.id)
        .order_by(col(Contact.is_primary).desc(), col(Contact.id))
    ).all()
    phone = next((c.value_norm or c.value for c in contacts if c.kind == "mobile"), None)
    phone = phone or next((c.value_norm or c.value for c in contacts if c.kind == "landline"), None)
    address = next((c.value for c in contacts if c.kind == "address"), None)
    reveal = actor.can(Permission.PII_REVEAL)
    return Party(
        customer_id=customer.id,
        name=customer.name,
        kind=customer.kind,
        id_type=customer.id_type,
        id_number=customer.id_number if reveal else mask_id_number(customer.id_number),
        phone=phone if reveal else mask_phone(phone),
        address=address,
        unit_id=customer.unit_id,
        unmasked=reveal,
    )


def load_prefill(
    session: Session, actor: Actor, customer_id: int | None, vehicle_id: int | None
) -> Prefill:
    prefill = Prefill()
    vehicle = None
    if vehicle_id is not None:
        vehicle = session.get(Vehicle, vehicle_id)
        if vehicle is None or (
            customer_id is not None and vehicle.owner_customer_id != customer_id
        ):
            raise NotFound(
                tr("该客户名下没有这辆车", "The customer has no such vehicle"), field="vehicle"
            )
        customer_id = customer_id or vehicle.owner_customer_id
    elif customer_id is not None:
        # one vehicle: the trial is for it; several: the clerk chooses
        owned = session.exec(
            select(Vehicle)
            .where(Vehicle.owner_customer_id == customer_id)
            .order_by(col(Vehicle.id))
        ).all()
        if len(owned) == 1:
            vehicle = owned[0]
        else:
            prefill.choices = [VehicleChoice(v.id, v.plate, v.make_model) for v in owned]  # type: ignore[arg-type]
    if customer_id is not None:
        prefill.applicant = load_party(session, actor, customer_id)
        owner = vehicle.owner_customer_id if vehicle else customer_id
        prefill.insured = (
            prefill.applicant if owner == customer_id else load_party(session, actor, owner)
        )
    if vehicle is not None:
        prefill.vehicle = VehicleInfo(
            vehicle_id=vehicle.id,
            plate=vehicle.plate,
            vin=vehicle.vin,
            engine_no=vehicle.engine_no,
            make_model=vehicle.make_model,
            first_registration=vehicle.first_registration,
        )
        prefill.values = {
            name: _text(getattr(vehicle, name))
            for name in (
                "use",
                "seats",
                "tonnage",
                "curb_weight",
                "special_class",
                "engine_cc",
                "displacement",
                "first_registration",
                "purchase_date",
                "new_car_price",
            )
        }
        prefill.values["new_energy"] = vehicle.new_energy
        prefill.values["energy_saving"] = vehicle.energy_saving
    return prefill
