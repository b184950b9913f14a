"""车船税 by hand: every Zhejiang band and its edges "(含)", buses, per-ton vehicles,
new-energy exemption, energy-saving half, prorating by purchase month, rounding."""

from decimal import Decimal

import pytest

from tests.factories import TODAY, make_user
from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.premium import TrialInvalid
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database

START = "2027-01-10"  # tax year 2027


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    db = Database.from_url(f"sqlite:///{tmp_path_factory.mktemp('tax') / 'p.db'}")
    ensure_ready(db)
    services = make_services(db, clock=FixedClock(TODAY), fast_hash=True)
    yield services, make_user(services, "quoter", "counter")
    db.dispose()


def tax(book, **values):
    services, actor = book
    values.setdefault("start", START)
    return services.premium.quote(actor, {k: str(v) for k, v in values.items()}).tax


@pytest.mark.parametrize(
    ("litres", "amount"),
    [
        ("0.8", "180"),
        ("1.0", "180"),  # ≤1.0 L
        ("1.01", "300"),
        ("1.6", "300"),  # 1.0–1.6 (含)
        ("1.61", "360"),
        ("2.0", "360"),
        ("2.01", "660"),
        ("2.5", "660"),
        ("2.51", "1500"),
        ("3.0", "1500"),
        ("3.01", "3000"),
        ("4.0", "3000"),
        ("4.01", "4500"),
        ("6.2", "4500"),
    ],
)
def test_passenger_car_bands_include_their_upper_edge(book, litres: str, amount: str) -> None:
    result = tax(book, use="family", seats=5, displacement=litres)
    assert result.amount == Decimal(amount)
    assert result.months == 12 and result.relief == "none"


@pytest.mark.parametrize(
    ("use", "seats", "amount", "band"),
    [
        ("enterprise", 9, "300", "car:litres:(1.0~1.6]"),  # 9 seats: a passenger car
        ("enterprise", 10, "480", "bus:seats:[10~20)"),
        ("taxi", 19, "480", "bus:seats:[10~20)"),
        ("coach", 20, "540", "bus:seats:[20~)"),
        ("bus", 50, "540", "bus:seats:[20~)"),
    ],
)
def test_buses_by_seats(book, use: str, seats: int, amount: str, band: str) -> None:
    result = tax(book, use=use, seats=seats, displacement="1.5")
    assert (result.amount, result.band_key) == (Decimal(amount), band)


def test_trucks_special_and_trailers_per_ton_of_curb_weight(book) -> None:
    assert tax(book, use="truck", tonnage="1.5", curb_weight="1.85").amount == Decimal("111.00")
    assert tax(book, use="business_truck", tonnage="8", curb_weight="6.2").amount == Decimal(
        "372.00"
    )
    assert tax(book, use="special", special_class=2, curb_weight="10").amount == Decimal("600.00")
    trailer = tax(book, use="truck", tonnage="8", curb_weight="5.5", trailer="1")
    assert (trailer.amount, trailer.band_key) == (Decimal("165.00"), "trailer:per_ton")


def test_curb_weight_is_required_for_per_ton_vehicles(book) -> None:
    services, actor = book
    with pytest.raises(TrialInvalid) as caught:
        services.premium.quote(actor, {"use": "truck", "tonnage": "3", "start": START})
    assert caught.value.field == "curb_weight"


def test_new_energy_is_exempt_without_a_displacement(book) -> None:
    result = tax(book, use="family", seats=5, new_energy="1")
    assert (result.amount, result.relief) == (Decimal("0.00"), "exempt")
    assert tax(book, use="truck", tonnage="3", curb_weight="2", new_energy="1").amount == Decimal(
        "0.00"
    )


def test_energy_saving_pays_half(book) -> None:
    result = tax(book, use="family", seats=5, displacement="2.4", energy_saving="1")
    assert (result.annual, result.after_relief, result.amount) == (
        Decimal("660"),
        Decimal("330.00"),
        Decimal("330.00"),
    )
    assert tax(
        book, use="truck", tonnage="3", curb_weight="1.001", energy_saving="1"
    ).amount == Decimal("30.03")


def test_prorated_by_purchase_month_in_the_purchase_year(book) -> None:
    # bought in March of the tax year: March..December = 10 months of 360
    result = tax(
        book,
        use="family",
        seats=5,
        displacement="2.0",
        start="2027-03-20",
        purchase_date="2027-03-20",
        first_registration="2026-11-20",
    )
    assert (result.months, result.amount) == (10, Decimal("300.00"))
    # no purchase date: the first registration's month counts
    result = tax(
        book,
        use="family",
        seats=5,
        displacement="2.0",
        start="2027-12-05",
        first_registration="2026-11-20",
        purchase_date="2027-12-01",
    )
    assert (result.months, result.amount) == (1, Decimal("30.00"))
    result = tax(
        book,
        use="family",
        seats=5,
        displacement="1.5",
        start="2026-12-01",
        first_registration="2026-11-20",
    )
    assert (result.months, result.amount, result.tax_year) == (2, Decimal("50.00"), 2026)
    # bought in an earlier year: the full amount for the tax year
    result = tax(
        book,
        use="family",
        seats=5,
        displacement="2.0",
        start="2027-03-20",
        first_registration="2026-11-20",
    )
    assert (result.months, result.amount) == (12, Decimal("360.00"))


def test_prorating_rounds_half_up_to_the_fen_once(book) -> None:
    # 60 × 1.001 t = 60.06 a year; bought in December: 60.06 × 1 / 12 = 5.005 → 5.01
    result = tax(
        book,
        use="truck",
        tonnage="3",
        curb_weight="1.001",
        start="2026-12-10",
        purchase_date="2026-12-01",
    )
    assert (result.annual, result.months, result.amount) == (Decimal("60.06"), 1, Decimal("5.01"))
    # energy saving and prorating together: 4500 / 2 = 2250 × 7 / 12 = 1312.50
    result = tax(
        book,
        use="family",
        seats=5,
        displacement="4.4",
        energy_saving="1",
        start="2027-06-01",
        purchase_date="2027-06-01",
    )
    assert result.amount == Decimal("1312.50")


def test_motorcycles_flat(book) -> None:
    result = tax(book, use="motorcycle", engine_cc=125)
    assert (result.amount, result.band_key) == (Decimal("60.00"), "motorcycle:any")
