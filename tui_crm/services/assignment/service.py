"""Account managers of customers: one customer at a time, and every customer of a member
of staff who leaves handed over in one go (to one colleague, or spread over several by a
rule), so no customer is left without one. Managers and administrators
(`customer.assign`), within their units; every change kept as history and audited.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, insert, update
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.assignment.rules import RULES, Taker, spread
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text
from tui_crm.storage.db import Database
from tui_crm.storage.models import AccountManagerChange, Customer, OrgUnit, StaffUser

CHUNK = 500
REASON_MAX = 200


@dataclass(frozen=True)
class StaffBook:
    """A member of staff and how many customers (in the actor's units) they hold."""

    username: str
    display_name: str
    role: str
    unit_code: str
    active: bool
    customers: int


@dataclass(frozen=True)
class Handover:
    batch: str
    from_username: str
    moved: int
    by_taker: dict[str, int]  # username -> customers given
    dry_run: bool


class AssignmentService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def books(self, actor: Actor) -> list[StaffBook]:
        """Staff of the actor's units with their book size: those who left but still hold
        customers first, then by book size."""
        actor.require(Permission.CUSTOMER_ASSIGN)
        with self.database.session() as session:
            held = dict(
                session.exec(
                    select(Customer.account_manager_id, func.count())
                    .where(col(Customer.unit_id).in_(actor.scope_unit_ids))
                    .where(col(Customer.account_manager_id).is_not(None))
                    .group_by(col(Customer.account_manager_id))
                ).all()
            )
            staff = session.exec(
                select(StaffUser, OrgUnit.code)
                .join(OrgUnit, col(OrgUnit.id) == col(StaffUser.unit_id))
                .where(col(StaffUser.unit_id).in_(actor.scope_unit_ids))
            ).all()
        out = [
            StaffBook(s.username, s.display_name, s.role, code, s.active, held.get(s.id, 0))
            for s, code in staff
            if held.get(s.id) or s.role == "account_manager"
        ]
        out.sort(key=lambda b: (b.active or not b.customers, -b.customers, b.username))
        return out

    def assign(self, actor: Actor, customer_id: int, username: str, *, reason: str = "") -> None:
        """Give one customer to the account manager `username`."""
        actor.require(Permission.CUSTOMER_ASSIGN)
        with self.database.session() as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise NotFound(tr("没有编号为 {i} 的客户", "No customer {i}", i=customer_id))
            actor.require_scope(customer.unit_id)
            taker = _staff(session, actor, username, "to")
            _serves(session, taker, customer.unit_id)
            if customer.account_manager_id == taker.id:
                raise ValidationFailed(
                    tr("已是该客户的客户经理", "Already this customer's account manager"),
                    field="to",
                )
            before = _username(session, customer.account_manager_id)
            batch = self._batch(customer_id)
            _apply(
                session,
                actor,
                {customer_id: taker.id or 0},
                customer.account_manager_id,
                batch,
                reason,
            )
            audit.record(
                session,
                actor,
                "reassign",
                entity="customer",
                entity_id=customer_id,
                before={"account_manager": before},
                after={"account_manager": taker.username},
                detail=_text(reason) or None,
            )
            session.commit()

    def hand_over(
        self,
        actor: Actor,
        from_username: str,
        to_usernames: list[str],
        *,
        rule: str = "even",
        unit_code: str | None = None,
        reason: str = "",
        dry_run: bool = False,
    ) -> Handover:
        """Every customer of `from_username` in the actor's units (or under `unit_code`)
        to the colleagues in `to_usernames`, spread by `rule` (`even`, `balance`, `unit`).
        `dry_run` says who would get how many and changes nothing."""
        actor.require(Permission.CUSTOMER_ASSIGN)
        if rule not in RULES:
            raise ValidationFailed(
                tr("规则应为 {r}", "The rule is one of {r}", r=", ".join(RULES)), field="rule"
            )
        names = list(dict.fromkeys(n.strip() for n in to_usernames if n.strip()))
        if not names:
            raise ValidationFailed(tr("请指定接手的客户经理", "Name who takes over"), field="to")
        with self.database.session() as session:
            leaver = _staff(session, actor, from_username, "from", active=False)
            takers = [_staff(session, actor, n, "to") for n in names]
            if any(t.id == leaver.id for t in takers):
                raise ValidationFailed(
                    tr("接手人不能是移交人本人", "The one leaving cannot take over"), field="to"
                )
            units = _units(session, actor, unit_code)
            customers = session.exec(
                select(Customer.id, OrgUnit.path)
                .join(OrgUnit, col(OrgUnit.id) == col(Customer.unit_id))
                .where(Customer.account_manager_id == leaver.id, col(Customer.unit_id).in_(units))
            ).all()
            plan = spread(rule, [(int(c or 0), p) for c, p in customers], _takers(session, takers))
            by_id = {t.id: t.username for t in takers}
            counts = Counter(by_id[t] for t in plan.values())
            batch = self._batch(leaver.id or 0)
            result = Handover(batch, leaver.username, len(plan), dict(counts), dry_run)
            if dry_run or not plan:
                return result
            _apply(session, actor, plan, leaver.id, batch, reason)
            audit.record(
                session,
                actor,
                "reassign",
                entity="staff_user",
                entity_id=leaver.id,
                before={"account_manager": leaver.username, "customers": len(plan)},
                after={"rule": rule, "unit": unit_code, "customers": dict(counts)},
                detail=" ".join(p for p in (batch, _text(reason)) if p),
            )
            session.commit()
            return result

    def _batch(self, key: int) -> str:
        return f"H{self.clock.now():%Y%m%d%H%M%S}-{key}"[:20]


def _text(reason: str) -> str:
    text = clean_text(reason)
    if len(text) > REASON_MAX:
        raise ValidationFailed(
            tr("原因不超过 {n} 字", "At most {n} characters", n=REASON_MAX), field="reason"
        )
    return text


def _staff(
    session: Session, actor: Actor, username: str, field: str, *, active: bool = True
) -> StaffUser:
    staff = session.exec(select(StaffUser).where(StaffUser.username == username.strip())).first()
    if staff is None or staff.id is None:
        raise NotFound(tr("没有员工 {u}", "No staff member {u}", u=username), field=field)
    actor.require_scope(staff.unit_id)
    if active and not staff.active:
        raise ValidationFailed(
            tr(
                "员工 {u} 已停用，不能接手客户",
                "{u} has left and cannot take customers",
                u=username,
            ),
            field=field,
        )
    return staff


def _serves(session: Session, staff: StaffUser, unit_id: int) -> None:
    """The staff member's unit is the customer's, above it or below it."""
    theirs = session.get(OrgUnit, staff.unit_id)
    customers = session.get(OrgUnit, unit_id)
    assert theirs is not None and customers is not None
    if not (customers.path.startswith(theirs.path) or theirs.path.startswith(customers.path)):
        raise ValidationFailed(
            tr(
                "{u} 不在客户所属机构（{c}）任职",
                "{u} does not work for the customer's unit ({c})",
                u=staff.username,
                c=customers.code,
            ),
            field="to",
        )


def _units(session: Session, actor: Actor, unit_code: str | None) -> list[int]:
    if not unit_code:
        return sorted(actor.scope_unit_ids)
    unit = session.exec(select(OrgUnit).where(OrgUnit.code == unit_code.strip())).first()
    if unit is None:
        raise NotFound(tr("没有机构 {c}", "No unit {c}", c=unit_code), field="unit")
    actor.require_scope(unit.id)
    ids = session.exec(select(OrgUnit.id).where(col(OrgUnit.path).startswith(unit.path))).all()
    return sorted(i for i in ids if i is not None and i in actor.scope_unit_ids)


def _takers(session: Session, takers: list[StaffUser]) -> list[Taker]:
    ids = [t.id for t in takers]
    books = dict(
        session.exec(
            select(Customer.account_manager_id, func.count())
            .where(col(Customer.account_manager_id).in_(ids))
            .group_by(col(Customer.account_manager_id))
        ).all()
    )
    paths = {u.id: u.path for u in session.exec(select(OrgUnit)).all()}
    return [Taker(t.id or 0, paths[t.unit_id], books.get(t.id, 0)) for t in takers]


def _username(session: Session, staff_id: int | None) -> str | None:
    if staff_id is None:
        return None
    staff = session.get(StaffUser, staff_id)
    return staff.username if staff else None


def _apply(
    session: Session,
    actor: Actor,
    plan: dict[int, int],
    from_id: int | None,
    batch: str,
    reason: str,
) -> None:
    """Write the plan: each taker's customers in one statement per chunk, with history."""
    now = datetime.now(UTC)
    by_taker: dict[int, list[int]] = {}
    for customer_id, taker in sorted(plan.items()):
        by_taker.setdefault(taker, []).append(customer_id)
    for taker, ids in by_taker.items():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            session.execute(
                update(Customer)
                .where(col(Customer.id).in_(chunk))
                .values(
                    account_manager_id=taker,
                    version=col(Customer.version) + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
    rows = [
        {
            "customer_id": customer_id,
            "from_staff_id": from_id,
            "to_staff_id": taker,
            "changed_by_id": actor.id,
            "changed_at": now,
            "batch": batch,
            "reason": _text(reason) or None,
        }
        for customer_id, taker in sorted(plan.items())
    ]
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(AccountManagerChange), rows[start : start + CHUNK])
