"""The 360 view shows group members and related customers of other units only as a count
or "其他机构客户": never their names, ids or premium (service, CLI)."""

import json
from datetime import date
from decimal import Decimal

import pytest

from tests.factories import PASSWORD, make_customer, make_policy, make_user
from tui_crm.storage.models import CorporateGroup, CustomerRelation


def _book(services) -> tuple[int, int]:
    with services.database.session() as session:
        group = CorporateGroup(name="嘉兴交通集团")
        session.add(group)
        session.commit()
        gid = group.id
    head = make_customer(
        services, "嘉兴交通集团有限公司", kind="corporate", unit_code="330402", group_id=gid
    )
    sub = make_customer(
        services,
        "秀洲公交公司",
        kind="corporate",
        unit_code="330411",
        group_id=gid,
        parent_customer_id=head,
    )
    make_policy(services, head, date(2026, 3, 1), premium="50000")
    make_policy(services, sub, date(2026, 6, 1), premium="20000")
    with services.database.session() as session:
        session.add(CustomerRelation(customer_id=sub, related_customer_id=head, relation="parent"))
        session.commit()
    return head, sub


def test_out_of_scope_members_and_relations_are_not_named(services) -> None:
    _head, sub = _book(services)
    counter_xz = make_user(services, "counter_xz", "counter", "330411")
    view = services.customers.view(counter_xz, sub)
    assert view.group is not None
    assert [m.name for m in view.group.members] == ["秀洲公交公司"]
    assert view.group.other_units == 1
    assert view.group.premium_12m == Decimal("20000.00")  # no other unit's figures
    assert view.relations == [
        {"relation": "parent", "related_customer_id": None, "related_name": "其他机构客户"}
    ]
    manager = make_user(services, "manager", "manager", "3304")
    full = services.customers.view(manager, sub)
    assert full.group is not None and full.group.other_units == 0
    assert full.group.premium_12m == Decimal("70000.00")
    assert full.relations[0]["related_name"] == "嘉兴交通集团有限公司"


def test_cli_customer_show_json(tmp_path, monkeypatch, capsys) -> None:
    from tui_crm.cli import main
    from tui_crm.services.container import make_services
    from tui_crm.services.setup import ensure_ready
    from tui_crm.storage.db import Database

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", PASSWORD)
    database = Database.from_url(url)
    ensure_ready(database)
    services = make_services(database, fast_hash=True)
    _head, sub = _book(services)
    make_user(services, "counter_xz", "counter", "330411")
    with pytest.raises(SystemExit) as done:
        main(["customer", "show", str(sub), "--user", "counter_xz", "--json"])
    out = capsys.readouterr().out
    assert done.value.code in (0, None)
    assert "嘉兴交通集团有限公司" not in out and "50000" not in out and "70000" not in out
    assert json.loads(out)["group"]["other_units"] == 1
    database.dispose()
