"""`tui-crm search`, `customer show`, `customer add`, `customer move`: JSON shapes,
masking per role, validation and duplicates as exit code 1 with the reason."""

import json
from datetime import date

import pytest

from tests.factories import make_customer, make_policy, make_user, make_vehicle
from tui_crm.cli import main
from tui_crm.services.container import make_services
from tui_crm.storage.db import Database

ID = "330402199001011230"  # a valid resident ID number


@pytest.fixture
def cli(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    monkeypatch.delenv("TUI_CRM_LANG", raising=False)
    from tui_crm.services.setup.seed import ensure_ready

    database = Database.from_url(url)
    ensure_ready(database)
    services = make_services(database, fast_hash=True)
    make_user(services, "counter", "counter", "330402")
    make_user(services, "manager", "manager", "3304")
    zhang = make_customer(services, "张三", id_number=ID, phone="13812345678")
    make_vehicle(services, zhang, "浙F12345", "LSVAB2BJ4EN123456")
    make_policy(services, zhang, date(2025, 1, 1), policy_no="PDAA202533040200001234")
    make_customer(services, "张伟", unit_code="330411", phone="13700005678")
    yield services, zhang
    database.dispose()


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(argv)
    return int(done.value.code or 0)


def test_search_json(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    _services, zhang = cli
    assert run(["search", "张", "5678", "--user", "counter", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [zhang]  # 张伟 is another county's customer
    row = rows[0]
    assert row["name"] == "张三" and row["kind"] == "individual"
    assert row["customer_class"] == "floating"
    assert row["id_number_masked"] == "330402********1230"
    assert row["phone_masked"] == "138****5678"
    assert set(row["matched_on"]) == {"name", "phone"}


def test_search_limit_and_table_output(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(["search", "zs", "--user", "manager", "--limit", "1", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert run(["search", "浙F12345", "--user", "counter"]) == 0
    out = capsys.readouterr().out
    assert "张三" in out and "车牌" in out and "330402********1230" in out


def test_customer_show_json(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    _services, zhang = cli
    assert run(["customer", "show", str(zhang), "--user", "counter", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
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


def test_customer_show_reveal_is_refused_for_managers(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    _services, zhang = cli
    assert run(["customer", "show", str(zhang), "--user", "counter", "--reveal", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id_number"] == ID
    code = run(["customer", "show", str(zhang), "--user", "manager", "--reveal", "--json"])
    assert code == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "wrong_role"


def test_customer_show_out_of_scope(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    make_user(cli[0], "counter_xz", "counter", "330411")
    assert run(["customer", "show", str(cli[1]), "--user", "counter_xz", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "out_of_scope"


def test_customer_add_prints_the_new_id(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    argv = ["customer", "add", "--kind", "individual", "--name", "李梅"]
    argv += ["--id-number", "330402199001011249", "--phone", "13900001111"]
    assert run([*argv, "--user", "counter", "--json"]) == 0
    new_id = json.loads(capsys.readouterr().out)["id"]
    assert isinstance(new_id, int)
    assert run(["search", "13900001111", "--user", "counter", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == new_id


def test_customer_add_company_with_credit_code(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    argv = ["customer", "add", "--kind", "corporate", "--name", "嘉兴机械厂"]
    argv += ["--credit-code", "91330402MA2B3C4D53", "--unit", "330402-01"]
    assert run([*argv, "--user", "counter", "--json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out)["id"], int)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (["--id-number", "330402199001011231"], "id_number"),  # wrong check digit
        (["--phone", "12345"], "phone"),
        (["--credit-code", "91330402MA2B3C4D53"], "credit_code"),  # not for individuals
        (["--unit", "330411"], "unit"),  # outside the clerk's units
    ],
)
def test_customer_add_invalid_exit_1_with_reason(cli, capsys, extra, field) -> None:  # type: ignore[no-untyped-def]
    argv = ["customer", "add", "--kind", "individual", "--name", "王五", *extra]
    assert run([*argv, "--user", "counter", "--json"]) == 1
    out = capsys.readouterr()
    error = json.loads(out.out)["error"]
    assert error["field"] == field and error["message"] and out.err.strip()


def test_customer_add_duplicate_exit_1(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    argv = ["customer", "add", "--kind", "individual", "--name", "张三", "--id-number", ID]
    assert run([*argv, "--user", "counter", "--json"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "duplicate" and "张三" in error["message"]
    same_phone = ["customer", "add", "--kind", "individual", "--name", "张三妻"]
    same_phone += ["--phone", "13812345678", "--user", "counter", "--json"]
    assert run(same_phone) == 1
    capsys.readouterr()
    assert run([*same_phone, "--allow-duplicate"]) == 0


def test_customer_move_by_manager(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    _services, zhang = cli
    argv = ["customer", "move", str(zhang), "--unit", "330411", "--reason", "搬家"]
    assert run([*argv, "--user", "counter", "--json"]) == 1
    capsys.readouterr()
    assert run([*argv, "--user", "manager", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"id": zhang, "unit_code": "330411", "version": 2}
