"""Blacklist workflow: every transition, and every refusal, on both databases."""

from datetime import date

import pytest
from sqlmodel import col, select

from tests.factories import make_claim, make_customer, make_policy, make_user
from tui_crm.services.blacklist.views import blacklist_status
from tui_crm.services.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tui_crm.storage.models import (
    AuditLog,
    BlacklistEntry,
    BlacklistReview,
    Customer,
    CustomerClassHistory,
    RolePermission,
)


@pytest.fixture
def people(services):
    return {
        "claims": make_user(services, "claims", "claims"),
        "underwriter": make_user(services, "underwriter", "underwriter"),
        "supervisor": make_user(services, "supervisor", "supervisor"),
        "supervisor2": make_user(services, "supervisor2", "supervisor"),
        "sup_xz": make_user(services, "sup_xz", "supervisor", "330411"),
        "claims_xz": make_user(services, "claims_xz", "claims", "330411"),
        "counter": make_user(services, "counter", "counter"),
    }


@pytest.fixture
def risky(services) -> dict[str, int]:
    """A standard customer with three claims this year (a candidate)."""
    customer = make_customer(services, "王多赔")
    policy = make_policy(services, customer, date(2026, 3, 1), premium="2000")
    claims = [make_claim(services, policy, date(2026, m, 10), paid="2000") for m in (4, 6, 9)]
    return {"customer": customer, "policy": policy, "claims": claims}  # type: ignore[dict-item]


def customer_row(services, customer_id: int) -> Customer:
    with services.database.session() as session:
        return session.get(Customer, customer_id)


def actions(services) -> list[str]:
    with services.database.session() as session:
        return [
            a.action
            for a in session.exec(select(AuditLog).order_by(col(AuditLog.id))).all()
            if a.action.startswith("blacklist")
        ]


def nominate(services, people, risky, who: str = "claims") -> int:
    return services.blacklist.nominate(
        people[who],
        risky["customer"],
        ["frequent_claims", "hard_to_settle"],
        "三次出险，协商困难",
        risky["claims"][:2],
    )


def test_nominate_then_approve_blacklists_the_customer(services, people, risky) -> None:
    nomination_id = nominate(services, people, risky)
    queue = services.blacklist_views.queue(people["supervisor"])
    assert [(i.id, i.status, i.reasons, i.nominated_by) for i in queue] == [
        (nomination_id, "pending", ["frequent_claims", "hard_to_settle"], "claims")
    ]
    detail = services.blacklist_views.detail(people["supervisor"], nomination_id)
    assert detail.picture.claims_year == 3 and detail.picture.incurred_year == 6000
    assert [c.linked for c in detail.claims].count(True) == 2
    status = services.blacklist.review(
        people["supervisor"], nomination_id, "approve", "属实", version=1
    )
    assert status == "approved"
    customer = customer_row(services, risky["customer"])
    assert customer.customer_class == "blacklist" and customer.flag_blacklist
    assert customer.class_reasons is not None
    assert '"code":"blacklist_entry"' in customer.class_reasons
    with services.database.session() as session:
        entry = session.exec(select(BlacklistEntry)).one()
        assert entry.lifted_at is None and entry.reasons == "frequent_claims,hard_to_settle"
        history = session.exec(select(CustomerClassHistory)).all()
        assert [(h.from_class, h.to_class, h.source) for h in history] == [
            (None, "blacklist", "blacklist")
        ]
        review = session.exec(select(BlacklistReview)).one()
        assert review.decision == "approve" and review.reviewer_id == people["supervisor"].id
        status_now = blacklist_status(session, risky["customer"])
    assert status_now.status == "active" and status_now.reasons == [
        "frequent_claims",
        "hard_to_settle",
    ]
    assert actions(services) == ["blacklist_nominate", "blacklist_review"]
    assert services.blacklist_views.queue(people["supervisor"]) == []


def test_return_resubmit_reject(services, people, risky) -> None:
    nomination_id = nominate(services, people, risky)
    with pytest.raises(ValidationFailed) as missing:
        services.blacklist.review(people["supervisor"], nomination_id, "return", "  ")
    assert missing.value.field == "comment"
    assert services.blacklist.review(people["supervisor"], nomination_id, "return", "补充证据")
    assert services.blacklist_views.queue(people["supervisor"]) == []
    mine = services.blacklist_views.mine(people["claims"])
    assert [(i.id, i.status) for i in mine] == [(nomination_id, "returned")]
    with pytest.raises(Forbidden) as other:
        services.blacklist.resubmit(people["underwriter"], nomination_id)
    assert other.value.code == "not_nominator"
    version = services.blacklist.resubmit(
        people["claims"], nomination_id, version=2, evidence="附三次报案记录"
    )
    assert version == 3
    assert services.blacklist.review(
        people["supervisor2"], nomination_id, "reject", "证据不足", version=3
    ) == ("rejected")
    assert customer_row(services, risky["customer"]).customer_class == "floating"  # untouched
    with pytest.raises(Conflict) as again:
        services.blacklist.resubmit(people["claims"], nomination_id)
    assert again.value.code == "not_returned"
    assert actions(services) == [
        "blacklist_nominate",
        "blacklist_review",
        "blacklist_resubmit",
        "blacklist_review",
    ]
    # a closed nomination does not block a new one
    assert nominate(services, people, risky) != nomination_id


def test_refusals(services, people, risky) -> None:
    with pytest.raises(Forbidden) as wrong_role:
        nominate(services, people, risky, "counter")
    assert wrong_role.value.code == "wrong_role"
    with pytest.raises(Forbidden) as out_of_scope:
        nominate(services, people, risky, "claims_xz")
    assert out_of_scope.value.code == "out_of_scope"
    with pytest.raises(ValidationFailed) as bad_reason:
        services.blacklist.nominate(people["claims"], risky["customer"], ["rude"], "x")
    assert bad_reason.value.field == "reasons"
    with pytest.raises(ValidationFailed) as no_evidence:
        services.blacklist.nominate(people["claims"], risky["customer"], ["fraud"], " \x07 ")
    assert no_evidence.value.field == "evidence"
    other = make_customer(services, "别人")
    other_claim = make_claim(
        services, make_policy(services, other, date(2026, 1, 1)), date(2026, 2, 1)
    )
    with pytest.raises(ValidationFailed) as foreign:
        services.blacklist.nominate(
            people["claims"], risky["customer"], ["fraud"], "x", [other_claim]
        )
    assert foreign.value.field == "claims"
    with pytest.raises(NotFound):
        services.blacklist.nominate(people["claims"], 999_999, ["fraud"], "x")

    nomination_id = nominate(services, people, risky)
    with pytest.raises(Conflict) as duplicate:
        nominate(services, people, risky, "underwriter")
    assert duplicate.value.code == "duplicate"
    with pytest.raises(Forbidden) as not_reviewer:
        services.blacklist.review(people["underwriter"], nomination_id, "approve")
    assert not_reviewer.value.code == "wrong_role"
    with pytest.raises(Forbidden) as far:
        services.blacklist.review(people["sup_xz"], nomination_id, "approve")
    assert far.value.code == "out_of_scope"
    with pytest.raises(ValidationFailed):
        services.blacklist.review(people["supervisor"], nomination_id, "maybe")
    with pytest.raises(Conflict) as stale:
        services.blacklist.review(people["supervisor"], nomination_id, "approve", version=7)
    assert stale.value.code == "stale_version"
    services.blacklist.review(people["supervisor"], nomination_id, "approve")
    with pytest.raises(Conflict) as twice:
        services.blacklist.review(people["supervisor2"], nomination_id, "reject", "晚了")
    assert twice.value.code == "already_reviewed"
    with pytest.raises(Conflict) as listed:
        nominate(services, people, risky)
    assert listed.value.code == "already_blacklisted"
    assert actions(services) == [
        "blacklist_nominate",
        "blacklist_review",
    ]  # refusals leave no trace


def test_nobody_reviews_their_own_nomination(services, people, risky) -> None:
    with services.database.session() as session:
        session.add(RolePermission(role="supervisor", permission="blacklist.nominate"))
        session.commit()
    supervisor = services.auth.actor_for("supervisor")
    nomination_id = services.blacklist.nominate(
        supervisor, risky["customer"], ["fraud"], "本人发现"
    )
    with pytest.raises(Forbidden) as own:
        services.blacklist.review(supervisor, nomination_id, "approve")
    assert own.value.code == "own_nomination"
    assert services.blacklist_views.queue(supervisor)[0].own
    assert services.blacklist.review(people["supervisor2"], nomination_id, "approve") == "approved"


def test_lift_restores_the_computed_class(services, people, risky) -> None:
    nomination_id = nominate(services, people, risky)
    services.blacklist.review(people["supervisor"], nomination_id, "approve")
    with pytest.raises(Forbidden):
        services.blacklist.lift(people["claims"], risky["customer"], "误判")
    with pytest.raises(ValidationFailed) as no_reason:
        services.blacklist.lift(people["supervisor"], risky["customer"], "")
    assert no_reason.value.field == "reason"
    with pytest.raises(Forbidden):
        services.blacklist.lift(people["sup_xz"], risky["customer"], "误判")
    restored = services.blacklist.lift(people["supervisor2"], risky["customer"], "复核后误判")
    assert restored == "standard"
    customer = customer_row(services, risky["customer"])
    assert customer.customer_class == "standard" and not customer.flag_blacklist
    with services.database.session() as session:
        entry = session.exec(select(BlacklistEntry)).one()
        assert entry.lifted_at is not None and entry.lift_reason == "复核后误判"
        history = session.exec(
            select(CustomerClassHistory).order_by(col(CustomerClassHistory.id))
        ).all()
        assert [(h.from_class, h.to_class, h.source) for h in history] == [
            (None, "blacklist", "blacklist"),
            ("blacklist", "standard", "lift"),
        ]
        assert blacklist_status(session, risky["customer"]).status == "lifted"
    with pytest.raises(Conflict) as not_listed:
        services.blacklist.lift(people["supervisor"], risky["customer"], "再次")
    assert not_listed.value.code == "not_blacklisted"
    assert actions(services)[-1] == "blacklist_lift"


def test_candidates_queue_filters_and_quota(services, people, risky) -> None:
    calm = make_customer(services, "李平安")
    make_policy(services, calm, date(2026, 1, 1))
    candidates = services.blacklist_views.candidates(people["claims"])
    assert [(c.customer_id, c.claims_year) for c in candidates] == [(risky["customer"], 3)]
    assert candidates[0].reasons[0].startswith("黑名单候选：2025-11-26 至 2026-11-25 出险 3 次")
    assert services.blacklist_views.candidates(people["claims_xz"]) == []
    nomination_id = nominate(services, people, risky)
    assert services.blacklist_views.candidates(people["claims"])[0].open_nomination_id == (
        nomination_id
    )
    fraudster = make_customer(services, "赵欺诈")
    make_claim(
        services,
        make_policy(services, fraudster, date(2026, 1, 1)),
        date(2026, 2, 1),
        fraud_suspected=True,
    )
    second = services.blacklist.nominate(people["underwriter"], fraudster, ["fraud"], "骗保嫌疑")
    views = services.blacklist_views
    assert [i.id for i in views.queue(people["supervisor"])] == [nomination_id, second]
    assert [i.id for i in views.queue(people["supervisor"], reason="fraud")] == [second]
    assert [i.id for i in views.queue(people["supervisor"], unit_code="330411")] == []
    assert views.queue(people["sup_xz"]) == []
    quota = {line.unit_code: line for line in views.quota(people["supervisor"])}
    assert quota["330402"].submitted == 2 and quota["330402"].quota == 5
    assert quota["330402"].shortfall == 3 and quota["330402"].pending == 2
    assert "330411" not in quota
    centre = {
        line.unit_code: line for line in views.quota(make_user(services, "mgr", "manager", "3304"))
    }
    assert centre["3304"].submitted == 2 and centre["330411"].submitted == 0
    with pytest.raises(Forbidden):
        views.quota(people["counter"])


def test_approval_and_lift_keep_the_month_counts_true(services, people, risky) -> None:
    manager = make_user(services, "mgr", "manager", "3304")
    services.classification.run(manager)
    month = date(2026, 11, 1)

    def row() -> dict[str, int]:
        return services.class_stats.monthly_counts(manager, month, month).row(month)

    assert (row()["standard"], row()["blacklist"]) == (1, 0)
    nomination_id = nominate(services, people, risky)
    services.blacklist.review(people["supervisor"], nomination_id, "approve")
    assert (row()["standard"], row()["blacklist"]) == (0, 1)
    services.blacklist.lift(people["supervisor"], risky["customer"], "误判")
    assert (row()["standard"], row()["blacklist"]) == (1, 0)
    with services.database.session() as session:
        history = session.exec(
            select(CustomerClassHistory).order_by(col(CustomerClassHistory.id))
        ).all()
    assert [(h.from_class, h.to_class, h.source) for h in history] == [
        (None, "standard", "engine"),
        ("standard", "blacklist", "blacklist"),
        ("blacklist", "standard", "lift"),
    ]
