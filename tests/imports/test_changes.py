"""A later extract updates what changed (a cancellation, a claim closed and paid, a
payment) and nothing else; a dry run writes nothing; a file of the wrong kind is refused."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from tests.imports.night import CLAIMS, P2, P4, POLICIES, RECEIVABLES, write_csv
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.imports import import_folder, upgrade_id
from tui_crm.storage.models import Claim, ImportBatch, Payment, Policy, Receivable


def test_a_fifteen_digit_id_number_gains_its_year_and_check_digit() -> None:
    assert upgrade_id("330411900620003") == "330411199006200037"
    assert upgrade_id("110105491231002") == "11010519491231002X"


def test_a_later_extract_updates_what_changed(services, admin, night, tmp_path):
    import_folder(services.imports, admin, night, profile="core_zh")
    later = tmp_path / "later"
    later.mkdir()
    policies = [POLICIES[0], *[list(r) for r in POLICIES[1:5]]]
    policies[2][-1] = "退保"  # P2 cancelled
    policies[2].append("2026-09-01")
    policies[0] = [*policies[0], "退保日期"]
    for row in policies[1:]:
        row += [""] * (len(policies[0]) - len(row))
    write_csv(later / "policies.csv", policies, "utf-8")
    claims = [list(r) for r in CLAIMS[:3]]
    claims[2][4:7] = ["closed", "480.00", "0"]  # CLM2026000002 closed and paid
    write_csv(later / "claims.csv", claims, "utf-8")
    receivables = [list(r) for r in RECEIVABLES]
    receivables[2][3:5] = ["12000.00", "2026-11-20"]  # P4 paid in full
    write_csv(later / "receivables.csv", receivables, "utf-8")

    result = import_folder(services.imports, admin, later, profile="core_zh")
    assert [(r.kind, r.inserted, r.updated, r.unchanged, r.rejected) for r in result.imports] == [
        ("policies", 0, 1, 3, 0),
        ("claims", 0, 1, 1, 0),
        ("receivables", 0, 1, 1, 0),
    ]
    assert result.ok
    with services.database.session() as session:
        cancelled = session.exec(select(Policy).where(Policy.policy_no == P2)).one()
        assert (cancelled.status, cancelled.cancelled_on) == ("cancelled", date(2026, 9, 1))
        claim = session.exec(select(Claim).where(Claim.claim_no == "CLM2026000002")).one()
        assert (claim.status, claim.paid, claim.outstanding) == ("closed", Decimal("480.00"), 0)
        assert claim.closed_on == services.clock.today()
        due = session.exec(select(Receivable).join(Policy).where(Policy.policy_no == P4)).one()
        assert (due.paid_amount, due.settled_on) == (Decimal("12000.00"), date(2026, 11, 20))
        paid = session.exec(select(Payment).where(Payment.receivable_id == due.id)).all()
        assert sorted((p.paid_on, p.amount) for p in paid) == [
            (date(2026, 1, 20), Decimal("6000.00")),
            (date(2026, 11, 20), Decimal("6000.00")),
        ]

    again = import_folder(services.imports, admin, later, profile="core_zh")
    assert [(r.updated, r.inserted) for r in again.imports] == [(0, 0)] * 3


def test_a_dry_run_counts_and_writes_nothing(services, admin, night):
    result = services.imports.run(admin, "customers", night / "customers.csv", dry_run=True)
    assert (result.status, result.inserted, result.rejected) == ("dry_run", 4, 3)
    with services.database.session() as session:
        assert session.exec(select(Policy)).all() == []
        from tui_crm.storage.models import Customer

        assert session.exec(select(Customer)).all() == []
        batch = session.exec(select(ImportBatch)).one()
        assert (batch.status, batch.inserted) == ("dry_run", 4)


def test_a_file_of_another_kind_is_refused_as_a_whole(services, admin, night):
    with pytest.raises(ValidationFailed) as refused:
        services.imports.run(admin, "claims", night / "customers.csv")
    assert "customers" in refused.value.message
    with pytest.raises(ValidationFailed):
        services.imports.run(admin, "policies", night / "policies.csv")  # no profile
    with services.database.session() as session:
        assert session.exec(select(ImportBatch)).all() == []


def test_only_importers_import(services, night):
    from tests.factories import make_user
    from tui_crm.services.core.errors import Forbidden

    clerk = make_user(services, "clerk", "counter")
    with pytest.raises(Forbidden):
        services.imports.run(clerk, "customers", night / "customers.csv")
