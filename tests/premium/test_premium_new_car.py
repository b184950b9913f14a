"""A new car not yet registered (新车未上牌): 车船税 from the purchase month (the policy
start by default), vehicle age 0, actual value = new-car price, NCD and 交强险 floating as
a first-year vehicle; a first registration or a claim history with it is refused."""

from decimal import Decimal

import pytest

from tests.factories import TODAY, make_user
from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.premium import TrialInvalid, breakdown
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database

NEW_CAR = {"use": "family", "seats": "5", "displacement": "1.6", "new_car": "1"}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    db = Database.from_url(f"sqlite:///{tmp_path_factory.mktemp('new') / 'p.db'}")
    ensure_ready(db)
    services = make_services(db, clock=FixedClock(TODAY), fast_hash=True)
    yield services, make_user(services, "quoter", "counter")
    db.dispose()


def quote(book, *coverage: str, **values):
    services, actor = book
    return services.premium.quote(
        actor, {**NEW_CAR, **{k: str(v) for k, v in values.items()}, "coverage": list(coverage)}
    )


def refusal(book, **values) -> tuple[str | None, str]:
    with pytest.raises(TrialInvalid) as caught:
        quote(book, start="2027-03-10", **values)
    error = caught.value.errors[0]
    return error.field, error.message


def test_tax_counts_from_the_start_month_when_no_purchase_date(book) -> None:
    # 1.6 L: 300 a year; March..December = 10 months → 250.00
    tax = quote(book, start="2027-03-10").tax
    assert (tax.tax_year, tax.months, tax.amount) == (2027, 10, Decimal("250.00"))


def test_tax_counts_from_the_purchase_month(book) -> None:
    # bought in February, cover from March: 300 × 11 / 12 = 275.00
    tax = quote(book, start="2027-03-10", purchase_date="2027-02-15").tax
    assert (tax.months, tax.amount) == (11, Decimal("275.00"))
    # bought in the year before the tax year: the full year
    tax = quote(book, start="2027-01-10", purchase_date="2026-12-20").tax
    assert (tax.months, tax.amount) == (12, Decimal("300.00"))


def test_prorated_tax_rounds_half_up_to_the_fen(book) -> None:
    # 60 × 1.001 t = 60.06 a year; a December start: 60.06 / 12 = 5.005 → 5.01
    tax = quote(
        book, use="truck", seats="", displacement="", tonnage="3", curb_weight="1.001",
        start="2026-12-10",
    ).tax  # fmt: skip
    assert (tax.annual, tax.months, tax.amount) == (Decimal("60.06"), 1, Decimal("5.01"))


def test_commercial_rated_as_a_first_year_vehicle_without_depreciation(book) -> None:
    result = quote(
        book, "damage", "third_party:1000000", start="2027-03-10", new_car_price="150000"
    )
    assert result.valuation is not None
    assert (result.valuation.months_used, result.valuation.actual_value) == (
        0,
        Decimal("150000.00"),
    )
    assert (result.ncd_level, result.ncd_factor, result.ncd_derived) == (0, Decimal("1.00"), True)
    assert (result.ctpl.level, result.ctpl.premium) == ("A0", Decimal("950.00"))
    damage, third_party = result.commercial
    assert damage.sum_insured == Decimal("150000.00")
    assert damage.base_pure_premium == Decimal("1245.00")  # 270 + 0.0065 × 150000
    assert (damage.base_premium, damage.premium) == (Decimal("1660.00"), Decimal("1660.00"))
    assert third_party.premium == Decimal("933.33")
    # 950 + 250 + 1660 + 933.33
    assert result.total == Decimal("3793.33")
    assert result.as_json()["new_car"] is True


def test_breakdown_says_new_car(book) -> None:
    lines = breakdown(quote(book, "damage", start="2027-03-10", new_car_price="150000"))
    items = [line.item for line in lines]
    assert "新车（未上牌）" in items
    assert items.index("新车（未上牌）") < items.index("实际价值")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"first_registration": "2027-03-01"}, "first_registration"),
        ({"claim_free_years": "2"}, "claim_free_years"),
        ({"at_fault_claims": "1"}, "at_fault_claims"),
        ({"fatal": "1"}, "fatal"),
        ({"ncd_level": "0"}, "ncd_level"),
    ],
)
def test_a_new_car_with_a_registration_or_history_is_refused(book, values, field) -> None:
    named, message = refusal(book, **values)
    assert named == field
    assert message.startswith("新车")


def test_a_registered_car_is_not_a_new_car(book) -> None:
    result = quote(book, start="2027-03-10", new_car="", first_registration="2027-03-01")
    assert result.as_json()["new_car"] is False
    assert "新车（未上牌）" not in [line.item for line in breakdown(result)]


def test_proposal_form_says_new_car_under_first_registration(book, tmp_path) -> None:
    services, actor = book
    result = quote(book, "damage", start="2027-03-10", new_car_price="150000")
    files = services.proposals.save_form(actor, result, folder=tmp_path, formats=("txt",))
    assert files.txt is not None
    row = next(line for line in files.txt.read_text("utf-8").splitlines() if "初次登记" in line)
    assert "新车（未上牌）" in row
