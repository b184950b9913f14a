"""`quote --customer`: one vehicle prefills the trial; several are listed for --vehicle."""

import json

import pytest

from tests.factories import make_customer, make_user, make_vehicle
from tui_crm.cli import main
from tui_crm.services.container import make_services
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database


@pytest.fixture
def book(tmp_path, monkeypatch):
    db = Database.from_url(f"sqlite:///{tmp_path / 'cli.db'}")
    ensure_ready(db)
    services = make_services(db, fast_hash=True)
    make_user(services, "counter", "counter")
    one = make_customer(services, "张三")
    car = make_vehicle(services, one, "浙F12345", seats=5, displacement="1.6")
    two = make_customer(services, "李四")
    first = make_vehicle(services, two, "浙F22222", seats=5, displacement="1.5")
    second = make_vehicle(services, two, "浙FD33333", seats=7, displacement="2.0")
    db.dispose()
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    return {"one": one, "car": car, "two": two, "first": first, "second": second}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    out = capsys.readouterr()
    return int(done.value.code or 0), out.out, out.err


def test_a_customer_with_one_vehicle_is_quoted_from_it(book, capsys) -> None:
    quote = ("quote", "--user", "counter", "--json")
    code, out, err = run(capsys, *quote, "--customer", str(book["one"]))
    assert code == 0, err
    by_customer = json.loads(out)
    code, out, _ = run(capsys, *quote, "--vehicle", str(book["car"]))
    assert code == 0 and json.loads(out)["total"] == by_customer["total"]
    assert by_customer["vehicle_tax"] == "300.00"  # 1.6 L from the vehicle


def test_a_customer_with_several_vehicles_is_asked_which(book, capsys) -> None:
    code, _, err = run(capsys, "quote", "--user", "counter", "--customer", str(book["two"]))
    assert code == 1
    assert err.strip() == (
        f"请用 --vehicle 指定车辆：{book['first']} 浙F22222，{book['second']} 浙FD33333"
    )
    code, out, err = run(
        capsys, "quote", "--user", "counter", "--json",
        "--customer", str(book["two"]), "--vehicle", str(book["second"]),
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["vehicle_tax"] == "360.00"  # the 2.0 L one
