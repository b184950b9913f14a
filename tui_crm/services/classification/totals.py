"""Year totals that belong to more than one customer: business written through each
intermediary, premium of each corporate group (the key rule and the group roll-up)."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import BigInteger, Connection, Table, and_, cast, func, not_, select
from sqlalchemy.sql.elements import ColumnElement

from tui_crm.services.classification.rules import Window
from tui_crm.services.core.earned import cancelled_by_sql, money_fen
from tui_crm.storage.models import Customer, Policy

customer_t: Table = Customer.__table__  # type: ignore[attr-defined]
policy_t: Table = Policy.__table__  # type: ignore[attr-defined]


def _sum(expression: object) -> ColumnElement[int]:
    return cast(func.coalesce(func.sum(expression), 0), BigInteger)


@dataclass
class Totals:
    """Year totals that belong to more than one customer: business written through each
    intermediary, premium of each corporate group. A cache: a run keeps one for all its
    slices, so each intermediary and group is summed once."""

    intermediaries: dict[int, int] = field(default_factory=dict)  # intermediary id → fen
    groups: dict[int, int] = field(default_factory=dict)  # group id → fen

    def ensure(
        self,
        connection: Connection,
        window: Window,
        intermediary_ids: Sequence[int],
        group_ids: Sequence[int],
    ) -> None:
        new_agents = [i for i in intermediary_ids if i not in self.intermediaries]
        new_groups = [g for g in group_ids if g not in self.groups]
        if new_agents or new_groups:
            found = totals(connection, window, intermediary_ids=new_agents, group_ids=new_groups)
            self.intermediaries.update({i: found.intermediaries.get(i, 0) for i in new_agents})
            self.groups.update({g: found.groups.get(g, 0) for g in new_groups})


def _in_year(window: Window) -> ColumnElement[bool]:
    p = policy_t.c
    return and_(
        p.start_date >= window.year_start,
        p.start_date <= window.as_of,
        not_(cancelled_by_sql(p, window.as_of)),
    )


def totals(
    connection: Connection,
    window: Window,
    *,
    intermediary_ids: Sequence[int] | None = None,
    group_ids: Sequence[int] | None = None,
) -> Totals:
    """The year totals, for the whole book (ids None) or only the ids given.

    Both start from the few customers concerned (group members, customers that are
    intermediaries) and seek their policies by index, instead of scanning a year of the
    book's policies.
    """
    p = policy_t.c
    cu = customer_t.c
    found = Totals()
    if intermediary_ids is None or intermediary_ids:
        agents = select(cu.as_intermediary_id).where(cu.as_intermediary_id.is_not(None))
        if intermediary_ids is not None:
            agents = agents.where(cu.as_intermediary_id.in_(list(intermediary_ids)))
        by_intermediary = (
            select(p.intermediary_id, _sum(money_fen(p.premium)))
            .where(p.intermediary_id.in_(agents.scalar_subquery()), _in_year(window))
            .group_by(p.intermediary_id)
        )
        found.intermediaries = {int(i): int(n) for i, n in connection.execute(by_intermediary)}
    if group_ids is None or group_ids:
        members = select(cu.id, cu.group_id).where(cu.group_id.is_not(None))
        if group_ids is not None:
            members = members.where(cu.group_id.in_(list(group_ids)))
        group_of = {int(i): int(g) for i, g in connection.execute(members)}
        if group_of:
            member_ids = members.with_only_columns(cu.id).scalar_subquery()
            per_member = (
                select(p.customer_id, _sum(money_fen(p.premium)))
                .where(p.customer_id.in_(member_ids), _in_year(window))
                .group_by(p.customer_id)
            )
            for customer_id, fen in connection.execute(per_member):
                group = group_of[int(customer_id)]
                found.groups[group] = found.groups.get(group, 0) + int(fen)
    return found
