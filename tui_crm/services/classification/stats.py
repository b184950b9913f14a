"""Class counts per month, the flow matrix between classes, one customer's class history.

Counts come from `class_monthly_count` (written by every whole-book run for the month of
its as-of date: the last run in a month is that month's figure). Flows come from
`customer_class_history`: a customer's class on a day is the `to_class` of its latest
change on or before that day; the matrix for a period [start, end] counts customers by
(class the day before `start`, class on `end`), with `new` for customers not yet
classified before the period. Both are limited to a unit's subtree (the customer's
current unit for flows), and to the acting user's scope.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, literal_column, select
from sqlmodel import Session, col

from tui_crm.domain import CustomerClass
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label
from tui_crm.services.classification.types import Reason, parse_reasons
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import Forbidden, NotFound, ValidationFailed
from tui_crm.storage.db import Database
from tui_crm.storage.models import ClassMonthlyCount, Customer, CustomerClassHistory, OrgUnit

CLASSES = [c.value for c in CustomerClass]
NEW = "new"


def class_name(code: str | None) -> str:
    if not code or code == NEW:
        return tr("（新分类）", "(new)")
    return label("customer_class", code)


@dataclass(frozen=True)
class MonthlyCounts:
    unit_code: str
    months: list[date]
    counts: dict[tuple[date, str], int]

    def row(self, month: date) -> dict[str, int]:
        return {c: self.counts.get((month, c), 0) for c in CLASSES}


@dataclass(frozen=True)
class FlowMatrix:
    unit_code: str
    start: date
    end: date
    cells: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def from_classes(self) -> list[str]:
        return [NEW, *CLASSES]

    def total(self) -> int:
        return sum(self.cells.values())

    def moved(self) -> int:
        """Customers whose class changed (first classifications not counted)."""
        return sum(n for (a, b), n in self.cells.items() if a not in (b, NEW))

    def new(self) -> int:
        """Customers classified for the first time in the period."""
        return sum(n for (a, _), n in self.cells.items() if a == NEW)


@dataclass(frozen=True)
class HistoryLine:
    changed_on: date
    from_class: str | None
    to_class: str
    source: str
    rule_version: str | None
    reasons: list[Reason]


def month_start(day: date) -> date:
    return day.replace(day=1)


class ClassStatsService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def _require(self, actor: Actor) -> None:
        if not (actor.can(Permission.REPORT_RUN) or actor.can(Permission.CLASSIFY_RUN)):
            raise Forbidden(
                tr(
                    "角色“{r}”无权查看分类统计（需要 report.run）",
                    "Role '{r}' may not see class statistics (needs report.run)",
                    r=actor.role,
                ),
                code="wrong_role",
            )

    def _unit(self, session: Session, actor: Actor, unit_code: str | None) -> OrgUnit:
        code = unit_code or actor.unit_code
        unit = session.execute(select(OrgUnit).where(col(OrgUnit.code) == code)).scalars().first()
        if unit is None:
            raise NotFound(tr("没有机构 {u}", "No unit {u}", u=code), field="unit")
        actor.require_scope(unit.id)
        return unit

    def monthly_counts(
        self, actor: Actor, first: date, last: date, unit_code: str | None = None
    ) -> MonthlyCounts:
        self._require(actor)
        first, last = month_start(first), month_start(last)
        if last < first:
            raise ValidationFailed(
                tr("结束月份早于开始月份", "The last month is before the first"), field="to"
            )
        with self.database.session() as session:
            unit = self._unit(session, actor, unit_code)
            m = ClassMonthlyCount
            rows = session.execute(
                select(col(m.month), col(m.customer_class), func.sum(col(m.count)))
                .join(OrgUnit, col(OrgUnit.id) == m.unit_id)
                .where(
                    col(OrgUnit.path).startswith(unit.path),
                    col(m.month) >= first,
                    col(m.month) <= last,
                )
                .group_by(col(m.month), col(m.customer_class))
            ).all()
        counts = {(month, klass): int(n) for month, klass, n in rows}
        months = []
        current = first
        while current <= last:
            months.append(current)
            current = month_start(current + timedelta(days=32))
        return MonthlyCounts(unit.code, months, counts)

    def flows(
        self, actor: Actor, start: date, end: date, unit_code: str | None = None
    ) -> FlowMatrix:
        self._require(actor)
        if end < start:
            raise ValidationFailed(
                tr("结束日期早于开始日期", "The end is before the start"), field="to"
            )
        with self.database.session() as session:
            unit = self._unit(session, actor, unit_code)
            h = CustomerClassHistory
            scoped = (
                select(col(Customer.id))
                .join(OrgUnit, col(OrgUnit.id) == Customer.unit_id)
                .where(col(OrgUnit.path).startswith(unit.path))
            )

            def latest(on_or_before: date, name: str):
                ranked = (
                    select(
                        col(h.customer_id).label("customer_id"),
                        col(h.to_class).label("klass"),
                        func.row_number()
                        .over(
                            partition_by=col(h.customer_id),
                            order_by=(col(h.changed_on).desc(), col(h.id).desc()),
                        )
                        .label("rn"),
                    )
                    .where(col(h.changed_on) <= on_or_before, col(h.customer_id).in_(scoped))
                    .subquery(name)
                )
                return ranked

            before = latest(start - timedelta(days=1), "before")
            after = latest(end, "after")
            rows = session.execute(
                select(
                    func.coalesce(before.c.klass, literal_column("'new'")),
                    after.c.klass,
                    func.count(),
                )
                .select_from(
                    after.outerjoin(
                        before,
                        (before.c.customer_id == after.c.customer_id) & (before.c.rn == 1),
                    )
                )
                .where(after.c.rn == 1)
                .group_by(func.coalesce(before.c.klass, literal_column("'new'")), after.c.klass)
            ).all()
        return FlowMatrix(unit.code, start, end, {(a, b): int(n) for a, b, n in rows})

    def history(self, actor: Actor, customer_id: int) -> list[HistoryLine]:
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise NotFound(tr("没有客户 {i}", "No customer {i}", i=customer_id))
            actor.require_scope(customer.unit_id)
            h = CustomerClassHistory
            rows = session.execute(
                select(h)
                .where(col(h.customer_id) == customer_id)
                .order_by(col(h.changed_on).desc(), col(h.id).desc())
            ).scalars()
            return [
                HistoryLine(
                    r.changed_on,
                    r.from_class,
                    r.to_class,
                    r.source,
                    r.rule_version,
                    parse_reasons(r.reasons),
                )
                for r in rows
            ]
