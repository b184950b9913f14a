"""Importing a hand-made registry snapshot: counts, matches, floating customers,
prospects, conflicts; the second import of the same snapshot changes nothing."""

import csv
from datetime import date

import pytest
from sqlmodel import select

from tests.duplicates.book import snapshot
from tests.factories import make_user
from tests.registry.book import EXPECTED, NEW_OWNER, build, vin, write_csv, write_xlsx
from tui_crm.services.core import Forbidden
from tui_crm.services.registry import renewal_due
from tui_crm.storage.models import Customer, RegistryRecord

BATCHES = frozenset({"registry_batch"})


@pytest.fixture
def admin(services):
    return make_user(services, "adm", "admin", "3304")


def _records(services) -> dict[str, RegistryRecord]:
    with services.database.session() as session:
        return {r.plate or r.vin: r for r in session.exec(select(RegistryRecord)).all()}


def test_counts_matches_and_second_import(services, admin, tmp_path):
    book = build(services)
    path = write_csv(tmp_path / "registry.csv")
    result = services.registry.import_file(admin, path)
    assert {k: v for k, v in result.as_json().items() if k != "batch_id"} == EXPECTED
    records = _records(services)
    assert len(records) == 8
    assert records["浙F11111"].matched_on == "vin" and records["浙F11111"].status == "insured"
    assert records["浙F11111"].customer_id == book.by_vin
    assert records["浙F22222"].matched_on == "plate" and records["浙F22222"].status == "lapsed"
    assert records["浙F33333"].matched_on == "plate" and records["浙F33333"].status == "insured"
    assert records["浙F40404"].matched_on == "owner_id"
    assert records["浙F40404"].status == "not_insured"
    assert records["浙F40404"].customer_id == book.old_id  # no second copy of 赵四
    assert records["浙F55555"].status == "insured"
    owners = {records[p].customer_id for p in ("浙F60001", "浙F60002", "浙F60003")}
    assert len(owners) == 1  # one customer per owner, not per vehicle
    with services.database.session() as session:
        new = session.get(Customer, owners.pop())
        assert (new.source, new.customer_class, new.id_number) == (
            "registry",
            "floating",
            NEW_OWNER,
        )
        assert new.unit_id == records["浙F60001"].unit_id
        lapsed = session.get(Customer, book.lapsed)
        assert lapsed.lapsed_to_competitor and lapsed.customer_class == "prospect"
    with path.with_name("registry.rejects.csv").open(encoding="utf-8-sig") as handle:
        rejects = list(csv.DictReader(handle))
    assert [r["owner_name"] for r in rejects] == ["坏车架", "无车牌", "坏证件", "坏区县", "外地"]
    assert all(r["reason"] for r in rejects)

    before = snapshot(services, BATCHES)
    again = services.registry.import_file(admin, path)
    assert again.changed == 0 and again.batch_id != result.batch_id
    assert snapshot(services, BATCHES) == before


@pytest.mark.parametrize("kind", ["gb18030", "xlsx"])
def test_gb18030_and_xlsx_read_the_same(services, admin, tmp_path, kind):
    build(services)
    if kind == "xlsx":
        path = write_xlsx(tmp_path / "registry.xlsx")
    else:
        path = write_csv(tmp_path / "registry.csv", encoding="gb18030")
    result = services.registry.import_file(admin, path)
    assert {k: v for k, v in result.as_json().items() if k != "batch_id"} == EXPECTED


def test_prospects_and_conflicts(services, admin, tmp_path):
    build(services)
    services.registry.import_file(admin, write_csv(tmp_path / "registry.csv"))
    supervisor = make_user(services, "sup_xz", "supervisor", "330411")
    listed = services.registry.prospects(supervisor)
    assert [p.plate for p in listed] == ["浙F60003", "浙F60001", "浙F60002"]  # renewal first
    assert listed[0].renewal_due == date(2026, 11, 29)
    assert listed[0].owner_id_masked.startswith("330411") and "*" in listed[0].owner_id_masked
    assert listed[0].registration_year == 2024
    manager = make_user(services, "mgr", "manager", "3304")
    kinds = {c.kind: c for c in services.registry.conflicts(manager)}
    assert kinds["vehicle_two_units"].units == ["330402", "330411"]
    assert len(kinds["vehicle_two_units"].policies) == 2
    assert kinds["prospect_insured_elsewhere"].subject == "赵四"
    assert kinds["prospect_insured_elsewhere"].units[0] == "330421"
    with pytest.raises(Forbidden):
        services.registry.conflicts(supervisor)
    out = tmp_path / "prospects.csv"
    assert services.registry.export_prospects(manager, listed, out) == 3
    assert "330411800202456" not in out.read_text(encoding="utf-8-sig")


def test_only_import_rights_import(services, tmp_path):
    counter = make_user(services, "ctr", "counter")
    with pytest.raises(Forbidden):
        services.registry.import_file(counter, write_csv(tmp_path / "r.csv"))


def test_renewal_due_is_the_day_before_the_anniversary():
    assert renewal_due(date(2020, 3, 15), date(2026, 11, 25)) == date(2027, 3, 14)
    assert renewal_due(date(2020, 12, 1), date(2026, 11, 25)) == date(2026, 11, 30)
    assert renewal_due(date(2020, 2, 29), date(2026, 11, 25)) == date(2027, 2, 28)
    assert vin(1) != vin(2)


def test_chunks_progress_and_cancel(services, admin, tmp_path, monkeypatch):
    import tui_crm.services.registry.service as registry_service
    from tui_crm.services.core import ValidationFailed

    build(services)
    monkeypatch.setattr(registry_service, "CHUNK", 3)  # the hand-made file in five chunks
    path = write_csv(tmp_path / "registry.csv")
    with pytest.raises(ValidationFailed):
        services.registry.import_file(admin, path, cancelled=lambda: True)
    assert _records(services) == {}
    told: list[int] = []
    result = services.registry.import_file(admin, path, progress=told.append)
    assert {k: v for k, v in result.as_json().items() if k != "batch_id"} == EXPECTED
    assert told == [3, 6, 13]  # rows read when each full chunk (three valid rows) is matched
    owners = {r.customer_id for k, r in _records(services).items() if k.startswith("浙F6000")}
    assert len(owners) == 1  # one floating customer although the owner spans two chunks
