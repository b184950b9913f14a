"""A night's folder imported in order: counts, rejects, what the 360 view shows, and a
second import of the same files changing nothing."""

import csv
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from tests.imports.night import HEFENG, LI, P1, P2, P4, WANG, ZHANG
from tui_crm.services.imports import import_folder
from tui_crm.storage.models import (
    AuditLog,
    Claim,
    Customer,
    CustomerExternalKey,
    ImportBatch,
    Payment,
    Policy,
    Receivable,
    Vehicle,
)


def counts(result) -> dict[str, tuple[int, int, int, int, int]]:
    return {
        r.kind: (r.read, r.inserted, r.updated, r.unchanged, r.rejected) for r in result.imports
    }


def rejects(path: str | None) -> list[dict[str, str]]:
    assert path is not None
    file = Path(path)
    encoding = "gb18030" if file.name.startswith("vehicles") else "utf-8-sig"
    with file.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def table_count(services, model) -> int:
    with services.database.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_night_folder_counts_rejects_and_reimport(services, admin, night, hand_made):
    result = import_folder(services.imports, admin, night, profile="core_zh")
    assert not result.failures
    assert counts(result) == {
        "customers": (7, 3, 1, 0, 3),
        "vehicles": (3, 2, 0, 0, 1),
        "policies": (8, 4, 0, 0, 4),
        "claims": (3, 2, 0, 0, 1),
        "receivables": (2, 2, 0, 0, 0),
    }
    assert not result.ok  # rows were rejected

    by_kind = {r.kind: r for r in result.imports}
    customers = rejects(by_kind["customers"].rejects_file)
    assert [(r["row"], r["column"]) for r in customers] == [
        ("6", "id_number"),
        ("7", "unit_code"),
        ("8", "customer_key"),
    ]
    assert "校验位" in customers[0]["reason"] and customers[0]["name"] == "赵六"
    assert "重复" in customers[2]["reason"]
    vehicles = rejects(by_kind["vehicles"].rejects_file)
    assert [(r["row"], r["column"], r["plate"]) for r in vehicles] == [
        ("4", "owner_key", "浙F99999")
    ]
    policies = rejects(by_kind["policies"].rejects_file)
    assert [(r["row"], r["column"]) for r in policies] == [
        ("6", "end_date"),
        ("7", "premium"),
        ("8", "premium"),
        ("9", "holder_key"),
    ]
    assert policies[0]["保单号"] == "PDAA202633040200000005"  # the row as it was
    claims = Path(by_kind["claims"].rejects_file or "")
    assert claims.suffix == ".xlsx"
    assert by_kind["receivables"].rejects_file is None

    with services.database.session() as session:
        people = {c.id_number: c for c in session.exec(select(Customer)).all()}
        assert set(people) == {WANG, LI, ZHANG, HEFENG}
        wang = people[WANG]
        assert wang.id == hand_made and wang.source == "walk_in"  # matched, not duplicated
        assert str(wang.birth_date) == "1980-01-01" and wang.gender == "M"
        assert people[ZHANG].source == "core"  # the 15-digit number stored as 18 digits
        holders = dict(session.exec(select(Policy.policy_no, Policy.customer_id)).all())
        assert holders[P2] == people[LI].id  # named by the 15-digit number
        assert holders[P4] == people[HEFENG].id
        keys = session.exec(select(CustomerExternalKey.key)).all()
        assert sorted(keys) == ["C001", "C002", "C004"]
        assert sorted(p.amount for p in session.exec(select(Payment)).all()) == [3200, 6000]

        audited = session.exec(
            select(AuditLog).where(
                AuditLog.entity == "customer", AuditLog.entity_id == str(hand_made)
            )
        ).one()
        assert audited.action == "update" and "1980-01-01" in (audited.after or "")

    view = services.customers.view(admin, hand_made, remember=False)
    assert [p["policy_no"] for p in view.policies] == [P1]
    assert [c["claim_no"] for c in view.claims] == ["CLM2026000001"]
    assert [v["plate"] for v in view.vehicles] == ["浙F12345"]

    product = services.reports.run(admin, "product", {"from": "2026-01-01", "to": "2026-11-30"})
    lines = {r["code"]: r for r in product.frame.to_dict("records")}
    assert {code: (r["written"], r["paid"]) for code, r in lines.items()} == {
        "property": (Decimal("12000.00"), 0),
        "motor_commercial": (Decimal("3200.00"), Decimal("1800.00")),
        "ctpl": (Decimal("950.00"), 0),
        "accident": (Decimal("300.00"), 0),
    }

    found = services.search.search(admin, "禾丰贸易").hits  # inside the name
    assert [h.name for h in found] == ["嘉兴禾丰贸易有限公司"]
    if services.database.is_sqlite:  # the full-text table has the imported address
        with services.database.connect() as connection:
            fts = connection.exec_driver_sql(
                "SELECT rowid FROM customer_fts WHERE address LIKE '%东栅街道%'"
            ).all()
        assert [row[0] for row in fts] == [hand_made]

    before = {m: table_count(services, m) for m in (Customer, Vehicle, Policy, Claim, Receivable)}
    again = import_folder(services.imports, admin, night, profile="core_zh")
    assert {k: (c[1], c[2]) for k, c in counts(again).items()} == {
        k: (0, 0) for k in ("customers", "vehicles", "policies", "claims", "receivables")
    }
    assert counts(again)["policies"] == (8, 0, 0, 4, 4)
    after = {m: table_count(services, m) for m in before}
    assert after == before
    assert table_count(services, ImportBatch) == 10
    with services.database.session() as session:
        imports = session.exec(select(AuditLog).where(AuditLog.action == "import")).all()
        assert len(imports) == 10 and '"rejected": 4' in (imports[2].after or "")
