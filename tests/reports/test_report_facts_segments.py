"""The corporate, individual and motor views the customer facts answer (large customers,
cross-insurance, new business, payment status, new versus renewal, motor by vehicle age,
seats and make/model) give exactly what the base tables give: on the hand-made book
widened with customers new in the period, renewals, receivables in every payment status,
vehicles of every age and seats band (and none, and without make/model), for the centre
and a county's account manager — and again after a vehicle's seats change (applied)."""

from datetime import date
from decimal import Decimal

from sqlmodel import select

from tests.factories import make_claim, make_customer, make_policy, make_vehicle
from tests.reports.book import PERIOD, build_book, compare_both_ways, reports, rows_by
from tui_crm.storage.models import Receivable, Vehicle

RUNS = [
    ("corporate", "large"),
    ("corporate", "cross"),
    ("corporate", "new"),
    ("individual", "payment"),
    ("individual", "new_renewal"),
    ("product", "age"),
    ("product", "seats"),
    ("product", "make_model"),
]
PERIODS = [
    PERIOD,
    {"from": "2025-01-01", "to": "2026-06-30"},
    {"from": "2026-03-01", "to": "2027-02-28"},
    {**PERIOD, "line": "ctpl"},
    {**PERIOD, "channel": "agency"},
]


def _widen(services) -> dict[str, int]:
    """Customers, vehicles, policies, claims and receivables beyond the shared book."""
    f = make_customer(services, "王五", gender="M", birth_date=date(1990, 2, 1))
    g = make_customer(services, "嘉兴新材料有限公司", kind="corporate", industry="制造业")
    h = make_customer(services, "赵六", gender="F", unit_code="330411")
    bus = make_customer(services, "嘉兴公交公司", kind="corporate", ownership="state")
    bare = make_vehicle(services, f, "浙F45678", seats=None, first_registration=None)
    coach = make_vehicle(
        services, bus, "浙F56789", use="bus", seats=40, first_registration=date(2010, 5, 1)
    )
    van = make_vehicle(
        services, h, "浙F67890", use="family", seats=7, first_registration=date(2026, 1, 1)
    )
    made = {
        "f1": make_policy(services, f, date(2026, 5, 1), premium="1200", vehicle_id=bare),
        "f2": make_policy(services, f, date(2026, 2, 1), premium="300", line="ctpl"),  # no car
        "g1": make_policy(services, g, date(2026, 6, 1), premium="9000", line="property"),
        "g2": make_policy(services, g, date(2026, 6, 1), premium="900", line="liability"),
        "bus": make_policy(services, bus, date(2025, 12, 1), premium="24000", vehicle_id=coach),
        "h0": make_policy(
            services,
            h,
            date(2025, 3, 1),
            premium="800",
            unit_code="330411",
            vehicle_id=van,
            status="cancelled",
            cancelled_on=date(2025, 4, 1),
        ),
        "h1": make_policy(services, h, date(2026, 3, 1), premium="2100", unit_code="330411"),
    }
    made["h2"] = make_policy(
        services,
        h,
        date(2026, 4, 1),
        premium="1700",
        unit_code="330411",
        vehicle_id=van,
        renewal_of_id=made["h0"],
        channel="agency",
    )
    make_claim(services, made["bus"], date(2026, 2, 14), paid="3000", outstanding="700")
    make_claim(services, made["f2"], date(2026, 5, 20), paid="120")
    make_claim(services, made["h2"], date(2026, 6, 2), outstanding="400")
    with services.database.session() as session:
        for policy, customer, due, amount, paid in (
            ("f1", f, date(2027, 1, 10), "1200", "100"),  # partly paid, not yet due
            ("f2", f, date(2027, 2, 1), "300", "0"),  # not yet due
            ("h1", h, date(2026, 3, 1), "2100", "2100"),
            ("h2", h, date(2026, 4, 1), "1700", "200"),  # overdue
            ("g1", g, date(2026, 6, 1), "9000", "0"),
        ):
            session.add(
                Receivable(
                    policy_id=made[policy],
                    customer_id=customer,
                    due_date=due,
                    amount=Decimal(amount),
                    paid_amount=Decimal(paid),
                )
            )
        session.commit()
    return made


def _compare(services, monkeypatch, users=("mgr", "am1")) -> int:
    return compare_both_ways(services, monkeypatch, RUNS, PERIODS, users)


def test_the_views_equal_the_base_tables(services, monkeypatch) -> None:
    build_book(services)
    _widen(services)
    assert _compare(services, monkeypatch) >= 2 * len(RUNS) * len(PERIODS)


def test_the_widened_book_reaches_every_band_and_status(services) -> None:
    build_book(services)
    _widen(services)
    service = reports(services)
    actor = services.auth.actor_for("mgr")
    year = {"from": "2026-01-01", "to": "2026-12-31"}
    payment = rows_by(service.run(actor, "individual", {**year, "view": "payment"}))
    assert {code: row["receivables"] for code, row in payment.items()} == {
        "paid": 2,  # p1, h1
        "partial": 1,  # f1
        "due": 1,  # f2
        "overdue": 2,  # p2, h2
    }
    assert payment["overdue"]["balance"] == Decimal("950.00") + Decimal("1500.00")
    ages = rows_by(service.run(actor, "product", {**year, "view": "age"}))
    assert {None, "0-1", "6-9", "10+"} <= set(ages)
    seats = rows_by(service.run(actor, "product", {**year, "view": "seats"}))
    assert seats["36+"]["claims"] == 1 and seats["6-9"]["policies"] == 1
    assert seats[None]["policies"] == 3  # f1 (no seats given), f2 and h1 (no vehicle)
    cross = rows_by(service.run(actor, "corporate", {**year, "view": "cross"}))
    assert cross[2]["customers"] >= 2  # 嘉兴物流 (property, liability), 嘉兴新材料
    new = service.run(actor, "corporate", {**year, "view": "new"}).frame
    assert "2026-06" in set(new["segment"])  # 嘉兴新材料's first policy
    makes = rows_by(service.run(actor, "product", {**year, "view": "make_model"}))
    assert {None, "大众朗逸", "丰田卡罗拉"} <= set(makes)


def test_a_vehicle_change_is_applied_to_the_facts(services, monkeypatch) -> None:
    build_book(services)
    made = _widen(services)
    service = reports(services)
    actor = services.auth.actor_for("mgr")
    raw = {**PERIOD, "view": "seats"}
    assert "<6" in rows_by(service.run(actor, "product", raw))
    assert service.refresh_cube(actor).outcome == "fresh"
    with services.database.session() as session:
        for vehicle in session.exec(select(Vehicle)).all():
            vehicle.seats = 12
            session.add(vehicle)
        session.commit()
    assert service.refresh_cube(actor).outcome == "incremental"
    after = rows_by(service.run(actor, "product", raw))
    assert "<6" not in after and "10-19" in after
    assert made["bus"] and _compare(services, monkeypatch, users=("mgr",)) > 0
