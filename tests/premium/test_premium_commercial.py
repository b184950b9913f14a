"""商业车险 by hand: base pure premium / (1 − 25%) × NCD × self-pricing, each rounded
half-up to the fen where the rules round; NCD levels and their derivation; the
self-pricing range; actual value by depreciation; coverage checks."""

from decimal import Decimal

import pytest

from tests.factories import TODAY, make_user
from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.premium import TrialInvalid
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database

CAR = {"use": "family", "seats": "5", "displacement": "1.6", "start": "2027-01-10"}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    db = Database.from_url(f"sqlite:///{tmp_path_factory.mktemp('com') / 'p.db'}")
    ensure_ready(db)
    services = make_services(db, clock=FixedClock(TODAY), fast_hash=True)
    yield services, make_user(services, "quoter", "counter")
    db.dispose()


def quote(book, *coverage: str, **values):
    services, actor = book
    return services.premium.quote(
        actor, {**CAR, **{k: str(v) for k, v in values.items()}, "coverage": list(coverage)}
    )


def refusal(book, *coverage: str, **values):
    with pytest.raises(TrialInvalid) as caught:
        quote(book, *coverage, **values)
    error = caught.value.errors[0]
    return error.field, error.coverage, error.message


# third party 1,000,000 on a family car: pure 700.00 → base premium 700 / 0.75 = 933.33
NCD = [
    (-4, "0.50", "466.67"),  # 466.665 rounds half up (half-even would give 466.66)
    (-3, "0.60", "560.00"),  # 559.998
    (-2, "0.70", "653.33"),
    (-1, "0.80", "746.66"),
    (0, "1.00", "933.33"),
    (1, "1.20", "1120.00"),  # 1119.996
    (2, "1.40", "1306.66"),
    (3, "1.60", "1493.33"),
    (4, "1.80", "1679.99"),
    (5, "2.00", "1866.66"),
]


@pytest.mark.parametrize(("level", "factor", "premium"), NCD)
def test_every_ncd_level(book, level: int, factor: str, premium: str) -> None:
    item = quote(book, "third_party:1000000", ncd_level=level).as_json()["commercial"][0]
    assert item == {
        "coverage": "third_party",
        "limit": "1000000.00",
        "sum_insured": None,
        "base_pure_premium": "700.00",
        "loading": "0.25",
        "base_premium": "933.33",
        "ncd_level": level,
        "ncd_factor": factor,
        "self_pricing": "1.00",
        "premium": premium,
    }


@pytest.mark.parametrize(
    ("history", "level"),
    [
        ({}, 0),  # no history: a new vehicle
        ({"claim_free_years": 1}, -1),
        ({"claim_free_years": 2}, -2),
        ({"claim_free_years": 3}, -3),
        ({"claim_free_years": 4}, -4),
        ({"claim_free_years": 10}, -4),
        ({"at_fault_claims": 1}, 0),
        ({"at_fault_claims": 2}, 1),
        ({"at_fault_claims": 3}, 2),
        ({"at_fault_claims": 4}, 3),
        ({"at_fault_claims": 5}, 4),
        ({"at_fault_claims": 6}, 5),
        ({"at_fault_claims": 9}, 5),
        ({"fatal": "1"}, 0),  # a fatal accident counts one claim
    ],
)
def test_ncd_level_derived_from_the_history(book, history, level) -> None:
    data = quote(book, "third_party:1000000", **history).as_json()
    assert (data["ncd_level"], data["ncd_derived"]) == (level, True)
    assert data["commercial"][0]["ncd_level"] == level


def test_ncd_level_outside_the_table(book) -> None:
    assert refusal(book, "third_party:1000000", ncd_level=-5) == (
        "ncd_level",
        None,
        "NCD 等级应在 -4 到 +5 之间",
    )
    assert refusal(book, "third_party:1000000", ncd_level=6)[0] == "ncd_level"


@pytest.mark.parametrize(
    ("coefficient", "premium"), [("0.5", "466.67"), ("1.5", "1400.00"), ("0.85", "793.33")]
)
def test_self_pricing_within_its_range(book, coefficient: str, premium: str) -> None:
    item = quote(book, "third_party:1000000", ncd_level=0, self_pricing=coefficient).commercial[0]
    assert item.premium == Decimal(premium)  # 933.33 × 1.5 = 1399.995 → 1400.00


@pytest.mark.parametrize("coefficient", ["0.49", "1.51", "0.3", "2"])
def test_self_pricing_out_of_range(book, coefficient: str) -> None:
    assert refusal(book, "third_party:1000000", self_pricing=coefficient) == (
        "self_pricing",
        None,
        "自主定价系数应在 0.5 到 1.5 之间",
    )


def test_damage_on_the_depreciated_actual_value(book) -> None:
    result = quote(
        book, "damage", new_car_price="150000", first_registration="2024-03-10", claim_free_years=1
    )
    # 34 whole months × 0.6% = 20.4%: 150000 × 0.796 = 119400.00
    assert result.valuation is not None
    assert (result.valuation.months_used, result.valuation.actual_value) == (
        34,
        Decimal("119400.00"),
    )
    item = result.commercial[0]
    assert item.sum_insured == Decimal("119400.00")
    assert item.base_pure_premium == Decimal("1046.10")  # 270 + 0.0065 × 119400
    assert item.base_premium == Decimal("1394.80")  # ÷ 0.75
    assert item.premium == Decimal("1115.84")  # × 0.80 (NCD −1) × 1.00


def test_depreciation_stops_at_80_percent_and_a_new_car_has_none(book) -> None:
    old = quote(book, "damage", new_car_price="150000", first_registration="2010-01-01")
    assert old.valuation is not None and old.valuation.actual_value == Decimal("30000.00")
    new = quote(book, "damage", new_car_price="150000")
    assert new.valuation is not None and new.valuation.actual_value == Decimal("150000.00")
    assert refusal(book, "damage")[0] == "new_car_price"


def test_seat_covers_and_riders(book) -> None:
    result = quote(
        book,
        "damage",
        "third_party:1000000",
        "driver:10000",
        "passenger:20000",
        "scratch:5000",
        "holiday_double",
        "medical_extra:20000",
        new_car_price="100000",
        ncd_level=0,
    )
    items = {i.coverage: i for i in result.commercial}
    assert (items["driver"].base_pure_premium, items["driver"].premium) == (
        Decimal("30.00"),
        Decimal("40.00"),
    )
    passenger = items["passenger"]  # 0.0018 × 20000 × 4 seats
    assert (passenger.seats, passenger.sum_insured, passenger.premium) == (
        4,
        Decimal(80000),
        Decimal("192.00"),
    )
    assert items["scratch"].premium == Decimal("400.00")
    assert items["holiday_double"].base_pure_premium == Decimal("42.00")  # 6% of 700
    assert items["medical_extra"].premium == Decimal("66.67")  # 50 / 0.75
    damage = items["damage"].premium  # (270 + 650) / 0.75 = 1226.67
    assert damage == Decimal("1226.67")
    assert result.commercial_total == sum(i.premium for i in result.commercial)
    assert result.total == result.ctpl.premium + result.tax.amount + result.commercial_total
    assert result.as_json()["estimate"] is True


@pytest.mark.parametrize(
    ("coverage", "values", "expected"),
    [
        (["third_party:1234567"], {}, ("coverage", "third_party")),
        (["driver:5000"], {}, ("coverage", "driver")),
        (["passenger:10500"], {}, ("coverage", "passenger")),
        (["scratch:5000"], {}, ("coverage", "scratch")),
        (["holiday_double"], {}, ("coverage", "holiday_double")),
        (
            ["third_party:1000000", "holiday_double"],
            {"use": "enterprise"},
            ("coverage", "holiday_double"),
        ),
        (["medical_extra:10000"], {}, ("coverage", "medical_extra")),
        (["glass"], {}, ("coverage", "glass")),
        (["third_party"], {}, ("coverage", "third_party")),
        (["damage", "damage"], {"new_car_price": "1"}, ("coverage", "damage")),
    ],
)
def test_coverage_refusals_name_the_coverage(book, coverage, values, expected) -> None:
    field, code, _ = refusal(book, *coverage, **values)
    assert (field, code) == expected


def test_passenger_cover_needs_seats(book) -> None:
    services, actor = book
    with pytest.raises(TrialInvalid) as caught:
        services.premium.quote(
            actor,
            {
                "use": "motorcycle",
                "engine_cc": "125",
                "start": "2027-01-10",
                "coverage": ["passenger:10000"],
            },
        )
    assert caught.value.errors[0].message == "乘客座位险需要 2 座及以上的核定座位数"


def test_limits_written_in_wan(book) -> None:
    item = quote(book, "third_party:200万", ncd_level=0).commercial[0]
    assert (item.limit, item.base_pure_premium) == (
        Decimal(2000000),
        Decimal("826.00"),
    )  # 700 × 1.18
