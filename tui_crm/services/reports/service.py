"""ReportService: list, run (with progress and cancel), drill down and export reports.

Every call checks the permission (`report.run`, `export.create`), cuts the unit subtree to
the actor's scope and runs the report's SQL in one read transaction.
"""

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, func, select, text
from sqlmodel import col
from sqlmodel import select as model_select

from tui_crm.i18n import tr
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.core.masking import mask_phone
from tui_crm.services.reports.cube import store as cube
from tui_crm.services.reports.customer_facts import store as customer_facts
from tui_crm.services.reports.customers import customer_info
from tui_crm.services.reports.derived import DerivedRefresh, refresh_derived
from tui_crm.services.reports.engine import labels
from tui_crm.services.reports.engine.base import (
    Column,
    Kind,
    ParamType,
    ReportParams,
    ReportResult,
    compute_totals,
    count,
    earned_lr,
    money,
)
from tui_crm.services.reports.engine.base import (
    text as text_column,
)
from tui_crm.services.reports.engine.cancel import CancelToken
from tui_crm.services.reports.engine.params import default_period, validate
from tui_crm.services.reports.export.writer import ExportService, ExportSummary
from tui_crm.services.reports.facts import Context, P, Progress
from tui_crm.services.reports.registry import DrillSpec, Output, Report, all_reports, get
from tui_crm.storage.db import Database, release_page_cache

DRILL_LIMIT = 2000


def definitions() -> list[str]:
    return [
        tr(
            "满期赔付率 =（已付赔款 + 未决赔款）/ 满期保费；满期保费按 1/365 法：保费 × 期间内"
            "保障天数 / 保单天数；赔款按出险日期计入期间。",
            "Earned loss ratio = (paid + outstanding claims) / earned premium; earned premium by "
            "the 1/365 method: premium × days of cover inside the period / days of the policy; "
            "claims count in the period of their loss date.",
        ),
        tr(
            "简单赔付率 = 已付赔款 / 签单保费（保单起期在期间内）。",
            "Simple loss ratio = paid claims / written premium (policies starting in the period).",
        ),
    ]


class ReportService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock
        self.exports = ExportService(database)

    def list_reports(self, actor: Actor) -> list[Report]:
        actor.require(Permission.REPORT_RUN)
        return all_reports()

    def line_choices(self, actor: Actor) -> list[tuple[str, str]]:
        """(code, name) of the product lines, for a parameter form."""
        actor.require(Permission.REPORT_RUN)
        from tui_crm.storage.models import ProductLine

        with self.database.session() as session:
            lines = session.exec(model_select(ProductLine).order_by(col(ProductLine.code))).all()
            return [(line.code, tr(line.name_zh, line.name_en)) for line in lines]

    def default_period(self) -> tuple[date, date]:
        return default_period(self.clock.today())

    def refresh_cube(
        self,
        actor: Actor,
        *,
        full: bool = False,
        progress: Progress | None = None,
        token: CancelToken | None = None,
    ) -> DerivedRefresh:
        """Bring the report cube (`reports.cube`) and the customer facts
        (`reports.customer_facts`) up to date (`refresh_derived`)."""
        return self.refresh_derived(actor, full=full, progress=progress, token=token)

    def refresh_derived(
        self,
        actor: Actor,
        *,
        full: bool = False,
        progress: Progress | None = None,
        token: CancelToken | None = None,
    ) -> DerivedRefresh:
        """Bring the derived data up to date: nothing when it is fresh; the logged changes
        and the new rows applied by increments; a rebuild when it is missing, the log is too
        large or `full` (`reports.derived`). The nightly run calls this after its imports.
        A cancel (`token`) stops it between steps or interrupts the query in flight;
        nothing is kept then."""
        actor.require(Permission.REPORT_RUN)
        started = time.perf_counter()
        token = token or CancelToken()  # one that is never cancelled: a single code path
        with self._connection(token) as connection, token.interrupts():
            if not full and cube.is_fresh(connection) and customer_facts.is_fresh(connection):
                return DerivedRefresh("fresh", "fresh", 0, 0, 0, 0, 0.0)
            if progress is not None:  # a rebuild of a large book takes a minute or two
                progress(0, 1, tr("正在更新报表数据（数据有变更）", "Updating the report data"))
            if connection.dialect.name == "postgresql":
                connection.execute(text("SET LOCAL work_mem = '256MB'"))
            token.check()
            done = refresh_derived(
                connection, full=full, check=token.check, progress=_checking(progress, token)
            )
            token.check()
        return replace(done, seconds=time.perf_counter() - started)

    def validate(self, actor: Actor, name: str, raw: Mapping[str, str | None]) -> ReportParams:
        actor.require(Permission.REPORT_RUN)
        report = get(name)
        with self.database.session() as session:
            return validate(session, actor, report.params, raw, self.clock.today())

    @contextmanager
    def _connection(self, token: CancelToken | None) -> Iterator[Connection]:
        with self.database.connect() as connection:
            if connection.dialect.name == "postgresql":
                # Report sessions: no JIT, and room to hash and sort in memory.
                connection.execute(text("SET LOCAL jit = off"))
                connection.execute(text("SET LOCAL work_mem = '128MB'"))
            dbapi = connection.connection.dbapi_connection
            if token is not None:
                token.attach(dbapi)
            try:
                yield connection
            finally:
                if token is not None:
                    token.detach()
                release_page_cache(connection)

    def run(
        self,
        actor: Actor,
        name: str,
        raw: Mapping[str, str | None],
        *,
        progress: Progress | None = None,
        token: CancelToken | None = None,
    ) -> ReportResult:
        report = get(name)
        params = self.validate(actor, name, raw)
        self.refresh_cube(actor, progress=progress, token=token)
        with self._connection(token) as connection:
            context = Context(
                connection, actor, params, self.clock.today(), token, progress, report.steps(params)
            )
            output = report.run(context)
        if progress is not None:
            progress(context.done, context.done, tr("完成", "done"))
        return self._result(report.name, report.title, report, params, actor, output)

    def _result(
        self,
        name: str,
        title: str,
        report: Report,
        params: ReportParams,
        actor: Actor,
        output: Output,
    ) -> ReportResult:
        keys = [c.key for c in output.columns]
        extra = sorted({k for row in output.rows for k in row} - set(keys))
        frame = pd.DataFrame.from_records(output.rows, columns=keys + extra)
        frame = frame.astype(object).where(frame.notna(), None)
        totals = compute_totals(output.columns, frame) if output.totals and len(frame) else None
        if output.subtitle:
            title = f"{title} — {output.subtitle}"
        return ReportResult(
            name=name,
            title=title,
            params=params,
            param_lines=param_lines(report, params),
            columns=output.columns,
            frame=frame,
            totals=totals,
            chart=output.chart,
            drillable=report.drill is not None,
            generated_at=self.clock.now(),
            generated_by=f"{actor.display_name} ({actor.username})",
            notes=[*output.notes, *definitions()],
        )

    # --- drill down -----------------------------------------------------------------
    def drill(
        self,
        actor: Actor,
        result: ReportResult,
        row: int,
        *,
        token: CancelToken | None = None,
        limit: int = DRILL_LIMIT,
    ) -> ReportResult:
        """The customers behind row `row` of `result`, largest written premium first."""
        actor.require(Permission.REPORT_RUN)
        report = get(result.name.split(".")[0])
        if report.drill is None or not 0 <= row < len(result.frame):
            raise ValidationFailed(tr("此行无法钻取", "This row has no drill-down"), field="row")
        key = {str(k): v for k, v in result.frame.iloc[row].to_dict().items()}
        params = self.validate(actor, report.name, result.params.as_raw())
        with self._connection(token) as connection:
            context = Context(connection, actor, params, self.clock.today(), token, steps=4)
            spec = report.drill(context, key)
            if spec is None:
                raise ValidationFailed(
                    tr("此行无法钻取", "This row has no drill-down"), field="row"
                )
            output = drill_output(
                context, spec, limit, unmasked=actor.can(Permission.PII_UNMASKED_EXPORT)
            )
        title = tr("{r}：{row} 的客户", "{r}: customers of {row}", r=report.title, row=spec.label)
        return self._result(f"{report.name}.drill", title, report, params, actor, output)

    # --- export ---------------------------------------------------------------------
    def export(self, actor: Actor, result: ReportResult, path: Path | str) -> ExportSummary:
        return self.exports.export(actor, result, path)


def param_lines(report: Report, params: ReportParams) -> list[tuple[str, str]]:
    everything = tr("全部", "all")
    lines = [
        (tr("期间", "Period"), f"{params.date_from.isoformat()} – {params.date_to.isoformat()}"),
        (tr("机构", "Unit"), f"{params.unit} {params.unit_name}"),
        (tr("险种", "Line"), params.line or everything),
        (
            tr("渠道", "Channel"),
            labels.label(labels.CHANNEL, params.channel) if params.channel else everything,
        ),
    ]
    for spec in report.params:
        if spec.type is ParamType.CHOICE:
            value = params.option(spec.key)
            choice = next((c for c in spec.choices if c.code == value), None)
            lines.append((spec.label, choice.label if choice else value))
        elif spec.type is ParamType.INT:
            lines.append((spec.label, params.option(spec.key)))
    return lines


DRILL_COLUMNS: list[Column] = [
    Column("customer_id", "客户号", "Customer id", Kind.ID),
    text_column("name", "客户名称", "Customer", pii="name"),
    text_column("kind_label", "类型", "Kind"),
    text_column("unit_code", "机构", "Unit"),
    text_column("class_label", "客户分类", "Class"),
    text_column("manager", "客户经理", "Account manager"),
    text_column("phone", "手机", "Mobile", pii="phone"),
    count("policies", "签单件数", "Policies"),
    money("written", "签单保费", "Written premium"),
    money("earned", "满期保费", "Earned premium"),
    money("incurred", "已决+未决赔款", "Paid + outstanding"),
    earned_lr(),
    text_column("customer_kind", "", "", hidden=True),
]


def drill_output(context: Context, spec: DrillSpec, limit: int, *, unmasked: bool) -> Output:
    if spec.ids is not None:
        ids_query = spec.ids.subquery("ids")
        total = context.rows(select(func.count()).select_from(ids_query))[0][0]
        ranked = context.customer_ranking(
            order="written",
            descending=True,
            limit=limit,
            where=[P.c.customer_id.in_(select(ids_query.c[0]))],
        )
        seen = {r["customer_id"] for r in ranked}
        if len(ranked) < limit:
            rest = context.rows(
                select(ids_query.c[0]).order_by(ids_query.c[0]).limit(limit + len(seen))
            )
            for (customer_id,) in rest:
                if customer_id not in seen and len(ranked) < limit:
                    ranked.append({"customer_id": customer_id})
                    seen.add(customer_id)
    else:
        distinct = (
            select(P.c.customer_id)
            .select_from(context.joined(P, {"customer", *spec.needs}))
            .where(
                *context.policy_filters(), context.in_force(), context.customer_scope(), *spec.where
            )
            .distinct()
            .subquery()
        )
        total = context.rows(select(func.count()).select_from(distinct))[0][0]
        ranked = context.customer_ranking(
            order="written", descending=True, limit=limit, where=spec.where, needs=spec.needs
        )
    info = customer_info(context, [r["customer_id"] for r in ranked])
    rows = []
    for entry in ranked:
        about = info.get(entry["customer_id"])
        if about is None:
            continue  # outside the actor's scope
        phone = about.get("phone")
        rows.append(
            {
                **entry,
                "name": about["name"],
                "customer_kind": about["kind"],
                "kind_label": labels.label(labels.KIND, about["kind"]),
                "unit_code": about["unit_code"],
                "class_label": labels.label(labels.CLASS, about["customer_class"]),
                "manager": about.get("manager"),
                "phone": phone if unmasked else mask_phone(phone),
            }
        )
    notes = []
    if total > len(rows):
        notes.append(
            tr(
                "共 {t} 位客户，按签单保费显示前 {n} 位",
                "{t} customers; the first {n} by written premium shown",
                t=total,
                n=len(rows),
            )
        )
    return Output(columns=list(DRILL_COLUMNS), rows=rows, notes=notes, subtitle="")


def _checking(progress: Progress | None, token: CancelToken) -> Progress:
    """`progress` that first raises `ReportCancelled` once the report was cancelled."""

    def report(done: int, total: int, label: str) -> None:
        token.check()
        if progress is not None:
            progress(done, total, label)

    return report
