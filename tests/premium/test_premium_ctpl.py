"""交强险 by hand: every category and band edge, trailers, tractors, and every floating
level of both schemes (Zhejiang scheme E, national 2008), with the highest rate winning."""

from decimal import Decimal

import pytest

from tests.factories import TODAY, make_user
from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.premium import TrialInvalid, parse_form
from tui_crm.services.premium.ctpl import compute_ctpl
from tui_crm.services.premium.money import money_text, rate_text
from tui_crm.services.premium.tables import load_book
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database

START = "2027-01-10"


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """One seeded SQLite book for the table-driven cases (read only)."""
    db = Database.from_url(f"sqlite:///{tmp_path_factory.mktemp('ctpl') / 'p.db'}")
    ensure_ready(db)
    services = make_services(db, clock=FixedClock(TODAY), fast_hash=True)
    yield services, make_user(services, "quoter", "counter")
    db.dispose()


def quote(book, **values):
    services, actor = book
    values.setdefault("start", START)
    return services.premium.quote(actor, {k: str(v) for k, v in values.items()})


def refusal(book, **values) -> tuple[str, str]:
    with pytest.raises(TrialInvalid) as caught:
        quote(book, **values)
    return caught.value.field or "", caught.value.message


# (use, band input, expected base) — each band's lower and upper edge where it has one.
PASSENGER = [
    ("family", 1, "950"),
    ("family", 5, "950"),
    ("family", 6, "1100"),
    ("family", 9, "1100"),
    ("enterprise", 5, "1000"),
    ("enterprise", 6, "1130"),
    ("enterprise", 9, "1130"),
    ("enterprise", 10, "1220"),
    ("enterprise", 19, "1220"),
    ("enterprise", 20, "1270"),
    ("enterprise", 60, "1270"),
    ("government", 5, "950"),
    ("government", 6, "1070"),
    ("government", 9, "1070"),
    ("government", 10, "1140"),
    ("government", 19, "1140"),
    ("government", 20, "1320"),
    ("taxi", 5, "1800"),
    ("taxi", 6, "2360"),
    ("taxi", 9, "2360"),
    ("taxi", 10, "2400"),
    ("taxi", 19, "2400"),
    ("taxi", 20, "2560"),
    ("taxi", 35, "2560"),
    ("taxi", 36, "3530"),
    ("bus", 6, "2250"),
    ("bus", 9, "2250"),
    ("bus", 10, "2520"),
    ("bus", 19, "2520"),
    ("bus", 20, "3020"),
    ("bus", 35, "3020"),
    ("bus", 36, "3140"),
    ("coach", 6, "2350"),
    ("coach", 9, "2350"),
    ("coach", 10, "2620"),
    ("coach", 19, "2620"),
    ("coach", 20, "3420"),
    ("coach", 35, "3420"),
    ("coach", 36, "4690"),
]


@pytest.mark.parametrize(("use", "seats", "base"), PASSENGER)
def test_passenger_categories_by_seats(book, use: str, seats: int, base: str) -> None:
    result = quote(book, use=use, seats=seats, displacement="1.6")
    assert result.ctpl.base == Decimal(base)
    assert result.ctpl.premium == Decimal(base)  # no history: A0, factor 1.00
    assert result.as_json()["ctpl_base"] == f"{Decimal(base):.2f}"


TRUCKS = [
    ("truck", "0.5", "1200"),
    ("truck", "1.99", "1200"),
    ("truck", "2", "1470"),
    ("truck", "4.99", "1470"),
    ("truck", "5", "1650"),
    ("truck", "9.99", "1650"),
    ("truck", "10", "2220"),
    ("truck", "40", "2220"),
    ("business_truck", "1.5", "1850"),
    ("business_truck", "2", "3070"),
    ("business_truck", "5", "3450"),
    ("business_truck", "9.99", "3450"),
    ("business_truck", "10", "4480"),
]


@pytest.mark.parametrize(("use", "tons", "base"), TRUCKS)
def test_trucks_by_rated_load(book, use: str, tons: str, base: str) -> None:
    result = quote(book, use=use, tonnage=tons, curb_weight="3")
    assert result.ctpl.base == Decimal(base)


@pytest.mark.parametrize(
    ("special_class", "base"), [(1, "3710"), (2, "2430"), (3, "1080"), (4, "3980")]
)
def test_special_vehicles_by_class(book, special_class: int, base: str) -> None:
    result = quote(book, use="special", special_class=special_class, curb_weight="8")
    assert result.ctpl.base == Decimal(base)


@pytest.mark.parametrize(
    ("cc", "base"), [(49, "80"), (50, "80"), (51, "120"), (250, "120"), (251, "400")]
)
def test_motorcycles_by_engine_size(book, cc: int, base: str) -> None:
    result = quote(book, use="motorcycle", engine_cc=cc)
    assert result.ctpl.base == Decimal(base)
    assert result.tax.amount == Decimal("60.00")


def test_trailer_pays_thirty_percent_of_the_same_tonnage_truck(book) -> None:
    result = quote(book, use="truck", tonnage="3", curb_weight="2", trailer="1")
    assert result.ctpl.base == Decimal("441.00")  # 1470 × 0.30
    assert result.ctpl.trailer_factor == Decimal("0.3")
    result = quote(book, use="business_truck", tonnage="12", curb_weight="4", trailer="1")
    assert result.ctpl.base == Decimal("1344.00")  # 4480 × 0.30


def test_band_refusals_name_the_field(book) -> None:
    assert refusal(book, use="family", seats=12, displacement="1.6") == (
        "seats",
        "家庭自用汽车没有 12座 的费率档（费率表覆盖 1–9座）",
    )
    field, message = refusal(book, use="bus", seats=5)
    assert field == "seats" and "6座+" in message
    assert refusal(book, use="truck", curb_weight="2")[0] == "tonnage"
    assert refusal(book, use="special", curb_weight="2")[0] == "special_class"
    assert refusal(book, use="motorcycle")[0] == "engine_cc"
    assert refusal(book, use="family", seats=5, displacement="1.6", trailer="1")[0] == "trailer"


def test_tractor_without_a_regional_rate_is_refused_on_use(book) -> None:
    field, message = refusal(book, use="tractor")
    assert field == "use"
    assert "尚未录入拖拉机交强险费率" in message


# --- floating levels ---------------------------------------------------------------------
LEVELS = [
    # history → level, factor, premium on a 950 base
    ({}, "A0", "1.00", "950.00"),
    ({"claim_free_years": 1}, "A1", "0.90", "855.00"),
    ({"claim_free_years": 2}, "A2", "0.80", "760.00"),
    ({"claim_free_years": 3}, "A3", "0.70", "665.00"),
    ({"claim_free_years": 7}, "A3", "0.70", "665.00"),
    ({"at_fault_claims": 1}, "A4", "1.00", "950.00"),
    ({"at_fault_claims": 2}, "A5", "1.10", "1045.00"),
    ({"at_fault_claims": 5}, "A5", "1.10", "1045.00"),
    ({"fatal": "1"}, "A6", "1.30", "1235.00"),
    ({"fatal": "1", "at_fault_claims": 1}, "A6", "1.30", "1235.00"),
    ({"fatal": "1", "at_fault_claims": 3}, "A6", "1.30", "1235.00"),  # death beats a count
]


@pytest.mark.parametrize(("history", "level", "factor", "premium"), LEVELS)
def test_every_floating_level_of_the_zhejiang_scheme(book, history, level, factor, premium) -> None:
    data = quote(book, use="family", seats=5, displacement="1.6", **history).as_json()
    assert (data["ctpl_level"], data["ctpl_factor"], data["ctpl_premium"]) == (
        level,
        factor,
        premium,
    )
    scheme = next(t for t in data["tables"] if t["code"] == "ctpl_floating")
    assert scheme["region"] == "zhejiang" and scheme["effective_from"].isoformat() == "2020-09-19"


@pytest.mark.parametrize(("history", "level", "factor", "premium"), LEVELS)
def test_every_floating_level_of_the_national_2008_scheme(
    book, history, level, factor, premium
) -> None:
    """The national scheme (region 'national') has no vehicle tax table of its own, so its
    交强险 part is computed alone, from the tables in force on the start date."""
    services, _ = book
    trial, problems = parse_form(
        {"use": "family", "seats": "5", "start": START, **{k: str(v) for k, v in history.items()}},
        today=TODAY.date(),
    )
    assert trial.start is not None
    with services.database.session() as session:
        national = load_book(session, "national", trial.start)
    ctpl = compute_ctpl(trial, national, problems)
    assert not problems and ctpl is not None
    assert (ctpl.level, rate_text(ctpl.factor), money_text(ctpl.premium)) == (
        level,
        factor,
        premium,
    )
    assert [v.region for v in national.table("ctpl_floating").versions] == ["national"]


def test_floating_applies_to_every_base(book) -> None:
    result = quote(book, use="coach", seats=40, at_fault_claims=2)
    assert result.ctpl.premium == Decimal("5159.00")  # 4690 × 1.10
    result = quote(book, use="truck", tonnage="3", curb_weight="2", trailer="1", claim_free_years=2)
    assert result.ctpl.premium == Decimal("352.80")  # 441.00 × 0.80


def test_history_contradictions_are_refused(book) -> None:
    field, message = refusal(
        book, use="family", seats=5, displacement="1.6", claim_free_years=2, at_fault_claims=1
    )
    assert (field, message) == ("claim_free_years", "上年有有责事故时连续无赔款年数应为 0")
    field, _ = refusal(
        book, use="family", seats=5, displacement="1.6", claim_free_years=1, fatal="1"
    )
    assert field == "fatal"


def test_limits_in_force_are_the_2020_ones(book) -> None:
    limits = quote(book, use="family", seats=5, displacement="1.6").ctpl.limits
    assert limits["at_fault:death_disability"] == Decimal(180000)
    assert limits["at_fault:medical"] == Decimal(18000)
    assert limits["no_fault:property"] == Decimal(100)
