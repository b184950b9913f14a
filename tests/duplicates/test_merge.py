"""Duplicate candidates, merge and unmerge on both databases."""

import json

import pytest
from sqlmodel import select

from tests.duplicates.book import NEW_ID, build, snapshot
from tests.factories import make_user
from tui_crm.services.core import Conflict, Forbidden
from tui_crm.storage.models import (
    AuditLog,
    BlacklistNomination,
    Claim,
    Contact,
    Customer,
    CustomerClassHistory,
    CustomerMerge,
    Policy,
    ServiceContact,
    Vehicle,
)


@pytest.fixture
def book(services):
    return build(services)


@pytest.fixture
def supervisor(services):
    return make_user(services, "sup", "supervisor", "330402")


def _pairs(candidates):
    return {(c.first.id, c.second.id): c for c in candidates}


def test_candidates_have_reasons_and_scores_worst_first(services, book):
    manager = make_user(services, "mgr", "manager", "3304")
    found = services.duplicates.candidates(manager)
    pairs = _pairs(found)
    assert pairs[(book.old, book.new)].reasons == ["id_15_18"]
    assert pairs[(book.old, book.new)].score == 95
    assert pairs[(book.company, book.old_company)].reasons == ["org_code"]
    assert pairs[(book.phone_a, book.phone_b)].reasons == ["phone_name"]
    assert (book.phone_a, book.phone_c) not in pairs
    assert pairs[(book.birth_a, book.birth_b)].reasons == ["name_birth"]
    # The same 18-digit ID in two units, and the 15-digit one: both seen by the manager.
    assert pairs[(book.new, book.other_unit)].reasons == ["same_id"]
    assert pairs[(book.old, book.other_unit)].reasons == ["id_15_18"]
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    assert found[0].first.id_number_masked.startswith("330402")
    assert "*" in found[0].first.id_number_masked


def test_candidates_stay_in_scope(services, book, supervisor):
    pairs = _pairs(services.duplicates.candidates(supervisor))
    assert (book.old, book.new) in pairs
    assert not any(book.other_unit in pair for pair in pairs)
    counter = make_user(services, "ctr", "counter")
    with pytest.raises(Forbidden):
        services.duplicates.candidates(counter)


def test_merge_then_unmerge_restores_every_row(services, book, supervisor):
    before = snapshot(services)
    result = services.duplicates.merge(
        supervisor, book.new, book.old, take=["note"], reason="同一人"
    )
    assert result.moved["policy.customer_id"] and result.moved["vehicle.owner_customer_id"]
    with services.database.session() as session:
        for model, column in (
            (Policy, Policy.customer_id),
            (Policy, Policy.insured_id),
            (Vehicle, Vehicle.owner_customer_id),
            (Claim, Claim.customer_id),
            (Contact, Contact.customer_id),
            (ServiceContact, ServiceContact.customer_id),
            (CustomerClassHistory, CustomerClassHistory.customer_id),
            (BlacklistNomination, BlacklistNomination.customer_id),
        ):
            assert session.exec(select(model).where(column == book.old)).all() == []
            assert session.exec(select(model).where(column == book.new)).all() != []
        # The merged record is kept as it was.
        assert session.get(Customer, book.old).id_number == "330402850101123"
        audit = session.exec(select(AuditLog).where(AuditLog.action == "merge")).one()
        assert json.loads(audit.after)["merged_id"] == book.old
        assert "330402850101123" not in (audit.before or "")
    # Search by the merged record's ID number leads to the survivor.
    hits = services.search.search(supervisor, "330402850101123").hits
    assert [h.id for h in hits] == [book.new]

    services.duplicates.unmerge(supervisor, book.old)
    assert snapshot(services) == before
    with services.database.session() as session:
        row = session.exec(select(CustomerMerge)).one()
        assert row.unmerged_at is not None and row.unmerged_by_id == supervisor.id


def test_merge_takes_chosen_fields(services, book, supervisor):
    services.duplicates.merge(supervisor, book.old, book.new, take=["id_number", "birth_date"])
    with services.database.session() as session:
        survivor = session.get(Customer, book.old)
        assert survivor.id_number == NEW_ID
        assert survivor.id_number_rev == NEW_ID[::-1]
        assert str(survivor.birth_date) == "1985-01-01"
        assert survivor.version == 2


def test_merge_refused_across_units_and_roles(services, book, supervisor):
    with pytest.raises(Forbidden):
        services.duplicates.merge(supervisor, book.new, book.other_unit)
    counter = make_user(services, "ctr", "counter")
    with pytest.raises(Forbidden):
        services.duplicates.merge(counter, book.new, book.old)
    with services.database.session() as session:
        assert session.exec(select(CustomerMerge)).all() == []


def test_merged_record_cannot_merge_again_and_edit_blocks_unmerge(services, book, supervisor):
    services.duplicates.merge(supervisor, book.new, book.old)
    with pytest.raises(Conflict):
        services.duplicates.merge(supervisor, book.birth_a, book.old)
    view = services.customers.view(supervisor, book.new)
    admin = make_user(services, "adm", "admin", "3304")
    services.customers.move_unit(admin, book.new, "330402-01", version=view.version)
    with pytest.raises(Conflict):
        services.duplicates.unmerge(supervisor, book.old)
