"""Identifier checks: valid and invalid cases per kind, and the `validate` command's exit codes."""

import json
import re
from datetime import date

import pytest
from stdnum.cn import ric, uscc

from tui_crm.cli import main
from tui_crm.i18n import set_language
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.validation import (
    IdVerdict,
    PhoneVerdict,
    PlateVerdict,
    UsccVerdict,
    VinVerdict,
)
from tui_crm.services.validation.identifiers import require, validate, vin_check_digit

TODAY = date(2026, 11, 25)


def resident_id(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def credit_code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


def vin(without_check: str) -> str:
    """A VIN from 16 characters: the check digit is inserted at position 9."""
    draft = without_check[:8] + "0" + without_check[8:]
    return draft[:8] + vin_check_digit(draft) + draft[9:]


# ---------------------------------------------------------------- resident ID


def test_resident_id_valid_with_facts() -> None:
    number = resident_id("33040219900307123")
    verdict = validate("id", number, today=TODAY)
    assert isinstance(verdict, IdVerdict)
    assert verdict.valid, verdict.reason
    assert verdict.normalised == number
    assert verdict.birth_date == date(1990, 3, 7)
    assert verdict.gender == "M"  # 17th digit 3 is odd
    assert verdict.region_code == "330402"
    assert verdict.region_name == "浙江省嘉兴市南湖区"
    assert verdict.warnings == []


def test_resident_id_lowercase_x_and_spaces_accepted() -> None:
    assert ric.calc_check_digit("110105194912310020") == "X"
    verdict = validate("id", " 110105 19491231 002x ", today=TODAY)
    assert isinstance(verdict, IdVerdict)
    assert verdict.valid
    assert verdict.normalised == "11010519491231002X"
    assert verdict.gender == "F"


def test_resident_id_wrong_check_digit() -> None:
    good = resident_id("33040219900307123")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    verdict = validate("id", wrong, today=TODAY)
    assert not verdict.valid
    assert good[17] in verdict.reason  # tells the expected check character


@pytest.mark.parametrize("birth", ["19900230", "19901301", "20270101"])
def test_resident_id_bad_or_future_birth_date(birth: str) -> None:
    verdict = validate("id", resident_id("330402" + birth + "123"), today=TODAY)
    assert not verdict.valid
    assert "出生日期" in verdict.reason


def test_resident_id_retired_region_code_warns_but_passes() -> None:
    # 330401 (嘉兴市市辖区) was used on old IDs and is not a current county code.
    verdict = validate("id", resident_id("33040119650412001"), today=TODAY)
    assert isinstance(verdict, IdVerdict)
    assert verdict.valid
    assert len(verdict.warnings) == 1 and "330401" in verdict.warnings[0]
    assert verdict.region_name == "浙江省嘉兴市"


def test_resident_id_unknown_province_warns_but_passes() -> None:
    verdict = validate("id", resident_id("99010119800101001"), today=TODAY)
    assert verdict.valid and verdict.warnings


@pytest.mark.parametrize("value", ["", "3304021990030712", "33040219900307123A", "330402900307123"])
def test_resident_id_wrong_shape(value: str) -> None:
    assert not validate("id", value, today=TODAY).valid


def test_resident_id_english_message() -> None:
    set_language("en")
    verdict = validate("id", "123", today=TODAY)
    assert verdict.reason == "A resident ID number has 18 characters (3 given)"


# ---------------------------------------------------------------- credit code


def test_credit_code_valid() -> None:
    verdict = validate("uscc", "91110000600037341L")
    assert isinstance(verdict, UsccVerdict)
    assert verdict.valid
    assert verdict.organisation_code == "600037341"
    assert verdict.warnings == []


def test_credit_code_tolerates_letters_in_first_eight() -> None:
    code = credit_code("N2330402MA2B1234X")  # a village collective
    assert not uscc.is_valid(code)  # python-stdnum alone would refuse it
    verdict = validate("uscc", code.lower())
    assert verdict.valid, verdict.reason
    assert verdict.normalised == code


def test_credit_code_refuses_letters_in_the_division_code() -> None:
    code = credit_code("9133A402MA2B1234X")  # characters 3–8 are division digits
    verdict = validate("uscc", code)
    assert not verdict.valid
    assert "第3–8位" in verdict.reason and "33A402" in verdict.reason


def test_credit_code_wrong_check_and_bad_characters() -> None:
    assert not validate("uscc", "91110000600037341M").valid
    verdict = validate("uscc", "91110000600037341I")
    assert not verdict.valid and "I" in verdict.reason
    assert not validate("uscc", "9111000060003734").valid


# ---------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("value", "normalised", "phone_type", "area"),
    [
        ("13812345678", "13812345678", "mobile", None),
        ("+86 138 1234 5678", "13812345678", "mobile", None),
        ("0573-82345678", "057382345678", "landline", "0573"),
        ("(0572) 2234567", "05722234567", "landline", "0572"),  # 湖州: 7 digits
        ("010-62345678", "01062345678", "landline", "010"),
    ],
)
def test_phone_valid(value: str, normalised: str, phone_type: str, area: str | None) -> None:
    verdict = validate("phone", value)
    assert isinstance(verdict, PhoneVerdict)
    assert verdict.valid, verdict.reason
    assert (verdict.normalised, verdict.phone_type, verdict.area_code) == (
        normalised,
        phone_type,
        area,
    )


def test_phone_local_number_assumes_jiaxing_with_warning() -> None:
    verdict = validate("phone", "82345678")
    assert verdict.valid and verdict.normalised == "057382345678" and verdict.warnings


@pytest.mark.parametrize(
    "value",
    [
        "12812345678",
        "1381234567",
        "138123456789",
        "0573-123456",
        "0573-02345678",
        "abc",
        "0",
        "0-",
        "0573-9640022",  # Jiaxing numbers have 8 digits
        "9640022",  # a local number taken as Jiaxing: 8 digits too
        "0571-8123456",  # Hangzhou: 8 digits
        "0572-22345678",  # Huzhou: 7 digits
    ],
)
def test_phone_invalid(value: str) -> None:
    assert not validate("phone", value).valid


def test_phone_jiaxing_seven_digits_names_the_length() -> None:
    verdict = validate("phone", "0573-9640022")
    assert "0573" in verdict.reason and "8" in verdict.reason


@pytest.mark.parametrize("value", ["400-820-8820", "800-810-8888"])
def test_phone_service_numbers_for_companies_only(value: str) -> None:
    person = validate("phone", value)
    assert not person.valid and "400/800" in person.reason
    company = validate("phone", value, corporate=True)
    assert isinstance(company, PhoneVerdict)
    assert company.valid, company.reason
    assert company.phone_type == "service"
    assert company.normalised == value.replace("-", "")


# ---------------------------------------------------------------- plate


@pytest.mark.parametrize(
    ("value", "normalised", "new_energy", "size"),
    [
        ("浙F12345", "浙F12345", False, None),
        ("浙f 3a5b7", "浙F3A5B7", False, None),
        ("浙FD12345", "浙FD12345", True, "small"),
        ("浙F·FA1234", "浙FFA1234", True, "small"),
        ("浙FA12345", "浙FA12345", True, "small"),
        ("浙F12345D", "浙F12345D", True, "large"),
        ("浙F1234挂", "浙F1234挂", False, None),
    ],
)
def test_plate_valid(value: str, normalised: str, new_energy: bool, size: str | None) -> None:
    verdict = validate("plate", value)
    assert isinstance(verdict, PlateVerdict)
    assert verdict.valid, verdict.reason
    assert (verdict.normalised, verdict.new_energy, verdict.size) == (normalised, new_energy, size)
    assert verdict.city == "嘉兴"


@pytest.mark.parametrize(
    "value",
    [
        "F12345",
        "浙F1234",
        "浙FI2345",
        "浙FO2345",
        "浙112345",
        "浙FX12345",
        "浙F1234D5",
        "",
        "宁LD7LMXS",  # new-energy small: four digits at the end (GA 36-2018)
        "浙FF1234A",
        "浙FDA12B4",
    ],
)
def test_plate_invalid(value: str) -> None:
    assert not validate("plate", value).valid


# ---------------------------------------------------------------- VIN


def test_vin_valid_known_example() -> None:
    verdict = validate("vin", "1m8gdm9axkp042788")
    assert isinstance(verdict, VinVerdict)
    assert verdict.valid
    assert verdict.normalised == "1M8GDM9AXKP042788"
    assert (verdict.wmi, verdict.check_digit) == ("1M8", "X")


def test_vin_wrong_check_digit() -> None:
    verdict = validate("vin", "1M8GDM9A1KP042788")
    assert not verdict.valid and "X" in verdict.reason


@pytest.mark.parametrize("letter", ["I", "O", "Q"])
def test_vin_refuses_i_o_q(letter: str) -> None:
    good = vin("LSVAA4182E212345")
    assert validate("vin", good).valid
    bad = good[:12] + letter + good[13:]
    verdict = validate("vin", bad)
    assert not verdict.valid and letter in verdict.reason


def test_vin_wrong_length() -> None:
    assert not validate("vin", "LSVAA4182E21234").valid


# ---------------------------------------------------------------- service helper


def test_require_raises_with_field() -> None:
    assert require("plate", "浙f12345") == "浙F12345"
    with pytest.raises(ValidationFailed) as caught:
        require("vin", "123", field="vin_field")
    assert caught.value.field == "vin_field"


def test_unknown_kind() -> None:
    with pytest.raises(ValueError):
        validate("passport", "E1234567")


# ---------------------------------------------------------------- CLI


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_cli_valid_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "validate", "id", "11010519491231002x", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "id" and data["valid"] is True
    assert data["normalised"] == "11010519491231002X"
    assert data["birth_date"] == "1949-12-31" and data["gender"] == "F"


def test_cli_invalid_exit_1_with_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "validate", "vin", "1M8GDM9A1KP042788", "--lang", "en")
    assert code == 1
    assert "Wrong check digit" in err
    assert "INVALID" in out


def test_cli_invalid_json_carries_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "validate", "plate", "浙FI2345", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["valid"] is False and data["error"]["code"] == "invalid"


def test_cli_table_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "validate", "phone", "0573-82345678")
    assert code == 0 and "固定电话有效" in out and "0573" in out


def test_cli_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run_cli(capsys, "validate", "passport", "E1")
    assert code == 2


def test_customer_landline_takes_a_service_number_for_companies_only() -> None:
    from tui_crm.services.customers.input import check_field

    company = check_field("company", "landline", "400-820-8820")
    assert company.errors == {} and company.values["landline"] == "4008208820"
    person = check_field("individual", "landline", "400-820-8820")
    assert "400/800" in person.errors["landline"]


def readme_validate_examples() -> list[tuple[str, str]]:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    return re.findall(r"tui-crm validate (\w+) (\S+)", readme)


def test_readme_has_validate_examples() -> None:
    assert readme_validate_examples()


@pytest.mark.parametrize(("kind", "value"), readme_validate_examples())
def test_readme_validate_examples_are_valid(
    capsys: pytest.CaptureFixture[str], kind: str, value: str
) -> None:
    code, out, err = run_cli(capsys, "validate", kind, value)
    assert code == 0, out + err
