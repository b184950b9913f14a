"""The sums of the customer 360 view, in SQL on both databases: written and earned premium,
paid and outstanding claims per policy year with both loss ratios, and the premium of a
corporate group rolled up over its members."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection, extract, func, select
from sqlmodel import col

from tui_crm.services.core.earned import (
    earned_loss_ratio,
    earned_premium_sql,
    money_fen,
    simple_loss_ratio,
)
from tui_crm.services.customers.view360.data import Group, GroupMember, LossFigures
from tui_crm.services.customers.view360.sql import CID, GID, statement
from tui_crm.storage.models import (
    Claim,
    CorporateGroup,
    CorporateGroupHead,
    Customer,
    OrgUnit,
    Policy,
)
from tui_crm.storage.types import from_fen


def loss(
    connection: Connection, customer_id: int, today: date
) -> tuple[LossFigures, list[LossFigures]]:
    """Written / earned premium and claims per policy year (start year), in SQL."""
    year = extract("year", col(Policy.start_date))
    premiums = {
        int(r[0]): r[1:]
        for r in connection.execute(
            statement(
                "_loss_premiums",
                today,
                lambda: (
                    select(
                        year,
                        func.count(),
                        func.sum(money_fen(col(Policy.premium))),
                        func.sum(earned_premium_sql(Policy, today)),
                    )
                    .where(col(Policy.customer_id) == CID)
                    .group_by(year)
                ),
            ),
            {"cid": customer_id},
        )
    }
    claims = {
        int(r[0]): r[1:]
        for r in connection.execute(
            statement(
                "_loss_claims",
                None,
                lambda: (
                    select(
                        year,
                        func.count(),
                        func.sum(money_fen(col(Claim.paid))),
                        func.sum(money_fen(col(Claim.outstanding))),
                    )
                    .join(Policy, col(Policy.id) == col(Claim.policy_id))
                    .where(col(Policy.customer_id) == CID)
                    .group_by(year)
                ),
            ),
            {"cid": customer_id},
        )
    }
    years = sorted(set(premiums) | set(claims), reverse=True)
    per_year = []
    totals = [0, 0, 0, 0, 0, 0]
    for y in years:
        count, written, earned = premiums.get(y, (0, 0, 0))
        n_claims, paid, outstanding = claims.get(y, (0, 0, 0))
        parts = [count or 0, written or 0, earned or 0, n_claims or 0, paid or 0, outstanding or 0]
        totals = [a + b for a, b in zip(totals, parts, strict=True)]
        per_year.append(_figures(y, parts))
    return _figures(None, totals), per_year


def _figures(year: int | None, parts: list[int]) -> LossFigures:
    count, written, earned, n_claims, paid, outstanding = parts
    w, e, p, o = (from_fen(int(v)) for v in (written, earned, paid, outstanding))
    return LossFigures(
        year=year,
        policies=int(count),
        written=w,
        earned=e,
        paid=p,
        outstanding=o,
        claims=int(n_claims),
        earned_loss_ratio=earned_loss_ratio(p, o, e),
        simple_loss_ratio=simple_loss_ratio(p, w),
    )


def group(
    connection: Connection, group_id: int, today: date, scope: frozenset[int]
) -> Group | None:
    """The group rolled up over the members in `scope`; the others only counted."""
    name = connection.execute(
        select(col(CorporateGroup.name)).where(col(CorporateGroup.id) == GID), {"gid": group_id}
    ).scalar()
    if name is None:
        return None
    since = today - timedelta(days=365)
    premium = (
        select(col(Policy.customer_id), func.sum(money_fen(col(Policy.premium))).label("fen"))
        .where(
            col(Policy.customer_id).in_(
                select(col(Customer.id)).where(col(Customer.group_id) == GID)
            ),
            col(Policy.start_date) > since,
            col(Policy.start_date) <= today,
        )
        .group_by(col(Policy.customer_id))
        .subquery()
    )
    rows = connection.execute(
        select(
            col(Customer.id),
            col(Customer.name),
            col(Customer.parent_customer_id),
            col(OrgUnit.code),
            premium.c.fen,
            col(Customer.unit_id),
        )
        .join(OrgUnit, col(OrgUnit.id) == col(Customer.unit_id))
        .outerjoin(premium, premium.c.customer_id == col(Customer.id))
        .where(col(Customer.group_id) == GID)
        .order_by(col(Customer.parent_customer_id).is_not(None), col(Customer.id)),
        {"gid": group_id},
    ).all()
    head = connection.execute(
        select(col(CorporateGroupHead.customer_id)).where(col(CorporateGroupHead.group_id) == GID),
        {"gid": group_id},
    ).scalar()
    members = [
        GroupMember(
            id=r[0],
            name=r[1],
            role="head" if r[0] == head or (head is None and not r[2]) else "subsidiary",
            unit_code=r[3],
            premium_12m=from_fen(int(r[4] or 0)),
        )
        for r in rows
        if r[5] in scope
    ]
    total = sum((m.premium_12m for m in members), Decimal("0.00"))
    return Group(group_id, name, members, total, other_units=len(rows) - len(members))


def related(
    connection: Connection, customer_id: int, parent_id: int | None, scope: frozenset[int]
) -> tuple[tuple[int, str] | None, list[tuple[int, str]]]:
    """The parent company and the subsidiaries of a customer, those in `scope`."""
    c = Customer.__table__.c  # type: ignore[attr-defined]
    rows = connection.execute(
        select(c.id, c.name, c.parent_customer_id)
        .where(
            (c.parent_customer_id == customer_id) | (c.id == (parent_id or 0)),
            c.unit_id.in_(sorted(scope)),
        )
        .order_by(c.name, c.id)
    ).all()
    parent = next(((r[0], r[1]) for r in rows if r[0] == parent_id), None)
    return parent, [(r[0], r[1]) for r in rows if r[2] == customer_id]
