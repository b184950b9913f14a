"""Small hand-made books for tests: users, customers, policies, claims with known numbers."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import select

from tui_crm.services.container import Services
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.text import name_pinyin, reverse
from tui_crm.storage.models import (
    Claim,
    Contact,
    Customer,
    OrgUnit,
    Policy,
    StaffUser,
    Vehicle,
)

PASSWORD = "demo-pass"
# The suite's "today": fixed so date rules are deterministic.
TODAY = datetime(2026, 11, 25, 10, 0)


def unit_id(services: Services, code: str) -> int:
    with services.database.session() as session:
        unit = session.exec(select(OrgUnit).where(OrgUnit.code == code)).one()
        assert unit.id is not None
        return unit.id


def make_user(services: Services, username: str, role: str, unit_code: str = "330402") -> Actor:
    with services.database.session() as session:
        session.add(
            StaffUser(
                username=username,
                display_name=username,
                role=role,
                unit_id=unit_id(services, unit_code),
                password_hash=services.auth.hash_password(PASSWORD),
            )
        )
        session.commit()
    return services.auth.actor_for(username)


def make_customer(
    services: Services,
    name: str,
    *,
    unit_code: str = "330402",
    kind: str = "individual",
    id_number: str | None = None,
    phone: str | None = None,
    **fields: Any,
) -> int:
    full, initials = name_pinyin(name, person=kind == "individual")
    with services.database.session() as session:
        customer = Customer(
            kind=kind,
            name=name,
            name_pinyin=full,
            name_initials=initials,
            unit_id=unit_id(services, unit_code),
            id_number=id_number,
            id_number_rev=reverse(id_number),
            id_type=("resident_id" if kind == "individual" else "credit_code")
            if id_number
            else None,
            **fields,
        )
        session.add(customer)
        session.flush()
        assert customer.id is not None
        if phone:
            session.add(
                Contact(
                    customer_id=customer.id,
                    kind="mobile",
                    value=phone,
                    value_norm=phone,
                    value_rev=reverse(phone),
                    is_primary=True,
                )
            )
        session.commit()
        assert customer.id is not None
        return customer.id


def make_vehicle(
    services: Services, customer_id: int, plate: str, vin: str | None = None, **fields: Any
) -> int:
    fields.setdefault("use", "family")
    fields.setdefault("seats", 5)
    with services.database.session() as session:
        vehicle = Vehicle(
            owner_customer_id=customer_id,
            plate=plate,
            plate_rev=reverse(plate),
            vin=vin,
            vin_rev=reverse(vin),
            **fields,
        )
        session.add(vehicle)
        session.commit()
        assert vehicle.id is not None
        return vehicle.id


_policy_seq = [0]


def make_policy(
    services: Services,
    customer_id: int,
    start: date,
    *,
    premium: str = "1000",
    line: str = "motor_commercial",
    end: date | None = None,
    unit_code: str = "330402",
    **fields: Any,
) -> int:
    from dateutil.relativedelta import relativedelta

    _policy_seq[0] += 1
    fields.setdefault("policy_no", f"PDAA{start.year}{_policy_seq[0]:08d}")
    with services.database.session() as session:
        policy = Policy(
            line_code=line,
            customer_id=customer_id,
            insured_id=customer_id,
            unit_id=unit_id(services, unit_code),
            start_date=start,
            end_date=end or (start + relativedelta(years=1, days=-1)),
            premium=Decimal(premium),
            sum_insured=Decimal(premium) * 100,
            **fields,
        )
        session.add(policy)
        session.commit()
        assert policy.id is not None
        return policy.id


_claim_seq = [0]


def make_claim(
    services: Services,
    policy_id: int,
    report: date,
    *,
    paid: str = "0",
    outstanding: str = "0",
    **fields: Any,
) -> int:
    _claim_seq[0] += 1
    fields.setdefault("claim_no", f"RDAA{report.year}{_claim_seq[0]:08d}")
    with services.database.session() as session:
        policy = session.get(Policy, policy_id)
        assert policy is not None
        claim = Claim(
            policy_id=policy_id,
            customer_id=policy.customer_id,
            loss_date=report,
            report_date=report,
            cause=fields.pop("cause", "collision"),
            paid=Decimal(paid),
            outstanding=Decimal(outstanding),
            **fields,
        )
        session.add(claim)
        session.commit()
        assert claim.id is not None
        return claim.id
