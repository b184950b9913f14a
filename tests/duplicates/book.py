"""A small book of duplicates: each pair crafted for one reason of the candidate list."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlmodel import SQLModel

from tests.factories import (
    make_claim,
    make_customer,
    make_policy,
    make_user,
    make_vehicle,
    unit_id,
)
from tui_crm.services.container import Services
from tui_crm.services.duplicates import id_18_from_15
from tui_crm.storage.models import (
    BlacklistNomination,
    Contact,
    CustomerClassHistory,
    ServiceContact,
)

OLD_ID = "330402850101123"  # 15 digits
NEW_ID = id_18_from_15(OLD_ID)
CREDIT_CODE = "91330402MA2B3C4D5X"  # embeds the organisation code MA2B3C4D5
# Tables the comparison leaves out: the audit trail grows, the merge history is the point.
# Logs that rightly grow with a merge and its undo: the audit trail, the merge history
# and the change log the report data is refreshed from.
UNCOMPARED = {"audit_log", "audit_chain", "customer_merge", "derived_change"}


@dataclass
class Book:
    old: int  # 15-digit ID, with policies, vehicle, claim, contacts, history, nomination
    new: int  # the same person, 18-digit ID
    company: int
    old_company: int  # old organisation code
    phone_a: int
    phone_b: int  # same phone, similar name
    phone_c: int  # same phone, another name: not a candidate
    birth_a: int
    birth_b: int
    other_unit: int  # 330421: the same ID in a unit a 330402 supervisor cannot see


def build(services: Services) -> Book:
    old = make_customer(services, "王建国", id_number=OLD_ID, phone="13800000001")
    new = make_customer(
        services, "王建国", id_number=NEW_ID, birth_date=date(1985, 1, 1), gender="M"
    )
    vehicle = make_vehicle(services, old, "浙F11111", "LSVAB2BJ4EN111111")
    policy = make_policy(services, old, date(2026, 3, 1), vehicle_id=vehicle)
    make_claim(services, policy, date(2026, 6, 1), paid="500")
    staff = make_user(services, "clerk_b", "counter")
    with services.database.session() as session:
        session.add(Contact(customer_id=old, kind="address", value="嘉兴市南湖区一号"))
        session.add(ServiceContact(customer_id=old, kind="visit", subject="回访"))
        session.add(
            CustomerClassHistory(
                customer_id=old,
                changed_on=date(2026, 3, 1),
                from_class="floating",
                to_class="standard",
                source="engine",
            )
        )
        session.add(
            BlacklistNomination(
                customer_id=old,
                unit_id=unit_id(services, "330402"),
                nominated_by_id=staff.id,
                reasons="fraud",
                submitted_at=datetime(2026, 7, 1, tzinfo=UTC),
            )
        )
        session.commit()
    return Book(
        old=old,
        new=new,
        company=make_customer(
            services, "嘉兴某某贸易有限公司", kind="corporate", id_number=CREDIT_CODE
        ),
        old_company=make_customer(
            services, "嘉兴某某贸易公司", kind="corporate", id_number="MA2B3C4D-5"
        ),
        phone_a=make_customer(services, "李小明", phone="13900000002"),
        phone_b=make_customer(services, "李晓明", phone="13900000002"),
        phone_c=make_customer(services, "赵六", phone="13900000002"),
        birth_a=make_customer(services, "陈红", birth_date=date(1990, 5, 5)),
        birth_b=make_customer(services, "陈红", birth_date=date(1990, 5, 5)),
        other_unit=make_customer(services, "王建国", id_number=NEW_ID, unit_code="330421"),
    )


def snapshot(
    services: Services, ignore: frozenset[str] = frozenset()
) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (but the audit trail, the merge history and `ignore`),
    sorted."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with services.database.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in UNCOMPARED or table.name in ignore:
                continue
            rows = session.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out
