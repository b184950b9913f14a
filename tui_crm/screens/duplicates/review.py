"""Duplicate candidates, worst first: score, reasons and both records (masked).

Keys: Enter opens the highlighted pair side by side to merge, r reloads, Esc goes back.
Supervisors and managers (customer.merge) only; both records of a pair are in the
user's units.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.i18n.vocabulary import labels
from tui_crm.widgets.badges import literal
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor

COLUMNS = [
    ("分数", "Score"),
    ("原因", "Reasons"),
    ("客户甲", "Customer A"),
    ("证件号", "ID"),
    ("机构", "Unit"),
    ("客户乙", "Customer B"),
    ("证件号", "ID"),
    ("机构", "Unit"),
]


def open_screen(services: "Services", actor: "Actor") -> "DuplicatesScreen":
    return DuplicatesScreen(services, actor)


def score_text(score: int) -> Text:
    style = "bold red" if score >= 90 else ("yellow" if score >= 70 else "")
    return Text(str(score), style=style)


class DuplicatesScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "duplicates.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", Phrase("返回", "Back"), id="duplicates.back"),
        Binding("enter", "open", Phrase("比较合并", "Compare and merge"), show=True),
        Binding("r", "reload", Phrase("刷新", "Reload"), id="duplicates.reload"),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[Any] | None, reason: str = "") -> None:
            super().__init__()
            self.rows, self.reason = rows, reason

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.rows: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("重复客户", "Duplicate customers"), style="bold"), id="title-bar")
        yield DataTable(id="duplicates-table", cursor_type="row", zebra_stripes=True)
        yield Static(Text(tr("正在查找……", "Looking…")), id="duplicates-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for zh, en in COLUMNS:
            table.add_column(Text(tr(zh, en), style="bold"))
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="duplicates-load")
    def _load(self) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.post_message(self.Loaded(self.services.duplicates.candidates(self.actor)))
        except ServiceError as error:
            self.post_message(self.Loaded(None, error.message))

    def on_duplicates_screen_loaded(self, message: Loaded) -> None:
        status = self.query_one("#duplicates-status", Static)
        if message.rows is None:
            status.update(Text(message.reason, style="bold red"))
            return
        self.rows = message.rows
        table = self.query_one(DataTable)
        previous = table.cursor_row
        table.clear()
        for c in self.rows:
            table.add_row(
                score_text(c.score),
                literal(labels("duplicate_reason", c.reasons)),
                literal(f"{c.first.id} {c.first.name}"),
                literal(c.first.id_number_masked),
                literal(c.first.unit_name),
                literal(f"{c.second.id} {c.second.name}"),
                literal(c.second.id_number_masked),
                literal(c.second.unit_name),
            )
        if self.rows:
            table.move_cursor(row=min(max(previous, 0), len(self.rows) - 1))
        status.update(
            Text(
                tr(
                    "共 {n} 对可能重复。Enter 并排比较并合并",
                    "{n} possible duplicates. Enter compares and merges",
                    n=len(self.rows),
                )
            )
        )

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        index = self.query_one(DataTable).cursor_row
        if not 0 <= index < len(self.rows):
            return
        from tui_crm.screens.duplicates.merge import MergeScreen

        pair = self.rows[index]
        self.app.push_screen(
            MergeScreen(self.services, self.actor, pair.first.id, pair.second.id),
            self._after_merge,
        )

    def _after_merge(self, result: str | None) -> None:
        if result:
            self.notify(result)
        self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()
