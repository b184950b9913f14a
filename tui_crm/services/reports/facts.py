"""The SQL every report pushes down: policy and claim measures grouped by any dimension.

Nothing here loads policies into Python. A report names its dimensions (SQL expressions
such as the product line, the customer's industry or the vehicle's age band) and gets
back one row per group with:

- policies, customers — policies written in the period (start date inside it) and the
  distinct customers holding them;
- written — their premium (签单保费); sum_insured, commission — theirs too;
- earned — earned premium of every policy in force during the period (1/365 method,
  `services.earned`), whatever year it was written;
- claims, paid, outstanding, incurred — claims whose loss date falls in the period
  (accident-period basis), incurred = paid + outstanding;
- earned_lr (满期赔付率) = incurred / earned, simple_lr (简单赔付率) = paid / written.

Money leaves SQL as integer fen and becomes Decimal here, so totals are exact.
The policies counted are those of the unit subtree (policy.unit_id), line and channel of
the parameters; per-customer rows and drill-downs also keep to customers of the actor's
scope (customer.unit_id).
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    FromClause,
    Select,
    String,
    and_,
    case,
    distinct,
    extract,
    func,
    literal,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.exc import DBAPIError

from tui_crm.domain import ClaimStatus
from tui_crm.i18n import tr
from tui_crm.services import earned as earned_rules
from tui_crm.services.actor import Actor
from tui_crm.services.errors import ServiceError
from tui_crm.services.reports.base import ReportParams
from tui_crm.services.reports.cancel import CancelToken, ReportCancelled
from tui_crm.storage.models import (
    Claim,
    Contact,
    Customer,
    Intermediary,
    OrgUnit,
    Policy,
    StaffUser,
    Vehicle,
)
from tui_crm.storage.types import from_fen

P = Policy.__table__  # type: ignore[attr-defined]
CL = Claim.__table__  # type: ignore[attr-defined]
C = Customer.__table__  # type: ignore[attr-defined]
V = Vehicle.__table__  # type: ignore[attr-defined]
IM = Intermediary.__table__  # type: ignore[attr-defined]
S = StaffUser.__table__  # type: ignore[attr-defined]
U = OrgUnit.__table__  # type: ignore[attr-defined]
CT = Contact.__table__  # type: ignore[attr-defined]

MEASURES = ("policies", "customers", "written", "earned", "sum_insured", "commission")
CLAIM_MEASURES = ("claims", "paid", "outstanding")


def fen(column: Any) -> ColumnElement[int]:
    """A money column as its stored integer fen (no Decimal round trip inside SQL)."""
    return type_coerce(column, BigInteger)


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
class Context:
    connection: Connection
    actor: Actor
    params: ReportParams
    today: date
    token: CancelToken | None = None
    progress: Progress | None = None
    steps: int = 2
    done: int = 0
    _cache: dict[str, Any] = field(default_factory=dict)

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
        try:
            result = self.connection.execute(statement).all()
        except DBAPIError:
            if self.token is not None and self.token.cancelled:
                raise ReportCancelled(tr("报表已取消", "Report cancelled")) from None
            raise
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
        return earned_rules.earned_premium_sql(P.c, end or self.end, since=start or self.start)

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

    # --- the measures ---------------------------------------------------------------
    def policy_select(
        self,
        dims: Sequence[Dim],
        where: Sequence[ColumnElement[bool]] = (),
        needs: Iterable[str] = (),
    ) -> Select[Any]:
        written = self.written()
        all_needs = set(needs).union(*(d.needs for d in dims))

        def when_written(column: Any) -> Any:
            return func.coalesce(func.sum(case((written, fen(column)), else_=0)), 0)

        return (
            select(
                *(d.expr.label(d.key) for d in dims),
                func.count(case((written, P.c.id))).label("policies"),
                func.count(distinct(case((written, P.c.customer_id)))).label("customers"),
                when_written(P.c.premium).label("written"),
                func.coalesce(func.sum(self.earned_fen()), 0).label("earned"),
                when_written(P.c.sum_insured).label("sum_insured"),
                when_written(P.c.commission).label("commission"),
            )
            .select_from(self.joined(P, all_needs))
            .where(*self.policy_filters(), self.in_force(), *where)
            .group_by(*(d.expr for d in dims))
        )

    def claim_select(
        self,
        dims: Sequence[Dim],
        where: Sequence[ColumnElement[bool]] = (),
        needs: Iterable[str] = (),
    ) -> Select[Any]:
        all_needs = set(needs).union(*(d.needs for d in dims))
        base = self.joined(CL.join(P, P.c.id == CL.c.policy_id), all_needs)
        return (
            select(
                *(d.expr.label(d.key) for d in dims),
                func.count(CL.c.id).label("claims"),
                func.coalesce(func.sum(fen(CL.c.paid)), 0).label("paid"),
                func.coalesce(func.sum(fen(CL.c.outstanding)), 0).label("outstanding"),
            )
            .select_from(base)
            .where(
                *self.policy_filters(),
                CL.c.loss_date.between(self.start, self.end),
                self.claim_counted(),
                *where,
            )
            .group_by(*(d.expr for d in dims))
        )

    def measures(
        self,
        dims: Sequence[Dim],
        where: Sequence[ColumnElement[bool]] = (),
        needs: Iterable[str] = (),
        claim_where: Sequence[ColumnElement[bool]] | None = None,
    ) -> list[dict[str, Any]]:
        """One dict per group: the dimension values and every measure (money as Decimal)."""
        keys = [d.key for d in dims]
        policy_rows = self.rows(self.policy_select(dims, where, needs), tr("保单", "policies"))
        claim_rows = self.rows(
            self.claim_select(dims, where if claim_where is None else claim_where, needs),
            tr("赔案", "claims"),
        )
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in policy_rows:
            mapping = row._mapping
            group = tuple(mapping[k] for k in keys)
            groups[group] = {**{k: mapping[k] for k in keys}, **{m: mapping[m] for m in MEASURES}}
        for row in claim_rows:
            mapping = row._mapping
            group = tuple(mapping[k] for k in keys)
            entry = groups.setdefault(
                group, {**{k: mapping[k] for k in keys}, **dict.fromkeys(MEASURES, 0)}
            )
            entry.update({m: mapping[m] for m in CLAIM_MEASURES})
        return [finish(entry) for entry in groups.values()]

    def customer_ranking(
        self,
        *,
        order: str,
        descending: bool,
        limit: int,
        where: Sequence[ColumnElement[bool]] = (),
        needs: Iterable[str] = (),
    ) -> list[dict[str, Any]]:
        """Per customer (of the actor's scope) measures, ranked in SQL, the first `limit`.

        `order`: written | earned | incurred | value (earned − incurred − commission).
        """
        needs = {"customer", *needs}
        where = [*where, self.customer_scope()]
        customer = dim("customer_id", P.c.customer_id)
        policies = self.policy_select([customer], where, needs).subquery("policies")
        claims = self.claim_select([customer], where, needs).subquery("claims")
        zero = literal(0, BigInteger)
        union = union_all(
            select(
                policies.c.customer_id,
                policies.c.policies,
                policies.c.written,
                policies.c.earned,
                policies.c.sum_insured,
                policies.c.commission,
                zero.label("claims"),
                zero.label("paid"),
                zero.label("outstanding"),
            ),
            select(
                claims.c.customer_id,
                zero,
                zero,
                zero,
                zero,
                zero,
                claims.c.claims,
                claims.c.paid,
                claims.c.outstanding,
            ),
        ).subquery("facts")
        names = ("policies", "written", "earned", "sum_insured", "commission", "claims")
        sums = {name: func.sum(union.c[name]) for name in (*names, "paid", "outstanding")}
        incurred = sums["paid"] + sums["outstanding"]
        keys = {
            "written": sums["written"],
            "earned": sums["earned"],
            "incurred": incurred,
            "value": sums["earned"] - incurred - sums["commission"],
        }
        key = keys[order]
        statement = (
            select(union.c.customer_id, *(value.label(name) for name, value in sums.items()))
            .group_by(union.c.customer_id)
            .order_by(key.desc() if descending else key.asc(), union.c.customer_id)
            .limit(limit)
        )
        rows = self.rows(statement, tr("客户排名", "ranking customers"))
        result = []
        for row in rows:
            entry = dict(row._mapping)
            entry["customers"] = 1
            result.append(finish(entry))
        return result

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


def month_key(column: Any) -> ColumnElement[int]:
    """yyyymm of a date column, on either dialect."""
    return extract("year", column) * 100 + extract("month", column)


def finish(entry: dict[str, Any]) -> dict[str, Any]:
    """Fen → Decimal yuan, incurred and the two loss ratios."""
    for name in ("claims", "paid", "outstanding"):
        entry.setdefault(name, 0)
    for name in ("written", "earned", "sum_insured", "commission", "paid", "outstanding"):
        entry[name] = from_fen(entry.get(name))
    for name in ("policies", "customers", "claims"):
        entry[name] = int(entry.get(name) or 0)
    entry["incurred"] = entry["paid"] + entry["outstanding"]
    entry["earned_lr"] = rounded(
        earned_rules.earned_loss_ratio(entry["paid"], entry["outstanding"], entry["earned"])
    )
    entry["simple_lr"] = rounded(earned_rules.simple_loss_ratio(entry["paid"], entry["written"]))
    return entry


def chunks(values: list[int], size: int) -> Iterable[list[int]]:
    for index in range(0, len(values), size):
        yield values[index : index + size]


def rounded(value: Decimal | None) -> Decimal | None:
    """A ratio to 4 decimals (0.6523 = 65.23%), half-up."""
    if value is None:
        return None
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
