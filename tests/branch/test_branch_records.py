"""Records the branch keeps: intermediaries, role permissions, disaster events."""

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from tests.factories import make_customer, make_policy, make_user
from tui_crm.services.core import Conflict, Forbidden, ValidationFailed
from tui_crm.services.disasters import DisasterInput
from tui_crm.services.intermediaries import IntermediaryInput
from tui_crm.storage.models import AuditLog, CatastropheDistrict, Intermediary, RolePermission


@pytest.fixture
def manager(services):
    return make_user(services, "mgr", "manager", "3304")


@pytest.fixture
def admin(services):
    return make_user(services, "adm", "admin", "3304")


def _audit(services, action, entity):
    with services.database.session() as session:
        return session.exec(
            select(AuditLog).where(AuditLog.action == action, AuditLog.entity == entity)
        ).all()


# ---------------------------------------------------------------- intermediaries
def test_intermediary_added_corrected_and_audited(services, manager):
    data = IntermediaryInput("ag-001", "嘉兴平安代理", "agency", "330402", "0.15", "LIC-1")
    saved = services.intermediaries.save(manager, data)
    assert saved.code == "AG-001" and saved.commission_rate == Decimal("0.15")
    corrected = IntermediaryInput("AG-001", "嘉兴平安代理", "agency", "330402", "0.12", "LIC-1")
    services.intermediaries.save(manager, corrected)
    with services.database.session() as session:
        row = session.exec(select(Intermediary)).one()
        assert row.commission_rate == Decimal("0.12")
    (change,) = _audit(services, "update", "intermediary")
    assert json.loads(change.before)["commission_rate"] == "0.15"
    assert json.loads(change.after)["commission_rate"] == "0.12"
    with pytest.raises(Conflict):
        services.intermediaries.save(manager, corrected)
    counter = make_user(services, "ctr", "counter")
    assert [r.code for r in services.intermediaries.rows(counter)] == ["AG-001"]
    with pytest.raises(Forbidden):
        services.intermediaries.save(counter, data)


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("code", IntermediaryInput("", "x", "agency", "330402")),
        ("name", IntermediaryInput("AG-2", " ", "agency", "330402")),
        ("kind", IntermediaryInput("AG-2", "x", "insurer", "330402")),
        ("commission_rate", IntermediaryInput("AG-2", "x", "broker", "330402", "15")),
        ("commission_rate", IntermediaryInput("AG-2", "x", "broker", "330402", "0.1234567")),
        ("commission_rate", IntermediaryInput("AG-2", "x", "broker", "330402", "abc")),
    ],
)
def test_intermediary_validation(services, manager, field, data):
    with pytest.raises(ValidationFailed) as refused:
        services.intermediaries.save(manager, data)
    assert refused.value.field == field


def test_intermediary_out_of_scope(services):
    county = make_user(services, "mgr_nh", "manager", "330402")
    with pytest.raises(Forbidden):
        services.intermediaries.save(county, IntermediaryInput("AG-9", "x", "dealer", "330421"))


# ---------------------------------------------------------------- permissions
def test_admin_grants_and_revokes(services, admin):
    services.permissions.grant(admin, "supervisor", "customer.assign")
    with services.database.session() as session:
        assert session.get(RolePermission, ("supervisor", "customer.assign")) is not None
    sup = make_user(services, "sup", "supervisor")
    assert sup.can("customer.assign")  # from the next sign-in
    services.permissions.revoke(admin, "supervisor", "customer.assign")
    assert not services.auth.actor_for("sup").can("customer.assign")
    assert [a.detail for a in _audit(services, "grant", "role_permission")] == ["customer.assign"]
    assert len(_audit(services, "revoke", "role_permission")) == 1
    matrix = services.permissions.matrix(admin)
    assert "customer.merge" in matrix.granted["supervisor"]
    assert "customer.merge" in matrix.permissions


def test_permission_refusals(services, admin, manager):
    with pytest.raises(Forbidden):
        services.permissions.grant(manager, "counter", "export.create")
    with pytest.raises(ValidationFailed):
        services.permissions.grant(admin, "janitor", "export.create")
    with pytest.raises(ValidationFailed):
        services.permissions.grant(admin, "counter", "export.everything")
    with pytest.raises(Conflict):
        services.permissions.grant(admin, "counter", "customer.read")
    with pytest.raises(Conflict):
        services.permissions.revoke(admin, "admin", "user.admin")


# ---------------------------------------------------------------- disasters
def test_disaster_recorded_with_districts_and_worklist(services, manager):
    struck = make_customer(services, "受灾客户", unit_code="330402-01")
    make_policy(services, struck, date(2026, 1, 1))
    elsewhere = make_customer(services, "外地客户", unit_code="330421")
    make_policy(services, elsewhere, date(2026, 1, 1))
    make_customer(services, "无保单客户", unit_code="330402")
    data = DisasterInput(
        '台风"烟花"', "typhoon", date(2026, 7, 25), date(2026, 7, 27), ["330402", "330411"],
        warned_on=date(2026, 7, 23),
    )  # fmt: skip
    event = services.disasters.save(manager, data)
    assert event.districts == ["330402", "330411"]
    assert [c.id for c in services.disasters.affected(manager, event.id)] == [struck]
    services.disasters.save(
        manager,
        DisasterInput('台风"烟花"', "typhoon", date(2026, 7, 25), date(2026, 7, 28), ["330421"]),
        event_id=event.id,
    )
    with services.database.session() as session:
        codes = session.exec(select(CatastropheDistrict.district_code)).all()
    assert codes == ["330421"]
    assert [c.id for c in services.disasters.affected(manager, event.id)] == [elsewhere]
    (change,) = _audit(services, "update", "catastrophe_event")
    assert json.loads(change.before)["districts"] == ["330402", "330411"]
    assert [e.name for e in services.disasters.events(manager)] == ['台风"烟花"']


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("kind", DisasterInput("x", "meteor", date(2026, 1, 1), date(2026, 1, 2), ["330402"])),
        ("end_date", DisasterInput("x", "flood", date(2026, 1, 2), date(2026, 1, 1), ["330402"])),
        ("districts", DisasterInput("x", "flood", date(2026, 1, 1), date(2026, 1, 2), ["3304"])),
        ("districts", DisasterInput("x", "flood", date(2026, 1, 1), date(2026, 1, 2), [])),
        ("name", DisasterInput("", "flood", date(2026, 1, 1), date(2026, 1, 2), ["330402"])),
    ],
)
def test_disaster_validation(services, manager, field, data):
    with pytest.raises(ValidationFailed) as refused:
        services.disasters.save(manager, data)
    assert refused.value.field == field
