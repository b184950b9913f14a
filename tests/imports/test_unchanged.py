"""A later import of rows as they were last imported counts them unchanged without parsing
them or writing anything; a row whose book row changed since (a clerk's edit) goes the full
way and is set back to what the extract says, as before."""

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests.imports.night import P1, P2
from tui_crm.services.imports import import_folder
from tui_crm.services.imports.customers import Customers
from tui_crm.services.imports.finance import Claims, Receivables
from tui_crm.services.imports.policies import Policies
from tui_crm.services.imports.vehicles import Vehicles
from tui_crm.storage.models import AuditLog, ImportRow, Policy


def _rows(services) -> list[tuple[str, str, str, int, str]]:
    with services.database.session() as session:
        entries = session.exec(select(ImportRow)).all()
        return sorted((e.kind, e.key, e.digest, e.target_id, e.state) for e in entries)


def _refuse_parsing(monkeypatch) -> None:
    def parse(*_args, **_kwargs):
        raise AssertionError("a row as last imported was parsed")

    for kind in (Customers, Vehicles, Policies, Claims, Receivables):
        monkeypatch.setattr(kind, "parse", parse)


def test_rows_as_last_imported_are_counted_unchanged_and_nothing_written(services, admin, night):
    first = import_folder(services.imports, admin, night, profile="core_zh")
    kept = {r.kind: r.inserted + r.updated for r in first.imports}
    recorded = _rows(services)
    assert {kind for kind, *_ in recorded} == set(kept)
    assert len(recorded) == sum(kept.values())
    with services.database.session() as session:
        audit_rows = len(session.exec(select(AuditLog)).all())

    again = import_folder(services.imports, admin, night, profile="core_zh")
    assert [(r.kind, r.inserted, r.updated, r.unchanged) for r in again.imports] == [
        (kind, 0, 0, count) for kind, count in kept.items()
    ]
    assert [r.rejected for r in again.imports] == [r.rejected for r in first.imports]
    assert _rows(services) == recorded
    with services.database.session() as session:
        assert len(session.exec(select(AuditLog)).all()) == audit_rows + len(again.imports)
        assert session.exec(text("SELECT count(*) FROM derived_change")).one()[0] == 0


def test_good_rows_as_last_imported_skip_parsing(services, admin, tmp_path, monkeypatch):
    from tests.imports.night import CUSTOMERS, write_csv

    good = [CUSTOMERS[0], CUSTOMERS[1], CUSTOMERS[2], CUSTOMERS[4]]
    path = write_csv(tmp_path / "customers.csv", good, "utf-8")
    assert services.imports.run(admin, "customers", path).inserted == 3
    _refuse_parsing(monkeypatch)
    again = services.imports.run(admin, "customers", path)
    assert (again.status, again.unchanged, again.updated, again.rejected) == ("done", 3, 0, 0)


@pytest.mark.parametrize("edit", ["premium", "unit"])
def test_a_row_edited_in_the_book_since_is_set_back(services, admin, night, edit):
    import_folder(services.imports, admin, night, profile="core_zh")
    with services.database.session() as session:
        policy = session.exec(select(Policy).where(Policy.policy_no == P1)).one()
        wanted = (policy.premium, policy.unit_id)
        if edit == "premium":
            policy.premium = Decimal("1.00")
        else:
            policy.unit_id = policy.unit_id + 1
        session.add(policy)
        session.commit()

    again = services.imports.run(admin, "policies", night / "policies.csv", profile="core_zh")
    assert (again.updated, again.unchanged) == (1, 3)
    with services.database.session() as session:
        policy = session.exec(select(Policy).where(Policy.policy_no == P1)).one()
        assert (policy.premium, policy.unit_id) == wanted
        other = session.exec(select(Policy).where(Policy.policy_no == P2)).one()
        assert other.status == "active"
    third = services.imports.run(admin, "policies", night / "policies.csv", profile="core_zh")
    assert (third.updated, third.unchanged) == (0, 4)
