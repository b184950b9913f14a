"""Blacklist lists: candidates for nomination, active entries, the yearly quota per unit.

Read-only, with the same permission and org-scope rules as the workflow; the screens and
commands reach them through `BlacklistViews`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func
from sqlmodel import col, select

from tui_crm.domain import NominationStatus
from tui_crm.i18n import tr
from tui_crm.services.blacklist.service import OPEN, parse_codes
from tui_crm.services.classification.engine import evaluate, parse_reasons
from tui_crm.services.classification.rules import ClassThresholds, Window
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import BRANCH_TZ, Clock
from tui_crm.services.core.earned import earned_loss_ratio
from tui_crm.services.core.errors import Forbidden
from tui_crm.services.core.thresholds import threshold_int
from tui_crm.storage.db import Database
from tui_crm.storage.models import (
    BlacklistEntry,
    BlacklistNomination,
    Claim,
    Customer,
    OrgUnit,
    StaffUser,
)
from tui_crm.storage.types import from_fen


@dataclass(frozen=True)
class Candidate:
    customer_id: int
    customer_name: str
    unit_code: str
    customer_class: str
    claims_year: int
    earned_ratio_year: Decimal | None
    fraud: bool
    reasons: list[str]
    open_nomination_id: int | None
    open_status: str | None


@dataclass(frozen=True)
class EntryLine:
    customer_id: int
    customer_name: str
    unit_code: str
    reasons: list[str]
    approved_at: datetime
    approved_by: str


@dataclass(frozen=True)
class QuotaLine:
    unit_code: str
    unit_name: str
    level: str
    submitted: int
    approved: int
    pending: int
    quota: int

    @property
    def shortfall(self) -> int:
        return max(0, self.quota - self.submitted)


def _whole(value: Any) -> int:
    """An integer fact from a pandas row (missing → 0)."""
    return 0 if value is None or value != value else int(value)


def candidates(
    database: Database, clock: Clock, actor: Actor, *, limit: int = 500
) -> list[Candidate]:
    """Customers in scope meeting the automatic blacklist rule today, not blacklisted."""
    if not (actor.can(Permission.BLACKLIST_NOMINATE) or actor.can(Permission.BLACKLIST_REVIEW)):
        actor.require(Permission.BLACKLIST_NOMINATE)
    window = Window(clock.today())
    with database.session() as session:
        thresholds = ClassThresholds.load(session)
        counted = col(Claim.status).not_in(("withdrawn", "declined"))
        in_year = (col(Claim.report_date) >= window.year_start) & counted
        pre = session.exec(
            select(Claim.customer_id)
            .join(Customer, col(Customer.id) == Claim.customer_id)
            .where(
                col(Customer.unit_id).in_(actor.scope_unit_ids),
                col(Customer.flag_blacklist).is_(False),
                col(Claim.report_date) <= window.as_of,
            )
            .group_by(col(Claim.customer_id))
            .having(
                (func.sum(case((in_year, 1), else_=0)) >= thresholds.blacklist_claims)
                | (func.sum(case((col(Claim.fraud_suspected), 1), else_=0)) > 0)
            )
            .limit(limit * 4)
        ).all()
        ids = [int(i) for i in pre]
        if not ids:
            return []
        facts, result = evaluate(session.connection(), thresholds, window, ids)
        keep = result.index[result["candidate"].to_numpy() & ~result["flag_blacklist"].to_numpy()]
        ids = [int(i) for i in keep]
        if not ids:
            return []
        names = {
            c.id: (c.name, code)
            for c, code in session.exec(
                select(Customer, OrgUnit.code)
                .join(OrgUnit, col(OrgUnit.id) == Customer.unit_id)
                .where(col(Customer.id).in_(ids))
            ).all()
        }
        open_noms = {
            n.customer_id: n
            for n in session.exec(
                select(BlacklistNomination).where(
                    col(BlacklistNomination.customer_id).in_(ids),
                    col(BlacklistNomination.status).in_(OPEN),
                )
            ).all()
        }
        out: list[Candidate] = []
        for cid in ids:
            f, r = facts.loc[cid], result.loc[cid]
            reasons = [
                x.message
                for x in parse_reasons(str(r["class_reasons"]))
                if x.code.startswith("candidate_")
            ]
            earned = _whole(f["earned_year"])
            incurred = _whole(f["incurred_year"])
            nom = open_noms.get(cid)
            out.append(
                Candidate(
                    customer_id=cid,
                    customer_name=names[cid][0],
                    unit_code=names[cid][1],
                    customer_class=str(f["old_class"]),
                    claims_year=_whole(f["claims_year"]),
                    earned_ratio_year=earned_loss_ratio(
                        from_fen(incurred), Decimal(0), from_fen(earned)
                    ),
                    fraud=bool(f["fraud_n"] == f["fraud_n"] and f["fraud_n"] > 0),
                    reasons=reasons,
                    open_nomination_id=nom.id if nom else None,
                    open_status=nom.status if nom else None,
                )
            )
    out.sort(key=lambda c: (-c.claims_year, c.customer_id))
    return out[:limit]


def entries(database: Database, actor: Actor) -> list[EntryLine]:
    """Active blacklist entries of customers in scope (for lifting)."""
    if not (actor.can(Permission.BLACKLIST_LIFT) or actor.can(Permission.BLACKLIST_REVIEW)):
        actor.require(Permission.BLACKLIST_LIFT)
    with database.session() as session:
        rows = session.exec(
            select(BlacklistEntry, Customer.name, OrgUnit.code, StaffUser.username)
            .join(Customer, col(Customer.id) == BlacklistEntry.customer_id)
            .join(OrgUnit, col(OrgUnit.id) == Customer.unit_id)
            .join(StaffUser, col(StaffUser.id) == BlacklistEntry.approved_by_id)
            .where(
                col(BlacklistEntry.lifted_at).is_(None),
                col(Customer.unit_id).in_(actor.scope_unit_ids),
            )
            .order_by(col(BlacklistEntry.approved_at).desc())
        ).all()
        return [
            EntryLine(e.customer_id, name, code, parse_codes(e.reasons), e.approved_at, user)
            for e, name, code, user in rows
        ]


def quota(
    database: Database, clock: Clock, actor: Actor, year: int | None = None
) -> list[QuotaLine]:
    """Per unit in scope: nominations submitted by its staff (its subtree) in the
    calendar year, against blacklist.unit_quota."""
    allowed = (
        Permission.BLACKLIST_NOMINATE,
        Permission.BLACKLIST_REVIEW,
        Permission.BLACKLIST_LIFT,
        Permission.REPORT_RUN,
        Permission.CLASSIFY_RUN,
    )
    if not any(actor.can(p) for p in allowed):
        raise Forbidden(
            tr("您的角色无权查看提名配额", "Your role may not see nomination quotas"),
            code="wrong_role",
        )
    year = year or clock.today().year
    start = datetime.combine(date(year, 1, 1), time(0), tzinfo=BRANCH_TZ)
    end = datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=BRANCH_TZ)
    with database.session() as session:
        quota = threshold_int(session, "blacklist.unit_quota")
        units = session.exec(
            select(OrgUnit)
            .where(col(OrgUnit.id).in_(actor.scope_unit_ids))
            .order_by(col(OrgUnit.path))
        ).all()
        counts = session.exec(
            select(OrgUnit.path, BlacklistNomination.status, func.count())
            .join(OrgUnit, col(OrgUnit.id) == BlacklistNomination.unit_id)
            .where(
                col(BlacklistNomination.nominated_at) >= start,
                col(BlacklistNomination.nominated_at) < end,
            )
            .group_by(col(OrgUnit.path), col(BlacklistNomination.status))
        ).all()
    lines = []
    for unit in units:
        mine = [(s, n) for path, s, n in counts if path.startswith(unit.path)]
        lines.append(
            QuotaLine(
                unit_code=unit.code,
                unit_name=unit.name,
                level=unit.level,
                submitted=sum(n for _, n in mine),
                approved=sum(n for s, n in mine if s == NominationStatus.APPROVED.value),
                pending=sum(n for s, n in mine if s == NominationStatus.PENDING.value),
                quota=quota,
            )
        )
    return lines
