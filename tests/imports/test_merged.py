"""Extract rows naming a customer merged into another: policies and vehicles attach to the
survivor (by the source's own number or by ID number), a claim follows its policy, and the
merged record's own customer row is refused with the survivor named, not written."""

import csv

import pytest
from sqlmodel import select

from tests.factories import make_user
from tests.imports.night import LI, WANG, write_csv
from tui_crm.services.container import Services
from tui_crm.storage.models import Claim, Customer, Policy, Vehicle

VIN = "LSVAU2187N2123456"
CUSTOMERS = [
    ["customer_key", "kind", "name", "id_number", "phone", "unit_code"],
    ["K1", "individual", "王建国", WANG, "13800001111", "330402"],
    ["K2", "individual", "王建國", LI, "13900002222", "330402"],
]


@pytest.fixture
def merged(services: Services, admin, tmp_path) -> tuple[int, int]:
    """K2 (李梅's ID number) merged into K1 by a supervisor: (survivor id, merged id)."""
    services.imports.run(admin, "customers", write_csv(tmp_path / "c.csv", CUSTOMERS, "utf-8"))
    with services.database.session() as session:
        ids = {c.id_number: c.id for c in session.exec(select(Customer)).all()}
    survivor, gone = ids[WANG], ids[LI]
    assert survivor is not None and gone is not None
    supervisor = make_user(services, "sup", "supervisor", "3304")
    services.duplicates.merge(supervisor, survivor, gone, reason="同一人")
    return survivor, gone


def test_rows_naming_a_merged_customer_attach_to_the_survivor(services, admin, merged, tmp_path):
    survivor, gone = merged
    vehicles = [["plate", "vin", "owner_key", "use"], ["浙F12345", VIN, "K2", "family"]]
    policies = [
        ["policy_no", "product", "holder_key", "insured_key", "vin", "unit_code", "start_date",
         "end_date", "premium"],
        ["PD1", "ctpl", "K2", LI, VIN, "330402", "2026-01-01", "2026-12-31", "950.00"],
        ["PD2", "accident", LI, "", "", "330402", "2026-01-01", "2026-12-31", "100.00"],
    ]  # fmt: skip
    claims = [
        ["claim_no", "policy_no", "loss_date", "reported_date", "status", "paid"],
        ["CL1", "PD1", "2026-03-01", "2026-03-02", "open", "0"],
    ]
    for kind, rows in (("vehicles", vehicles), ("policies", policies), ("claims", claims)):
        result = services.imports.run(
            admin, kind, write_csv(tmp_path / f"{kind}.csv", rows, "utf-8")
        )
        assert (result.inserted, result.rejected) == (len(rows) - 1, 0), kind
    with services.database.session() as session:
        assert session.exec(select(Vehicle.owner_customer_id)).all() == [survivor]
        policy_rows = session.exec(
            select(Policy.policy_no, Policy.customer_id, Policy.insured_id)
        ).all()
        assert sorted(policy_rows) == [("PD1", survivor, survivor), ("PD2", survivor, None)]
        assert session.exec(select(Claim.customer_id)).all() == [survivor]
        assert not session.exec(select(Policy).where(Policy.customer_id == gone)).all()


def test_the_merged_customers_own_row_is_refused_and_the_survivor_kept(
    services, admin, merged, tmp_path
):
    survivor, gone = merged
    with services.database.session() as session:
        before = {c.id: (c.name, c.id_number) for c in session.exec(select(Customer)).all()}
    # The same file again: its rows are as last imported, but K2's record was merged since.
    result = services.imports.run(admin, "customers", tmp_path / "c.csv")
    assert (result.inserted, result.updated, result.unchanged, result.rejected) == (0, 0, 1, 1)
    with open(result.rejects_file or "", encoding="utf-8-sig", newline="") as handle:
        refused = list(csv.DictReader(handle))
    assert [(r["row"], r["column"]) for r in refused] == [("3", "customer_key")]
    assert f"#{survivor}" in refused[0]["reason"]
    with services.database.session() as session:
        after = {c.id: (c.name, c.id_number) for c in session.exec(select(Customer)).all()}
    assert after == before
    assert after[gone] == ("王建國", LI)


def test_a_merge_of_a_merge_is_followed_to_the_last_survivor(services, admin, merged, tmp_path):
    survivor, _gone = merged
    third = [CUSTOMERS[0], ["K3", "individual", "王建囯", "", "", "330402"]]
    services.imports.run(admin, "customers", write_csv(tmp_path / "c3.csv", third, "utf-8"))
    with services.database.session() as session:
        last = session.exec(select(Customer.id).where(Customer.name == "王建囯")).one()
    supervisor = make_user(services, "sup2", "supervisor", "3304")
    services.duplicates.merge(supervisor, last, survivor, reason="同一人")
    policies = [
        ["policy_no", "product", "holder_key", "unit_code", "start_date", "end_date", "premium"],
        ["PD9", "accident", "K2", "330402", "2026-01-01", "2026-12-31", "100.00"],
    ]
    result = services.imports.run(
        admin, "policies", write_csv(tmp_path / "p.csv", policies, "utf-8")
    )
    assert (result.inserted, result.rejected) == (1, 0)
    with services.database.session() as session:
        assert session.exec(select(Policy.customer_id)).all() == [last]
