"""A small book of expiring policies for the worklist tests, dated from `today` (the
suite's fixed clock, or the real one for the CLI)."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from tests.factories import make_customer, make_policy, make_user, make_vehicle
from tui_crm.services.container import Services
from tui_crm.services.core.actor import Actor
from tui_crm.storage.models import Customer


@dataclass
class Book:
    am: Actor
    other_am: Actor
    soon: int  # ends in 10 days, customer managed by am
    later: int  # ends in 46 days, managed by other_am
    far: int  # ends in 96 days: outside 60
    renewed: int  # ends in 25 days but a renewal exists
    xiuzhou: int  # ends in 6 days, in 330411
    customer: int
    vehicle: int


def build(services: Services, today: date = date(2026, 11, 25)) -> Book:
    am = make_user(services, "am", "account_manager")
    other = make_user(services, "am2", "account_manager")
    make_user(services, "am_xz", "account_manager", "330411")
    customer = make_customer(services, "钱多多", phone="13900001111")
    vehicle = make_vehicle(services, customer, "浙F8A123")
    second = make_customer(services, "孙小美", phone="13900002222")
    third = make_customer(services, "秀洲客户", unit_code="330411", phone="13900003333")
    with services.database.session() as session:
        for cid, manager in ((customer, am.id), (second, other.id)):
            row = session.get(Customer, cid)
            assert row is not None
            row.account_manager_id = manager
        session.commit()

    def ending(customer_id: int, days: int, **fields: Any) -> int:
        end = today + timedelta(days=days)
        start = end - relativedelta(years=1) + timedelta(days=1)
        return make_policy(services, customer_id, start, end=end, **fields)

    soon = ending(customer, 10, vehicle_id=vehicle)
    later = ending(second, 46)
    far = ending(second, 96)
    renewed = ending(customer, 25)
    make_policy(services, customer, today + timedelta(days=26), renewal_of_id=renewed)
    xiuzhou = ending(third, 6, unit_code="330411")
    return Book(am, other, soon, later, far, renewed, xiuzhou, customer, vehicle)
