"""Customer 360 data, reveal of personal data (audited), recently viewed, moving units."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from tests.factories import (
    make_claim,
    make_customer,
    make_policy,
    make_user,
    make_vehicle,
    unit_id,
)
from tui_crm.services.core.errors import Forbidden, NotFound
from tui_crm.storage.models import (
    AuditLog,
    BlacklistEntry,
    BlacklistNomination,
    CorporateGroup,
    Customer,
    CustomerClassHistory,
    CustomerUnitMove,
    Receivable,
)

ROLES = ("counter", "underwriter", "claims", "supervisor", "account_manager", "manager", "admin")
REVEALERS = ("counter", "underwriter", "claims", "supervisor", "account_manager")


def _actor(services, role):
    unit = "3304" if role in ("manager", "admin") else "330402"
    return make_user(services, f"u_{role}", role, unit)


@pytest.fixture
def zhang(services):
    reasons = [{"code": "in_force", "message_zh": "有有效保单", "message_en": "Policy in force"}]
    cid = make_customer(
        services,
        "张三",
        id_number="330402199001011234",
        phone="13812345678",
        customer_class="standard",
        class_reasons=json.dumps(reasons, ensure_ascii=False),
        flag_renewal_due=True,
    )
    vehicle = make_vehicle(services, cid, "浙F12345", "LSVAB2BJ4EN123456")
    p1 = make_policy(services, cid, date(2024, 1, 1), premium="1000", vehicle_id=vehicle)
    p2 = make_policy(
        services,
        cid,
        date(2025, 1, 1),
        premium="2000",
        vehicle_id=vehicle,
        coinsurance=True,
        facultative_reinsurance=True,
    )
    make_claim(services, p1, date(2024, 5, 1), paid="500")
    make_claim(services, p2, date(2025, 6, 1), paid="1000", outstanding="1000")
    with services.database.session() as session:
        session.add(
            Receivable(
                policy_id=p2,
                customer_id=cid,
                due_date=date(2025, 1, 15),
                amount=Decimal("2000"),
                paid_amount=Decimal("500"),
            )
        )
        session.add(
            CustomerClassHistory(
                customer_id=cid,
                from_class="prospect",
                to_class="standard",
                changed_on=date(2024, 1, 1),
                reasons=json.dumps(reasons, ensure_ascii=False),
            )
        )
        session.commit()
    return cid


def test_360_header_tabs_and_loss_ratios(services, zhang) -> None:
    counter = _actor(services, "counter")
    view = services.customers.view(counter, zhang)
    assert (view.name, view.kind, view.customer_class) == ("张三", "individual", "standard")
    assert view.class_reason_texts == ["有有效保单"]
    assert view.flag_renewal_due and not view.flag_blacklist
    assert view.blacklist.status == "none"
    assert view.unit_code == "330402"
    assert view.id_number_masked == "330402********1234"
    assert view.phone_masked == "138****5678"
    assert [p["start_date"].year for p in view.policies] == [2025, 2024]
    assert view.policies[0]["coinsurance"] and view.policies[0]["facultative_reinsurance"]
    assert view.policies[0]["plate"] == "浙F12345"
    assert view.vehicles[0]["vin"] == "LSVAB2BJ4EN123456"
    assert [c["paid"] for c in view.claims] == [Decimal("1000.00"), Decimal("500.00")]
    # Both policies are fully earned by 2026-11-25.
    assert view.loss.written == Decimal("3000.00") and view.loss.earned == Decimal("3000.00")
    assert view.loss.paid == Decimal("1500.00") and view.loss.outstanding == Decimal("1000.00")
    assert view.loss.earned_loss_ratio == Decimal("2500") / Decimal("3000")
    assert view.loss.simple_loss_ratio == Decimal("0.5")
    by_year = {f.year: f for f in view.loss_by_year}
    assert by_year[2025].earned_loss_ratio == Decimal("1")
    assert by_year[2024].simple_loss_ratio == Decimal("0.5")
    receivable = view.receivables[0]
    assert receivable["outstanding"] == Decimal("1500.00") and receivable["overdue_days"] > 600
    assert view.contacts[0]["value"] == "138****5678"
    assert view.class_history[0]["to_class"] == "standard"


def test_360_blacklist_from_the_entry_table(services, zhang) -> None:
    claims = _actor(services, "claims")
    with services.database.session() as session:
        nomination = BlacklistNomination(
            customer_id=zhang,
            unit_id=unit_id(services, "330402"),
            nominated_by_id=claims.id,
            reasons="fraud,frequent_claims",
            status="approved",
        )
        session.add(nomination)
        session.flush()
        assert nomination.id is not None
        approved = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
        session.add(
            BlacklistEntry(
                customer_id=zhang,
                nomination_id=nomination.id,
                reasons="fraud,frequent_claims",
                approved_by_id=claims.id,
                approved_at=approved,
            )
        )
        session.commit()
    view = services.customers.view(claims, zhang)
    assert view.blacklist.status == "active"
    assert view.blacklist.reasons == ["fraud", "frequent_claims"]
    assert view.blacklist.approved_at is not None


def test_360_group_rolls_up_premium(services) -> None:
    with services.database.session() as session:
        group = CorporateGroup(name="嘉兴交通集团")
        session.add(group)
        session.commit()
        gid = group.id
    head = make_customer(services, "嘉兴交通集团有限公司", kind="corporate", group_id=gid)
    sub = make_customer(
        services, "嘉兴公交公司", kind="corporate", group_id=gid, parent_customer_id=head
    )
    make_policy(services, head, date(2026, 3, 1), premium="50000")
    make_policy(services, sub, date(2026, 6, 1), premium="20000")
    make_policy(services, sub, date(2024, 6, 1), premium="99999")  # outside the 12 months
    view = services.customers.view(_actor(services, "manager"), sub)
    assert view.group is not None and view.group.name == "嘉兴交通集团"
    assert [(m.name, m.role) for m in view.group.members] == [
        ("嘉兴交通集团有限公司", "head"),
        ("嘉兴公交公司", "subsidiary"),
    ]
    assert view.group.premium_12m == Decimal("70000.00")


@pytest.mark.parametrize("role", ROLES)
def test_360_masked_for_every_role(services, zhang, role) -> None:
    view = services.customers.view(_actor(services, role), zhang)
    assert view.id_number_masked == "330402********1234"
    assert all("*" in c["value"] for c in view.contacts if c["kind"] == "mobile")


@pytest.mark.parametrize("role", ROLES)
def test_reveal_by_role_and_audited(services, zhang, role) -> None:
    actor = _actor(services, role)
    if role not in REVEALERS:
        with pytest.raises(Forbidden):
            services.customers.reveal(actor, zhang)
        return
    revealed = services.customers.reveal(actor, zhang)
    assert revealed.id_number == "330402199001011234"
    assert revealed.phones == [("mobile", "13812345678")]
    with services.database.session() as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action == "reveal")).all()
        assert [(r.actor_username, r.entity, r.entity_id) for r in rows] == [
            (actor.username, "customer", str(zhang))
        ]


def test_out_of_scope_customer_is_refused(services, zhang) -> None:
    other = make_user(services, "counter_xz", "counter", "330411")
    with pytest.raises(Forbidden):
        services.customers.view(other, zhang)
    with pytest.raises(Forbidden):
        services.customers.reveal(other, zhang)
    with pytest.raises(NotFound):
        services.customers.view(other, 999_999)


def test_recently_viewed_newest_first_and_capped(services) -> None:
    counter = _actor(services, "counter")
    ids = [make_customer(services, f"客户{i:02d}") for i in range(23)]
    for cid in ids:
        services.customers.view(counter, cid)
    services.customers.view(counter, ids[5])  # seen again: moves to the top
    recent = services.customers.recent(counter)
    assert len(recent) == 20
    assert recent[0].id == ids[5]
    assert recent[1].id == ids[22]
    assert ids[0] not in [h.id for h in recent]
    other = make_user(services, "someone", "counter")
    assert services.customers.recent(other) == []


def test_manager_moves_a_customer_with_history(services, zhang) -> None:
    counter = _actor(services, "counter")
    with pytest.raises(Forbidden):
        services.customers.move_unit(counter, zhang, "330411", version=1)
    manager = _actor(services, "manager")
    version = services.customers.move_unit(manager, zhang, "330411", version=1, reason="搬家")
    assert version == 2
    with services.database.session() as session:
        customer = session.get(Customer, zhang)
        assert customer is not None and customer.unit_id == unit_id(services, "330411")
        move = session.exec(select(CustomerUnitMove)).one()
        assert move.from_unit_id == unit_id(services, "330402") and move.reason == "搬家"
        assert session.exec(select(AuditLog).where(AuditLog.action == "move_unit")).one()
    with pytest.raises(Forbidden):
        services.customers.view(counter, zhang)  # now another county's customer
