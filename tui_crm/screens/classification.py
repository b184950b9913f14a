"""Customer classes: run the classification (progress, cancel), class counts month by
month and the flow matrix between classes for a unit and period.

Reached from the blacklist area (key c) and from the command palette ("客户分类").
Keys: F5 runs the classification as of the date in the box (classification.run), Esc
cancels a running classification (nothing is written) or goes back; Enter in the unit or
month boxes reloads the counts and flows (report.run or classification.run).
"""

import threading
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, ProgressBar, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.widgets.badges import class_badge, class_label, literal
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.keys import TranslatedKeys
from tui_crm.widgets.report_chart import ReportChart, Series

if TYPE_CHECKING:
    from tui_crm.services.classification import FlowMatrix, MonthlyCounts, RunResult
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

CLASSES = ["floating", "prospect", "standard", "quality", "key", "blacklist"]
RUN = "classification.run"


def can_see_classes(actor: "Actor") -> bool:
    return actor.can(RUN) or actor.can("report.run")


class ClassificationCommands(Provider):
    """Command palette entry "客户分类 / Customer classes" (needs services and a user)."""

    async def search(self, query: str) -> Hits:
        screen = self.screen
        services = getattr(screen, "services", None) or getattr(self.app, "services", None)
        actor = getattr(screen, "actor", None) or getattr(self.app, "actor", None)
        if services is None or actor is None or not can_see_classes(actor):
            return
        matcher = self.matcher(query)
        label = tr("客户分类：运行分类、月度数量、流转矩阵", "Customer classes: run, counts, flows")
        score = matcher.match(label + " classification classes fenlei")
        if score > 0:
            yield Hit(
                score,
                matcher.highlight(label),
                lambda: self.app.push_screen(ClassificationScreen(services, actor)),
                help=tr("客户分类运行与统计", "Classification run and class statistics"),
            )


def _month(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip() + "-01") if len(text.strip()) == 7 else None
    except ValueError:
        return None


class ClassificationScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).parent.parent / "styles" / "classification.tcss")
    BINDINGS = [
        Binding("f5", "run", Phrase("运行分类", "Run"), id="classes.run"),
        Binding("escape", "cancel_or_back", Phrase("取消/返回", "Cancel/back"), id="classes.back"),
    ]

    class Progress(Message):
        def __init__(self, done: int, total: int, stage: str) -> None:
            super().__init__()
            self.done, self.total, self.stage = done, total, stage

    class Finished(Message):
        def __init__(self, result: "RunResult | None", error: str | None = None) -> None:
            super().__init__()
            self.result, self.error = result, error

    class Stats(Message):
        def __init__(self, counts: "MonthlyCounts | None", flows: "FlowMatrix | None",
                     error: str | None = None, field: str | None = None) -> None:  # fmt: skip
            super().__init__()
            self.counts, self.flows, self.error, self.field = counts, flows, error, field

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.cancel_flag = threading.Event()
        self.running = False

    def compose(self) -> ComposeResult:
        today = self.services.clock.today()
        first = (today.replace(day=1) - timedelta(days=330)).replace(day=1)
        yield Static(Text(tr("客户分类", "Customer classes"), style="bold"), id="title-bar")
        if self.actor.can(RUN):
            with Horizontal(id="run-row"):
                yield Label(tr("截止日期", "As of"))
                yield Input(today.isoformat(), id="as_of", max_length=10)
                yield ProgressBar(id="run-progress", show_eta=False)
                yield Static(Text(tr("F5 运行分类", "F5 to run")), id="run-status")
            yield Static("", id="as_of-error", classes="field-error")
        with Horizontal(id="stats-row"):
            yield Label(tr("机构", "Unit"))
            yield Input(self.actor.unit_code, id="unit", max_length=20)
            yield Label(tr("起始月", "From"))
            yield Input(first.strftime("%Y-%m"), id="from", max_length=7)
            yield Label(tr("截止月", "To"))
            yield Input(today.strftime("%Y-%m"), id="to", max_length=7)
        yield Static("", id="stats-error", classes="field-error")
        with Vertical(id="stats-body"):
            yield Static(Text(tr("各类客户逐月数量", "Customers per class, month by month"),
                              style="bold"))  # fmt: skip
            with Horizontal(id="counts-row"):
                yield DataTable(id="counts", zebra_stripes=True)
                yield ReportChart(id="counts-chart")
            yield Static("", id="flows-title")
            yield DataTable(id="flows", zebra_stripes=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        counts = self.query_one("#counts", DataTable)
        counts.add_column(Text(tr("月份", "Month"), style="bold"))
        flows = self.query_one("#flows", DataTable)
        flows.add_column(Text(tr("原类别＼新类别", "From \\ to"), style="bold"))
        for code in CLASSES:
            counts.add_column(class_badge(code))
            flows.add_column(class_badge(code))
        if self.actor.can(RUN):
            self.query_one("#as_of", Input).focus()
        if can_see_classes(self.actor):
            self._reload()
        else:
            self._error(
                "#stats-error", tr("您的角色无权查看分类统计", "Your role may not see these")
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "run":
            return self.actor.can(RUN) and not self.running
        return True

    # ------------------------------------------------------------------ the run
    def action_run(self) -> None:
        text = self.query_one("#as_of", Input).value.strip()
        try:
            as_of = date.fromisoformat(text)
        except ValueError:
            self._error("#as_of-error", tr("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD"))
            return
        self._error("#as_of-error", "")
        self.running = True
        self.cancel_flag.clear()
        self.refresh_bindings()
        self.query_one("#run-status", Static).update(Text(tr("开始…", "Starting…")))
        self._run(as_of)

    @work(thread=True, exclusive=True, group="classify-run")
    def _run(self, as_of: date) -> None:
        from tui_crm.services.core import ServiceError

        def progress(done: int, total: int, stage: str) -> None:
            self.post_message(self.Progress(done, total, stage))

        try:
            result = self.services.classification.run(
                self.actor, as_of, progress=progress, cancel=self.cancel_flag.is_set
            )
        except ServiceError as error:
            self.post_message(self.Finished(None, error.message))
            return
        self.post_message(self.Finished(result))

    def on_classification_screen_progress(self, message: Progress) -> None:
        bar = self.query_one("#run-progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)
        self.query_one("#run-status", Static).update(
            Text(f"{message.stage} {message.done:,}/{message.total:,}")
        )

    def on_classification_screen_finished(self, message: Finished) -> None:
        self.running = False
        self.refresh_bindings()
        status = self.query_one("#run-status", Static)
        result = message.result
        if result is None:
            status.update(Text(message.error or "", style="bold red"))
            return
        if result.status == "cancelled":
            status.update(Text(tr("已取消，未写入任何结果", "Cancelled; nothing was written")))
            return
        status.update(
            Text(
                tr(
                    "完成：{n:,} 位客户，{c:,} 位类别变动，{s} 秒",
                    "Done: {n:,} customers, {c:,} class changes, {s} s",
                    n=result.customers,
                    c=result.changes,
                    s=result.seconds,
                ),
                style="bold green",
            )
        )
        self._reload()

    def action_cancel_or_back(self) -> None:
        if self.running:
            self.cancel_flag.set()
            self.query_one("#run-status", Static).update(Text(tr("正在取消…", "Cancelling…")))
            return
        self.app.pop_screen()

    # ------------------------------------------------------------------ statistics
    @on(Input.Submitted, "#unit, #from, #to")
    def _stats_again(self) -> None:
        self._reload()

    def _reload(self) -> None:
        first = _month(self.query_one("#from", Input).value)
        last = _month(self.query_one("#to", Input).value)
        if first is None or last is None:
            self._error("#stats-error", tr("月份格式应为 YYYY-MM", "Months are YYYY-MM"))
            return
        unit = self.query_one("#unit", Input).value.strip() or None
        self._stats(unit, first, last)

    @work(thread=True, exclusive=True, group="classes-stats")
    def _stats(self, unit: str | None, first: date, last: date) -> None:
        from tui_crm.services.core import ServiceError

        stats = self.services.class_stats
        end = (last + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        try:
            counts = stats.monthly_counts(self.actor, first, last, unit)
            flows = stats.flows(self.actor, first, end, unit)
        except ServiceError as error:
            self.post_message(self.Stats(None, None, error.message, error.field))
            return
        self.post_message(self.Stats(counts, flows))

    def on_classification_screen_stats(self, message: Stats) -> None:
        if message.counts is None or message.flows is None:
            self._error("#stats-error", message.error or "")
            return
        self._error("#stats-error", "")
        counts = self.query_one("#counts", DataTable)
        counts.clear()
        for month in message.counts.months:
            row = message.counts.row(month)
            counts.add_row(literal(month.strftime("%Y-%m")), *(literal(row[c]) for c in CLASSES))
        months = message.counts.months
        self.query_one("#counts-chart", ReportChart).show(
            "line",
            tr("各类客户逐月数量", "Customers per class by month"),
            [m.strftime("%Y-%m") for m in months],
            [Series(class_label(c), [message.counts.row(m)[c] for m in months]) for c in CLASSES],
        )
        flows = message.flows
        table = self.query_one("#flows", DataTable)
        table.clear()
        for source in flows.from_classes:
            cells: list[Any] = [
                class_badge(source) if source != "new" else Text(tr("（新）", "(new)"))
            ]
            for target in CLASSES:
                n = flows.cells.get((source, target), 0)
                style = "bold" if n and source != target else ("dim" if not n else "")
                cells.append(Text(f"{n:,}", style=style))
            table.add_row(*cells)
        self.query_one("#flows-title", Static).update(
            Text(
                tr(
                    "流转矩阵 {a} 至 {b}（{u}）：{t:,} 位客户，{m:,} 位类别变动，{n:,} 位新分类",
                    "Flows {a} to {b} ({u}): {t:,} customers, {m:,} moved, {n:,} newly classified",
                    a=flows.start, b=flows.end, u=flows.unit_code,
                    t=flows.total(), m=flows.moved(), n=flows.new(),
                ),
                style="bold",
            )
        )  # fmt: skip

    def _error(self, target: str, text: str) -> None:
        self.query_one(target, Static).update(Text(text))
