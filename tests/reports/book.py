"""A small hand-made book the report tests share (services, CLI and screens), its worked
answers, and a check that the customer facts answer as the base tables do.

The period is 2026-01-01 … 2026-06-30 (181 days). Expected figures are worked out here
from the policies' own numbers with a plain 1/365 formula, not read from the output.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import select

from tests.factories import make_claim, make_customer, make_policy, make_user, make_vehicle, unit_id
from tui_crm.services.reports import ReportService
from tui_crm.services.reports.customer_facts import query as customer_facts_query
from tui_crm.storage.models import (
    ClassMonthlyCount,
    CorporateGroup,
    CustomerClassHistory,
    Intermediary,
    Receivable,
    StaffUser,
)

F, T = date(2026, 1, 1), date(2026, 6, 30)
PERIOD = {"from": F.isoformat(), "to": T.isoformat()}
CENT = Decimal("0.01")


def earned(premium: str, start: date, end: date, last: date | None = None) -> Decimal:
    """Premium × days of cover inside the period / days of the policy (to the fen)."""
    cover_end = min(end, T, last or end)
    days = max(0, (cover_end - max(start, F)).days + 1)
    total = (end - start).days + 1
    return (Decimal(premium) * days / total).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> Decimal:
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


@dataclass
class Book:
    a: int
    b: int
    c: int
    d: int
    e: int
    policies: dict[str, int]
    i1: int
    i2: int
    group: int


def staff_id(services, username: str) -> int:
    with services.database.session() as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == username)).one()
        assert user.id is not None
        return user.id


def build_book(services) -> Book:
    make_user(services, "mgr", "manager", "3304")
    make_user(services, "am1", "account_manager", "330402")
    make_user(services, "am2", "account_manager", "330411")
    am1, am2 = staff_id(services, "am1"), staff_id(services, "am2")
    with services.database.session() as session:
        i1 = Intermediary(
            code="AG001", name="嘉兴平安代理", kind="agency", unit_id=unit_id(services, "330402")
        )
        i2 = Intermediary(
            code="BR001", name="江南保险经纪", kind="broker", unit_id=unit_id(services, "330402")
        )
        group = CorporateGroup(name="嘉兴物流集团")
        session.add_all([i1, i2, group])
        session.commit()
        ids = (i1.id, i2.id, group.id)
    assert all(ids)
    i1_id, i2_id, group_id = (int(x) for x in ids)  # type: ignore[arg-type]
    a = make_customer(
        services,
        "张三",
        gender="M",
        birth_date=date(1980, 5, 1),
        account_manager_id=am1,
        phone="13812345678",
    )
    b = make_customer(
        services, "李四", gender="F", birth_date=date(1995, 1, 1), account_manager_id=am1
    )
    c = make_customer(
        services,
        "嘉兴物流有限公司",
        kind="corporate",
        industry="运输业",
        ownership="private",
        group_id=group_id,
        flag_key=True,
        customer_class="key",
    )
    d = make_customer(
        services,
        "嘉兴物流秀洲分公司",
        kind="corporate",
        unit_code="330411",
        industry="运输业",
        ownership="private",
        group_id=group_id,
        parent_customer_id=c,
        account_manager_id=am2,
    )
    e = make_customer(
        services, "秀洲区机关事务局", kind="government", unit_code="330411", ownership="government"
    )
    va = make_vehicle(
        services,
        a,
        "浙F12345",
        use="family",
        seats=5,
        first_registration=date(2020, 3, 1),
        make_model="大众朗逸",
    )
    vb = make_vehicle(
        services,
        b,
        "浙F23456",
        use="taxi",
        seats=5,
        first_registration=date(2015, 6, 1),
        make_model="丰田卡罗拉",
    )
    vd = make_vehicle(
        services,
        d,
        "浙F34567",
        use="truck",
        seats=3,
        first_registration=date(2024, 1, 1),
        make_model="解放J6",
    )
    p = {}
    p["p1"] = make_policy(
        services, a, date(2026, 1, 1), premium="3650", vehicle_id=va, account_manager_id=am1
    )
    p["p2"] = make_policy(
        services,
        a,
        date(2026, 1, 1),
        premium="950",
        line="ctpl",
        vehicle_id=va,
        account_manager_id=am1,
    )
    p["p3"] = make_policy(
        services,
        b,
        date(2025, 7, 1),
        premium="7300",
        vehicle_id=vb,
        channel="agency",
        intermediary_id=i1_id,
        commission=Decimal("730"),
        account_manager_id=am1,
    )
    p["p4"] = make_policy(
        services,
        b,
        date(2026, 7, 1),
        premium="7300",
        vehicle_id=vb,
        channel="agency",
        intermediary_id=i1_id,
        renewal_of_id=p["p3"],
        account_manager_id=am1,
    )
    p["p5"] = make_policy(
        services,
        c,
        date(2026, 3, 1),
        premium="36500",
        line="property",
        channel="broker",
        intermediary_id=i2_id,
        commission=Decimal("3650"),
    )
    p["p6"] = make_policy(
        services,
        c,
        date(2026, 2, 1),
        premium="7300",
        line="liability",
        channel="broker",
        intermediary_id=i2_id,
        commission=Decimal("730"),
    )
    p["p7"] = make_policy(
        services,
        d,
        date(2026, 4, 1),
        premium="1100",
        line="ctpl",
        vehicle_id=vd,
        unit_code="330411",
        account_manager_id=am2,
    )
    p["p8"] = make_policy(
        services, e, date(2025, 1, 1), premium="5000", line="property", unit_code="330411"
    )
    p["p9"] = make_policy(
        services,
        a,
        date(2026, 2, 1),
        premium="365",
        line="accident",
        status="cancelled",
        cancelled_on=date(2026, 3, 1),
    )
    p["p10"] = make_policy(
        services, e, date(2025, 3, 1), premium="3650", line="liability", unit_code="330411"
    )
    make_claim(services, p["p1"], date(2026, 3, 1), paid="1000", outstanding="500")
    make_claim(services, p["p3"], date(2026, 5, 10), paid="5000", status="closed")
    make_claim(services, p["p3"], date(2026, 7, 5), paid="800", status="closed")  # after T
    make_claim(services, p["p5"], date(2026, 4, 1), outstanding="20000")
    make_claim(services, p["p1"], date(2026, 4, 1), status="withdrawn")
    make_claim(services, p["p7"], date(2026, 5, 1), status="declined")
    with services.database.session() as session:
        for policy, customer, due, amount, paid in (
            ("p1", a, date(2026, 1, 1), "3650", "3650"),
            ("p2", a, date(2026, 1, 1), "950", "0"),
            ("p7", d, date(2026, 4, 1), "1100", "100"),
            ("p5", c, date(2026, 7, 15), "36500", "0"),  # due after T
            ("p6", c, date(2026, 6, 20), "7300", "0"),
        ):
            session.add(
                Receivable(
                    policy_id=p[policy],
                    customer_id=customer,
                    due_date=due,
                    amount=Decimal(amount),
                    paid_amount=Decimal(paid),
                )
            )
        nanhu, xiuzhou = unit_id(services, "330402"), unit_id(services, "330411")
        for customer, old, new, day, unit in (
            (c, None, "standard", date(2025, 6, 30), nanhu),
            (e, None, "standard", date(2025, 6, 30), xiuzhou),
            (b, None, "standard", date(2025, 12, 31), nanhu),
            (a, None, "standard", date(2026, 1, 31), nanhu),
            (c, "standard", "key", date(2026, 3, 31), nanhu),
            (e, "standard", "prospect", date(2026, 3, 31), xiuzhou),
        ):
            session.add(
                CustomerClassHistory(
                    customer_id=customer, from_class=old, to_class=new, changed_on=day, unit_id=unit
                )
            )
        for month, unit, klass, number in (
            (date(2026, 1, 1), nanhu, "standard", 2),
            (date(2026, 1, 1), xiuzhou, "standard", 2),
            (date(2026, 3, 1), nanhu, "standard", 1),
            (date(2026, 3, 1), nanhu, "key", 1),
            (date(2026, 3, 1), xiuzhou, "standard", 1),
            (date(2026, 3, 1), xiuzhou, "prospect", 1),
        ):
            session.add(
                ClassMonthlyCount(month=month, unit_id=unit, customer_class=klass, count=number)
            )
        session.commit()
    return Book(a, b, c, d, e, p, i1_id, i2_id, group_id)


def reports(services) -> ReportService:
    return ReportService(services.database, services.clock)


def rows_by(result, key: str = "code") -> dict:
    return {row[key]: row for row in result.frame.to_dict("records")}


# Earned premium of each policy over the period, worked out once.
EARNED = {
    "p1": earned("3650", date(2026, 1, 1), date(2026, 12, 31)),  # 181/365 → 1810.00
    "p2": earned("950", date(2026, 1, 1), date(2026, 12, 31)),  # 471.10
    "p3": earned("7300", date(2025, 7, 1), date(2026, 6, 30)),  # 3620.00
    "p5": earned("36500", date(2026, 3, 1), date(2027, 2, 28)),  # 122 days → 12200.00
    "p6": earned("7300", date(2026, 2, 1), date(2027, 1, 31)),  # 150 days → 3000.00
    "p7": earned("1100", date(2026, 4, 1), date(2027, 3, 31)),  # 91 days → 274.25
    "p9": earned("365", date(2026, 2, 1), date(2027, 1, 31), last=date(2026, 2, 28)),  # 28.00
    "p10": earned("3650", date(2025, 3, 1), date(2026, 2, 28)),  # 59 days → 590.00
}


def facts_spy(answered: list[bool]):
    """`customer_facts_query.facts_for` that notes in `answered` whether the facts
    answered each run."""
    real = customer_facts_query.facts_for

    def spy(context):
        found = real(context)
        answered.append(found is not None)
        return found

    return spy


def compare_both_ways(services, monkeypatch, runs, periods, users=("mgr", "am1")) -> int:
    """Run every (report, view) of `runs` over `periods` with the facts and with the base
    tables, as each user; the frames, totals and notes must be equal. Returns how many
    runs the facts answered."""
    service = reports(services)
    answered: list[bool] = []
    spy = facts_spy(answered)
    with monkeypatch.context() as patch:
        for user in users:
            actor = services.auth.actor_for(user)
            for name, view in runs:
                for period in periods:
                    raw = {**period, **({"view": view} if view else {})}
                    patch.setattr(customer_facts_query, "facts_for", spy)
                    with_facts = service.run(actor, name, raw)
                    patch.setattr(customer_facts_query, "facts_for", lambda c: None)
                    base = service.run(actor, name, raw)
                    where = f"{user} {name} {view} {raw}"
                    records = with_facts.frame.to_dict("records")
                    assert records == base.frame.to_dict("records"), where
                    assert with_facts.totals == base.totals, where
                    assert with_facts.notes == base.notes, where
    return sum(answered)
