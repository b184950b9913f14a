"""`tui-crm quote --new-car`: a new car not yet registered, through the real entry point."""

from tests.factories import make_user

NEW_CAR = ["quote", "--user", "counter", "--use", "family", "--seats", "5",
           "--displacement", "2.0", "--new-car", "--start", "2030-03-10"]  # fmt: skip


def test_new_car_tax_from_the_start_month_and_no_depreciation(run, cli_services) -> None:
    make_user(cli_services, "counter", "counter")
    result = run([*NEW_CAR, "--new-car-price", "150000", "--coverage", "damage", "--json"])
    assert result.code == 0, result.err
    data = result.json
    # 2.0 L: 360 a year, March..December = 10 months → 300.00
    assert (data["vehicle_tax_months"], data["vehicle_tax"]) == (10, "300.00")
    assert (data["new_car"], data["actual_value"]) == (True, "150000.00")
    assert (data["ncd_level"], data["ncd_factor"], data["ctpl_level"]) == (0, "1.00", "A0")
    assert data["commercial"][0]["premium"] == "1660.00"  # (270 + 975) ÷ 0.75 × 1.00
    assert data["total"] == "2910.00"  # 950 + 300 + 1660


def test_new_car_with_a_purchase_date(run, cli_services) -> None:
    make_user(cli_services, "counter", "counter")
    result = run([*NEW_CAR, "--purchase-date", "2030-01-20", "--json"])
    assert result.code == 0, result.err
    # bought in January: 360 × 12 / 12
    assert (result.json["vehicle_tax_months"], result.json["vehicle_tax"]) == (12, "360.00")
    result = run([*NEW_CAR, "--purchase-date", "2030-02-28", "--json"])
    assert (result.json["vehicle_tax_months"], result.json["vehicle_tax"]) == (11, "330.00")


def test_new_car_table_says_so(run, cli_services) -> None:
    make_user(cli_services, "counter", "counter")
    result = run(NEW_CAR)
    assert result.code == 0, result.err
    assert "新车（未上牌）" in result.out


def test_new_car_with_a_first_registration_is_refused(run, cli_services) -> None:
    make_user(cli_services, "counter", "counter")
    result = run([*NEW_CAR, "--first-registration", "2030-03-01"])
    assert result.code == 1
    assert result.err.startswith("--first-registration: 新车（未上牌）没有初次登记日期")
    assert "Traceback" not in result.err
