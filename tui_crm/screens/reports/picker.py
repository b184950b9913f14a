"""Reports: the list of analyses with their descriptions and a parameter form.

↑/↓ choose a report, Enter goes to its form, F5 or Ctrl+R (or Enter on the last field)
runs it; a message appears under the field to blame when a parameter is wrong.
"""

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_crm.i18n import Phrase, tr
from tui_crm.screens.reports.result import ReportResultScreen
from tui_crm.screens.reports.shared import CSS, report_service
from tui_crm.widgets.footer import FittingFooter
from tui_crm.widgets.keys import TranslatedKeys
from tui_crm.widgets.param_form import FieldSpec, ParamForm

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor
    from tui_crm.services.reports import Report


def open_screen(services: "Services", actor: "Actor") -> "ReportsScreen":
    return ReportsScreen(services, actor)


class ReportsScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "back", Phrase("返回", "Back"), id="reports.back"),
        Binding("f5", "run", Phrase("运行", "Run"), id="reports.run"),
        Binding("ctrl+r", "run", Phrase("运行", "Run"), show=False, id="reports.run2"),
    ]

    class _Loaded(Message):
        def __init__(self, reports: list["Report"], lines: list[tuple[str, str]]) -> None:
            super().__init__()
            self.reports = reports
            self.lines = lines

    class _Valid(Message):
        def __init__(self, name: str, raw: dict[str, str]) -> None:
            super().__init__()
            self.name = name
            self.raw = raw

    class _Refused(Message):
        def __init__(self, field: str | None, message: str) -> None:
            super().__init__()
            self.field = field
            self.message = message

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.reports = report_service(services)
        self.catalogue: list[Report] = []
        self.lines: list[tuple[str, str]] = []
        self.current: Report | None = None
        self.kept: dict[str, dict[str, str]] = {}  # values typed per report

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("统计分析", "Reports"), style="bold"), id="title-bar")
        with Horizontal(id="reports-body"):
            yield OptionList(id="report-list")
            with Vertical(id="report-side"):
                yield Static("", id="report-description", markup=False)
                yield Vertical(id="report-form")
                yield Static("", id="report-error", classes="field-error", markup=False)
        yield Static(
            Text(
                tr(
                    "↑↓ 选择报表 · Enter 填写参数 · F5 运行 · Esc 返回",
                    "↑↓ choose · Enter parameters · F5 run · Esc back",
                ),
                style="dim",
            ),
            id="reports-help",
        )
        yield FittingFooter()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="reports-load")
    def _load(self) -> None:
        from tui_crm.services.core import ServiceError

        try:
            catalogue = self.reports.list_reports(self.actor)
            lines = self.reports.line_choices(self.actor)
        except ServiceError as refusal:
            self.post_message(self._Refused(None, refusal.message))
            return
        self.post_message(self._Loaded(catalogue, lines))

    def on_reports_screen__loaded(self, message: _Loaded) -> None:
        self.catalogue = message.reports
        self.lines = message.lines
        options = self.query_one("#report-list", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(Text(f"{i + 1:>2}. {r.title}"), id=r.name)
                for i, r in enumerate(self.catalogue)
            ]
        )
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionHighlighted, "#report-list")
    async def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        report = next((r for r in self.catalogue if r.name == event.option.id), None)
        if report is None or report is self.current:
            return
        self._keep_values()
        self.current = report
        description = Text()
        description.append(report.title, style="bold")
        description.append(f"  ({report.name})\n", style="dim")
        description.append(report.description)
        self.query_one("#report-description", Static).update(description)
        self.query_one("#report-error", Static).update("")
        holder = self.query_one("#report-form", Vertical)
        await holder.remove_children()
        await holder.mount(ParamForm(self._fields(report), id="param-form"))

    @on(OptionList.OptionSelected, "#report-list")
    def _chosen(self) -> None:
        form = self.query("#param-form")
        if form:
            form.first(ParamForm).focus_first()

    def _keep_values(self) -> None:
        if self.current is not None:
            for form in self.query("#param-form").results(ParamForm):
                self.kept[self.current.name] = form.values()

    def _fields(self, report: "Report") -> list[FieldSpec]:
        from tui_crm.services.reports import ParamType

        start, end = self.reports.default_period()
        kept = self.kept.get(report.name, {})
        defaults = {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "unit": self.actor.unit_code,
        }
        fields = []
        for param in report.params:
            value = kept.get(param.key, defaults.get(param.key, param.default or ""))
            if param.type is ParamType.LINE:
                fields.append(FieldSpec(param.key, param.label, "", value, self.lines, True))
            elif param.type in (ParamType.CHANNEL, ParamType.CHOICE):
                choices = [(c.code, c.label) for c in param.choices]
                fields.append(
                    FieldSpec(
                        param.key,
                        param.label,
                        "",
                        value,
                        choices,
                        param.type is ParamType.CHANNEL,
                    )
                )
            else:
                fields.append(FieldSpec(param.key, param.label, param.help, value))
        return fields

    # --- running ----------------------------------------------------------------------
    def on_param_form_submitted(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        forms = list(self.query("#param-form").results(ParamForm))
        if self.current is None or not forms:
            return
        forms[0].clear_errors()
        self.query_one("#report-error", Static).update("")
        self._validate(self.current.name, forms[0].values())

    @work(thread=True, exclusive=True, group="reports-validate")
    def _validate(self, name: str, raw: dict[str, str]) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.reports.validate(self.actor, name, raw)
        except ServiceError as refusal:
            self.post_message(self._Refused(refusal.field, refusal.message))
            return
        self.post_message(self._Valid(name, raw))

    def on_reports_screen__valid(self, message: _Valid) -> None:
        self.kept[message.name] = message.raw
        self.app.push_screen(
            ReportResultScreen(self.services, self.actor, message.name, message.raw)
        )

    def on_reports_screen__refused(self, message: _Refused) -> None:
        forms = list(self.query("#param-form").results(ParamForm))
        if forms and message.field:
            forms[0].show_error(message.field, message.message)
        else:
            self.query_one("#report-error", Static).update(Text(message.message))

    def action_back(self) -> None:
        focused = self.focused
        if focused is not None and focused.id != "report-list" and self.catalogue:
            self.query_one("#report-list", OptionList).focus()
            return
        self.app.pop_screen()

    def values_for(self, name: str) -> dict[str, Any]:
        return dict(self.kept.get(name, {}))
