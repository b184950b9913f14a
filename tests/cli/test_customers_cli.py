"""`tui-crm search`, `customer show`, `customer add`, `customer move`: JSON shapes,
masking per role, validation and duplicates as exit code 1 with the reason."""

import json
from datetime import date

import pytest

from tests.factories import make_customer, make_policy, make_user, make_vehicle

ID = "330402199001011230"  # a valid resident ID number


@pytest.fixture
def cli(cli_services):
    services = cli_services
    make_user(services, "counter", "counter", "330402")
    make_user(services, "manager", "manager", "3304")
    zhang = make_customer(services, "张三", id_number=ID, phone="13812345678")
    make_vehicle(services, zhang, "浙F12345", "LSVAB2BJ4EN123456")
    make_policy(services, zhang, date(2025, 1, 1), policy_no="PDAA202533040200001234")
    make_customer(services, "张伟", unit_code="330411", phone="13700005678")
    return services, zhang


def test_search_json(cli, run) -> None:
    _services, zhang = cli
    result = run(["search", "张", "5678", "--user", "counter", "--json"])
    assert result.code == 0
    rows = result.json
    assert [r["id"] for r in rows] == [zhang]  # 张伟 is another county's customer
    row = rows[0]
    assert row["name"] == "张三" and row["kind"] == "individual"
    assert row["customer_class"] == "floating"
    assert row["id_number_masked"] == "330402********1230"
    assert row["phone_masked"] == "138****5678"
    assert set(row["matched_on"]) == {"name", "phone"}


def test_search_limit_and_table_output(cli, run) -> None:
    result = run(["search", "zs", "--user", "manager", "--limit", "1", "--json"])
    assert result.code == 0
    assert len(result.json) == 1
    result = run(["search", "浙F12345", "--user", "counter"])
    assert result.code == 0
    out = result.out
    assert "张三" in out and "车牌" in out and "330402********1230" in out


def test_customer_show_json(cli, run) -> None:
    _services, zhang = cli
    result = run(["customer", "show", str(zhang), "--user", "counter", "--json"])
    assert result.code == 0
    data = result.json
    assert data["id"] == zhang and data["name"] == "张三" and data["unit_code"] == "330402"
    assert data["customer_class"] == "floating" and data["class_reasons"] == []
    assert data["blacklist"]["status"] == "none"
    assert data["vehicles"][0]["plate"] == "浙F12345"
    assert data["vehicles"][0]["vin"] == "LSVAB2BJ4EN123456"
    assert data["policies"][0]["policy_no"] == "PDAA202533040200001234"
    assert data["policies"][0]["premium"] == "1000.00"
    assert data["claims"] == []
    assert data["id_number_masked"] == "330402********1230"
    assert "13812345678" not in json.dumps(data)


def test_customer_show_reveal_is_refused_for_managers(cli, run) -> None:
    _services, zhang = cli
    result = run(["customer", "show", str(zhang), "--user", "counter", "--reveal", "--json"])
    assert result.code == 0
    assert result.json["id_number"] == ID
    result = run(["customer", "show", str(zhang), "--user", "manager", "--reveal", "--json"])
    assert result.code == 1
    assert result.json["error"]["code"] == "wrong_role"


def test_customer_show_out_of_scope(cli, run) -> None:
    make_user(cli[0], "counter_xz", "counter", "330411")
    result = run(["customer", "show", str(cli[1]), "--user", "counter_xz", "--json"])
    assert result.code == 1
    assert result.json["error"]["code"] == "out_of_scope"


def test_customer_add_prints_the_new_id(cli, run) -> None:
    argv = ["customer", "add", "--kind", "individual", "--name", "李梅"]
    argv += ["--id-number", "330402199001011249", "--phone", "13900001111"]
    result = run([*argv, "--user", "counter", "--json"])
    assert result.code == 0
    new_id = result.json["id"]
    assert isinstance(new_id, int)
    result = run(["search", "13900001111", "--user", "counter", "--json"])
    assert result.code == 0
    assert result.json[0]["id"] == new_id


def test_customer_add_company_with_credit_code(cli, run) -> None:
    argv = ["customer", "add", "--kind", "corporate", "--name", "嘉兴机械厂"]
    argv += ["--credit-code", "91330402MA2B3C4D53", "--unit", "330402-01"]
    result = run([*argv, "--user", "counter", "--json"])
    assert result.code == 0
    assert isinstance(result.json["id"], int)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (["--id-number", "330402199001011231"], "id_number"),  # wrong check digit
        (["--phone", "12345"], "phone"),
        (["--credit-code", "91330402MA2B3C4D53"], "credit_code"),  # not for individuals
        (["--unit", "330411"], "unit"),  # outside the clerk's units
    ],
)
def test_customer_add_invalid_exit_1_with_reason(cli, run, extra, field) -> None:
    argv = ["customer", "add", "--kind", "individual", "--name", "王五", *extra]
    result = run([*argv, "--user", "counter", "--json"])
    assert result.code == 1
    out = result
    error = json.loads(out.out)["error"]
    assert error["field"] == field and error["message"] and out.err.strip()


def test_customer_add_duplicate_exit_1(cli, run) -> None:
    argv = ["customer", "add", "--kind", "individual", "--name", "张三", "--id-number", ID]
    result = run([*argv, "--user", "counter", "--json"])
    assert result.code == 1
    error = result.json["error"]
    assert error["code"] == "duplicate" and "张三" in error["message"]
    same_phone = ["customer", "add", "--kind", "individual", "--name", "张三妻"]
    same_phone += ["--phone", "13812345678", "--user", "counter", "--json"]
    result = run(same_phone)
    assert result.code == 1
    result = run([*same_phone, "--allow-duplicate"])
    assert result.code == 0


def test_customer_move_by_manager(cli, run) -> None:
    _services, zhang = cli
    argv = ["customer", "move", str(zhang), "--unit", "330411", "--reason", "搬家"]
    result = run([*argv, "--user", "counter", "--json"])
    assert result.code == 1
    result = run([*argv, "--user", "manager", "--json"])
    assert result.code == 0
    assert result.json == {"id": zhang, "unit_code": "330411", "version": 2}
