"""A report run's query context: the connection and parameters, the policy filters,
joins, in-force and earned-premium expressions that every report query shares, and the
groupings (`Dim`) those queries take.

The measures built on it (`engine.measures`, the report cube, the customer facts) take a
`QueryContext`; `engine.facts.Context` adds the measures themselves on top.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    String,
    and_,
    func,
    select,
    type_coerce,
)

from tui_crm.domain import ClaimStatus
from tui_crm.i18n import tr
from tui_crm.services.core import earned as earned_rules
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.errors import ServiceError
from tui_crm.services.reports.engine.base import ReportParams
from tui_crm.services.reports.engine.cancel import CancelToken
from tui_crm.services.reports.engine.tables import CL, IM, C, P, S, U, V

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Dim:
    """A grouping: its SQL expression, the tables it needs joined and its label in the frame."""

    key: str
    expr: ColumnElement[Any]
    needs: frozenset[str] = frozenset()


def dim(key: str, expr: ColumnElement[Any], *needs: str) -> Dim:
    return Dim(key, expr, frozenset(needs))


@dataclass
class QueryContext:
    """One report run's connection, actor, parameters and cache, with the filters, joins
    and earned-premium expressions every query of the run shares."""

    connection: Connection
    actor: Actor
    params: ReportParams
    today: date
    token: CancelToken | None = None
    progress: Progress | None = None
    steps: int = 2
    done: int = 0
    _cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name

    @property
    def start(self) -> date:
        return self.params.date_from

    @property
    def end(self) -> date:
        return self.params.date_to

    @contextmanager
    def period(self, start: date, end: date) -> Iterator[None]:
        """Measure another window (a year of the period, the month before...) for a while."""
        saved = self.params
        self.params = replace(saved, date_from=start, date_to=end)
        try:
            yield
        finally:
            self.params = saved

    def rows(self, statement: Any, label: str = "") -> Sequence[Any]:
        if self.token is not None:
            self.token.check()
        if self.progress is not None:
            self.progress(self.done, max(self.steps, self.done + 1), label)
        with self.token.interrupts() if self.token is not None else nullcontext():
            result = self.connection.execute(statement).all()
        self.done += 1
        if self.token is not None:
            self.token.check()
        return result

    # --- filters --------------------------------------------------------------------
    @property
    def sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def whole_book(self) -> bool:
        """The unit subtree is every unit there is (no unit filter needed)."""
        if "units" not in self._cache:
            self._cache["units"] = self.connection.execute(
                select(func.count()).select_from(U)
            ).scalar_one()
        return len(self.params.unit_ids) >= int(self._cache["units"])

    def policy_filters(self) -> list[ColumnElement[bool]]:
        """Unit subtree, line and channel. On SQLite the unit term is kept off the
        (unit, start) index: a report reads most of the policies, and a table scan beats
        millions of index look-ups."""
        unit = P.c.unit_id + 0 if self.sqlite else P.c.unit_id
        conditions = [] if self.whole_book() else [unit.in_(self.params.unit_ids)]
        if self.params.line:
            conditions.append(P.c.line_code == self.params.line)
        if self.params.channel:
            conditions.append(P.c.channel == self.params.channel)
        return conditions

    def in_force(self, start: date | None = None, end: date | None = None) -> ColumnElement[bool]:
        """The policy was in force on some day of the period. (On SQLite the start date is
        kept off its index: "started before the end" selects nearly every policy.)"""
        last, first = end or self.end, start or self.start
        if self.sqlite:  # ISO date text; `|| ''` keeps the term off the index
            started = type_coerce(P.c.start_date, String).concat("")
            return and_(started <= last.isoformat(), P.c.end_date >= first)
        return and_(P.c.start_date <= last, P.c.end_date >= first)

    def written(self, start: date | None = None, end: date | None = None) -> ColumnElement[bool]:
        """The policy was written in the period (its cover starts inside it) and not
        cancelled by the period's end."""
        end = end or self.end
        return and_(
            P.c.start_date.between(start or self.start, end),
            ~earned_rules.cancelled_by_sql(P.c, end),
        )

    def expiring(self) -> ColumnElement[bool]:
        """The policy's cover ends in the period (and it was not cancelled): up for renewal."""
        return and_(P.c.end_date.between(self.start, self.end), P.c.status != "cancelled")

    def renewed(self) -> ColumnElement[bool]:
        """Another policy (not cancelled) is recorded as this one's renewal.

        SQLite builds the set of renewed ids once; PostgreSQL probes the renewal_of_id
        index per policy (an IN over millions of ids would not fit a hashed sub-plan).
        """
        renewals = P.alias("renewals")
        if self.sqlite:
            return P.c.id.in_(
                select(renewals.c.renewal_of_id).where(
                    renewals.c.renewal_of_id.is_not(None), renewals.c.status != "cancelled"
                )
            )
        return (
            select(renewals.c.id)
            .where(renewals.c.renewal_of_id == P.c.id, renewals.c.status != "cancelled")
            .exists()
        )

    def customer_scope(self) -> ColumnElement[bool]:
        return C.c.unit_id.in_(sorted(self.actor.scope_unit_ids))

    def earned_fen(self, start: date | None = None, end: date | None = None) -> ColumnElement[Any]:
        """Earned premium of the period per policy, in fen: its earned-to-date at the end of
        the period minus that at the day before it starts (each rounded to the fen), so
        periods add up exactly and agree with the monthly report cube."""
        before = (start or self.start) - timedelta(days=1)
        return earned_rules.earned_premium_sql(
            P.c, end or self.end
        ) - earned_rules.earned_premium_sql(P.c, before)

    @staticmethod
    def claim_counted() -> ColumnElement[bool]:
        """Claims that count: every claim but a withdrawn or declined one."""
        return CL.c.status.not_in([ClaimStatus.WITHDRAWN.value, ClaimStatus.DECLINED.value])

    # --- joins ----------------------------------------------------------------------
    @staticmethod
    def joined(base: FromClause, needs: Iterable[str]) -> FromClause:
        needs = set(needs)
        if "customer" in needs:
            base = base.join(C, C.c.id == P.c.customer_id)
        if "vehicle" in needs:
            base = base.outerjoin(V, V.c.id == P.c.vehicle_id)
        if "intermediary" in needs:
            base = base.outerjoin(IM, IM.c.id == P.c.intermediary_id)
        if "staff" in needs:
            base = base.outerjoin(S, S.c.id == P.c.account_manager_id)
        return base

    def threshold(self, code: str) -> Decimal:
        """A business threshold (table `threshold`), read in the report's transaction."""
        from tui_crm.storage.models import Threshold

        table = Threshold.__table__  # type: ignore[attr-defined]
        value = self.connection.execute(
            select(table.c.value).where(table.c.code == code)
        ).scalar_one_or_none()
        if value is None:
            raise ServiceError(tr("缺少阈值 {c}", "Missing threshold {c}", c=code))
        return Decimal(value)

    def line_names(self) -> dict[str, tuple[str, str]]:
        if "lines" not in self._cache:
            from tui_crm.storage.models import ProductLine

            table = ProductLine.__table__  # type: ignore[attr-defined]
            rows = self.connection.execute(
                select(table.c.code, table.c.name_zh, table.c.name_en).order_by(table.c.code)
            )
            self._cache["lines"] = {r.code: (r.name_zh, r.name_en) for r in rows}
        return dict(self._cache["lines"])


def chunks(values: list[int], size: int) -> Iterable[list[int]]:
    for index in range(0, len(values), size):
        yield values[index : index + size]
