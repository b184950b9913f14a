"""A report's result: paged sortable table, chart, drill-down, export, period switching.

The report runs in a worker with a progress bar; Esc cancels it (the query in flight is
interrupted). The same screen shows a drill-down (the customers behind a row), where
Enter opens the customer.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from tui_crm import memory
from tui_crm.i18n import Phrase, tr
from tui_crm.screens.reports.shared import CSS, report_service
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.form_dialog import FormDialog, FormField
from tui_crm.widgets.keys import TranslatedKeys
from tui_crm.widgets.report_chart import ReportChart, Series
from tui_crm.widgets.report_table import ReportTable, TableColumn

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor
    from tui_crm.services.reports import CancelToken, ReportResult

EXPORT_DIR = Path.home() / "tui-crm-exports"


@dataclass
class Source:
    """How to (re)compute what the screen shows: a report with parameters, or a drill-down."""

    name: str
    raw: dict[str, str]
    parent: "ReportResult | None" = None
    row: int = 0

    @property
    def is_drill(self) -> bool:
        return self.parent is not None


class ReportResultScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = CSS
    # Under 40 rows the chart and notes shrink so the table keeps its room (reports.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]
    BINDINGS = [
        Binding("escape", "back", Phrase("返回/取消", "Back/cancel"), id="report.back"),
        Binding("d", "drill", Phrase("钻取客户", "Drill down"), id="report.drill"),
        Binding("x", "export('xlsx')", Phrase("导出", "Export"), id="report.xlsx"),
        Binding(
            "c", "export('csv')", Phrase("导出 CSV", "Export csv"), id="report.csv", show=False
        ),
        Binding(
            "t", "export('txt')", Phrase("导出文本", "Export text"), id="report.txt", show=False
        ),
        Binding(
            "left_square_bracket", "shift(-1)", Phrase("上一期", "Prev period"), id="report.prev"
        ),
        Binding(
            "right_square_bracket", "shift(1)", Phrase("下一期", "Next period"), id="report.next"
        ),
        Binding("p", "preset", Phrase("期间", "Period"), id="report.preset"),
        Binding("g", "chart", Phrase("图表", "Chart"), id="report.chart"),
        Binding("f5", "rerun", Phrase("重算", "Rerun"), id="report.rerun"),
    ]

    class _Progress(Message):
        def __init__(self, done: int, total: int, label: str) -> None:
            super().__init__()
            self.done, self.total, self.label = done, total, label

    class _Finished(Message):
        def __init__(self, result: "ReportResult") -> None:
            super().__init__()
            self.result = result

    class _Failed(Message):
        def __init__(self, message: str, cancelled: bool = False) -> None:
            super().__init__()
            self.message = message
            self.cancelled = cancelled

    class _Exported(Message):
        def __init__(self, text: str, error: str | None = None, path: str = "") -> None:
            super().__init__()
            self.text, self.error, self.path = text, error, path

    def __init__(
        self,
        services: "Services",
        actor: "Actor",
        name: str,
        raw: dict[str, str],
        *,
        parent: "ReportResult | None" = None,
        row: int = 0,
    ) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.reports = report_service(services)
        self.source = Source(name, dict(raw), parent, row)
        self.result: ReportResult | None = None
        self.token: CancelToken | None = None
        self.running = False
        self.preset = -1

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar", markup=False)
        with Vertical(id="report-status-box"):
            yield Static("", id="report-status", markup=False)
            yield ProgressBar(id="report-progress", show_eta=False)
        yield ReportTable(id="report-table")
        yield ReportChart(id="report-chart")
        yield Static("", id="report-notes", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#title-bar", Static).update(Text(self._title(), style="bold"))
        self._start()

    def _title(self) -> str:
        """The report's name while it runs (its title, never its code)."""
        if self.source.parent is not None:
            return self.source.parent.title
        titles = {r.name: r.title for r in self.reports.list_reports(self.actor)}
        return titles.get(self.source.name, self.source.name)

    # --- running ----------------------------------------------------------------------
    def _start(self) -> None:
        from tui_crm.services.reports import CancelToken

        if self.token is not None:
            self.token.cancel()
        self.token = CancelToken()
        self.running = True
        self.query_one("#report-status-box").display = True
        self.query_one("#report-progress").display = True
        self.query_one("#report-status", Static).update(
            Text(tr("正在计算…  Esc 取消", "Working…  Esc cancels"))
        )
        self.query_one("#report-progress", ProgressBar).update(total=None, progress=0)
        self._compute(self.token)

    @work(thread=True, exclusive=True, group="report-run")
    def _compute(self, token: "CancelToken") -> None:
        from tui_crm.services.core import ServiceError
        from tui_crm.services.reports import ReportCancelled

        def progress(done: int, total: int, label: str) -> None:
            self.post_message(self._Progress(done, total, label))

        try:
            if self.source.parent is not None:
                result = self.reports.drill(
                    self.actor, self.source.parent, self.source.row, token=token
                )
            else:
                result = self.reports.run(
                    self.actor, self.source.name, self.source.raw, progress=progress, token=token
                )
        except ReportCancelled as stop:
            self.post_message(self._Failed(stop.message, cancelled=True))
            return
        except ServiceError as refusal:
            self.post_message(self._Failed(refusal.message))
            return
        if not token.cancelled:
            self.post_message(self._Finished(result))

    def on_report_result_screen__progress(self, message: _Progress) -> None:
        bar = self.query_one("#report-progress", ProgressBar)
        bar.update(total=message.total, progress=message.done)
        self.query_one("#report-status", Static).update(
            Text(tr("正在计算：{l}…  Esc 取消", "Working: {l}…  Esc cancels", l=message.label))
        )

    def on_report_result_screen__failed(self, message: _Failed) -> None:
        self.running = False
        self.query_one("#report-progress").display = False
        self.query_one("#report-status", Static).update(
            Text(message.message, style="yellow" if message.cancelled else "red")
        )

    def on_report_result_screen__finished(self, message: _Finished) -> None:
        self.running = False
        self.result = message.result
        self.query_one("#report-status-box").display = False
        self._show(message.result)
        memory.release()  # the computation's frames and customer facts are garbage now

    def _show(self, result: "ReportResult") -> None:
        from tui_crm.services.reports import Kind, format_cell

        params = result.params
        title = Text(result.title, style="bold")
        title.append(
            f"   {params.date_from.isoformat()} – {params.date_to.isoformat()}"
            f"   {params.unit} {params.unit_name}"
        )
        self.query_one("#title-bar", Static).update(title)
        columns = result.visible_columns
        frame = result.frame
        data = [frame[c.key].tolist() for c in columns]
        cells = [
            [format_cell(c, data[i][r]) for i, c in enumerate(columns)] for r in range(len(frame))
        ]
        sorts = [[data[i][r] for i in range(len(columns))] for r in range(len(frame))]
        totals = None
        if result.totals is not None:
            totals = [format_cell(c, result.totals.get(c.key)) for c in columns]
            totals[0] = tr("合计", "Total")
        table_columns = [TableColumn(c.label, c.kind is not Kind.TEXT) for c in columns]
        self.query_one(ReportTable).load(table_columns, cells, sorts, totals)
        self.query_one(ReportTable).table.focus()
        notes = Text(style="dim")
        for note in result.notes:
            notes.append(note + "\n")
        if not len(frame):
            notes.append(tr("（期间内没有数据）", "(no data in the period)"), style="bold")
        self.query_one("#report-notes", Static).update(notes)
        self._draw_chart(result)

    def _draw_chart(self, result: "ReportResult") -> None:
        chart = self.query_one(ReportChart)
        spec = result.chart
        if spec is None or not len(result.frame):
            chart.display = False
            return
        rows = result.frame.head(spec.limit)
        labels = [str(v) for v in rows[spec.x].tolist()] if spec.x in rows else []
        series = []
        for key in spec.ys:
            if key not in rows:
                continue
            column = result.column(key)
            scale = 100 if column.kind.value == "percent" else 1
            values = [None if v is None else float(v) * scale for v in rows[key].tolist()]
            series.append(Series(column.label + ("(%)" if scale == 100 else ""), values))
        chart.show(spec.kind, spec.title, labels, series)

    def on_unmount(self) -> None:
        self.result = None
        self.app.call_later(memory.release)  # the result's rows, once its widgets are gone

    # --- keys -------------------------------------------------------------------------
    def action_back(self) -> None:
        if self.running and self.token is not None:
            self.token.cancel()
            self.query_one("#report-status", Static).update(Text(tr("正在取消…", "Cancelling…")))
            return
        self.app.pop_screen()

    def action_chart(self) -> None:
        chart = self.query_one(ReportChart)
        chart.display = not chart.display

    def action_rerun(self) -> None:
        if not self.running:
            self._start()

    def action_shift(self, steps: int) -> None:
        from tui_crm.services.reports import shift_period

        if self.source.is_drill or self.result is None or self.running:
            return
        start, end = shift_period(self.result.params.date_from, self.result.params.date_to, steps)
        self._set_period(start.isoformat(), end.isoformat())

    def action_preset(self) -> None:
        from tui_crm.services.reports import PRESETS, preset_period

        if self.source.is_drill or self.running:
            return
        self.preset = (self.preset + 1) % len(PRESETS)
        start, end = preset_period(PRESETS[self.preset].code, self.services.clock.today())
        self.notify(PRESETS[self.preset].label, timeout=2)
        self._set_period(start.isoformat(), end.isoformat())

    def _set_period(self, start: str, end: str) -> None:
        self.source.raw.update({"from": start, "to": end})
        self._start()

    def on_report_table_row_chosen(self, message: ReportTable.RowChosen) -> None:
        self._drill(message.index)

    def action_drill(self) -> None:
        index = self.query_one(ReportTable).selected_index()
        if index is not None:
            self._drill(index)

    def _drill(self, index: int) -> None:
        if self.result is None:
            return
        if self.source.is_drill:
            self._open_customer(index)
            return
        if not self.result.drillable:
            self.notify(tr("此报表没有钻取", "This report has no drill-down"), severity="warning")
            return
        self.app.push_screen(
            ReportResultScreen(
                self.services, self.actor, self.source.name, {}, parent=self.result, row=index
            )
        )

    def _open_customer(self, index: int) -> None:
        assert self.result is not None
        customer_id = int(self.result.frame.iloc[index]["customer_id"])
        try:
            from tui_crm.screens.customer.view import CustomerScreen
        except ImportError:
            self.notify(tr("客户 {i}", "Customer {i}", i=customer_id))
            return
        self.app.push_screen(CustomerScreen(self.services, self.actor, customer_id))

    # --- export -----------------------------------------------------------------------
    def action_export(self, fmt: str, error: str | None = None, path: str = "") -> None:
        if self.result is None or self.running:
            return
        result = self.result
        default = EXPORT_DIR / (
            f"{result.name.replace('.', '-')}-{result.params.date_from:%Y%m%d}"
            f"-{result.params.date_to:%Y%m%d}.{fmt}"
        )
        fields = [FormField("path", tr("导出到文件", "Export to file"), path or str(default))]
        self.app.push_screen(
            FormDialog(
                tr("导出 {t}", "Export {t}", t=result.title),
                fields,
                {"path": error} if error else None,
            ),
            self._export_chosen(fmt),
        )

    def _export_chosen(self, fmt: str) -> Callable[[dict[str, str] | None], None]:
        def chosen(values: dict[str, str] | None) -> None:
            if values is not None and self.result is not None:
                self._export(self.result, values["path"].strip(), fmt)

        return chosen

    @work(thread=True, exclusive=True, group="report-export")
    def _export(self, result: "ReportResult", path: str, fmt: str) -> None:
        from tui_crm.services.core import ServiceError

        target = Path(path).expanduser()
        if target.parent == EXPORT_DIR:
            EXPORT_DIR.mkdir(parents=True, exist_ok=True)
        try:
            summary = self.reports.export(self.actor, result, target)
        except ServiceError as refusal:
            self.post_message(self._Exported(fmt, refusal.message, path))
            return
        self.post_message(
            self._Exported(
                tr(
                    "已导出 {n} 行到 {p}",
                    "Exported {n} rows to {p}",
                    n=summary.rows,
                    p=summary.path,
                )
            )
        )

    def on_report_result_screen__exported(self, message: _Exported) -> None:
        if message.error is not None:
            self.action_export(message.text, message.error, message.path)
            return
        self.notify(message.text)
        self.query_one("#report-status-box").display = True
        self.query_one("#report-progress").display = False
        self.query_one("#report-status", Static).update(Text(message.text, style="green"))

    def shown(self) -> Any:
        """The result on screen (for tests and the command palette)."""
        return self.result
