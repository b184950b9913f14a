"""What the branch's record screens share: a table of records, n adds one, Enter corrects
the highlighted one in a form (the refusal shown under its field), r reloads, Esc goes
back. Each screen says its columns, how to load, show and save its records."""

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
from tui_crm.widgets.form_dialog import FormDialog, FormField
from tui_crm.widgets.keys import TranslatedKeys

if TYPE_CHECKING:
    from tui_crm.services.container import Services
    from tui_crm.services.core import Actor


class RecordsScreen(TranslatedKeys, Screen[None]):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "styles" / "branch.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", Phrase("返回", "Back"), id="records.back"),
        Binding("n", "add", Phrase("新增", "Add"), id="records.add"),
        Binding("enter", "edit", Phrase("修改", "Correct"), show=True),
        Binding("r", "reload", Phrase("刷新", "Reload"), id="records.reload"),
    ]
    HEADING: ClassVar[tuple[str, str]] = ("", "")
    COLUMNS: ClassVar[list[tuple[str, str]]] = []
    EDIT_PERMISSION = ""

    class Done(Message):
        def __init__(
            self, kind: str, payload: Any, error: str = "", field: str = "", context: Any = None
        ) -> None:
            super().__init__()
            self.kind, self.payload, self.error, self.field = kind, payload, error, field
            self.context = context  # a save: the record and the values typed

    def __init__(self, services: "Services", actor: "Actor") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.rows: list[Any] = []
        self.note = ""  # what the last save did, said on the next paint

    # ------------------------------------------------------------------ to define
    def load(self) -> list[Any]:
        raise NotImplementedError

    def cells(self, row: Any) -> list[Text]:
        raise NotImplementedError

    def fields(self, row: Any | None, values: dict[str, str]) -> list[FormField]:
        raise NotImplementedError

    def save(self, row: Any | None, values: dict[str, str]) -> Any:
        raise NotImplementedError

    # ------------------------------------------------------------------ screen
    def compose(self) -> ComposeResult:
        yield Static(Text(tr(*self.HEADING), style="bold"), id="title-bar")
        yield DataTable(id="records-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="records-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for zh, en in self.COLUMNS:
            table.add_column(Text(tr(zh, en), style="bold"))
        table.focus()
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "edit"):
            return self.actor.can(self.EDIT_PERMISSION)
        return True

    def action_reload(self) -> None:
        self._run("load", self.load)

    @work(thread=True, group="records")
    def _run(self, kind: str, call: Any) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.post_message(self.Done(kind, call()))
        except ServiceError as error:
            self.post_message(self.Done(kind, None, error.message, error.field or ""))

    def on_records_screen_done(self, message: Done) -> None:
        self.handle_done(message)

    def handle_done(self, message: Done) -> None:
        """What a finished call shows (a screen adding calls of its own extends this)."""
        if message.kind == "load":
            if message.error:
                self._status(Text(message.error, style="bold red"))
            else:
                self._paint(message.payload)
            return
        row, values = message.context
        if message.error:
            self._form(row, values, {message.field or "": message.error})
            return
        self.note = tr("已保存", "Saved")
        self.action_reload()

    def _paint(self, rows: list[Any]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        previous = table.cursor_row
        table.clear()
        for row in rows:
            table.add_row(*self.cells(row))
        if rows:
            table.move_cursor(row=min(max(previous, 0), len(rows) - 1))
        note, self.note = self.note, ""
        count = tr("共 {n} 条。", "{n} rows. ", n=len(rows))
        hint = (
            tr("n 新增，Enter 修改", "n adds, Enter corrects")
            if self.actor.can(self.EDIT_PERMISSION)
            else ""
        )
        self._status(Text(f"{note} {count}{hint}".strip(), style="bold green" if note else ""))

    def _status(self, text: Text) -> None:
        self.query_one("#records-status", Static).update(text)

    # ------------------------------------------------------------------ forms
    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_add(self) -> None:
        self._form(None, {}, {})

    def action_edit(self) -> None:
        if not self.actor.can(self.EDIT_PERMISSION):
            return
        index = self.query_one(DataTable).cursor_row
        if 0 <= index < len(self.rows):
            self._form(self.rows[index], {}, {})

    def _form(self, row: Any | None, values: dict[str, str], errors: dict[str, str]) -> None:
        title = tr("修改", "Correct ") if row is not None else tr("新增", "Add ")

        def chosen(result: dict[str, str] | None) -> None:
            if result is None:
                return

            self._save(row, result)

        self.app.push_screen(
            FormDialog(title + tr(*self.HEADING), self.fields(row, values), errors), chosen
        )

    @work(thread=True, group="records")
    def _save(self, row: Any | None, values: dict[str, str]) -> None:
        from tui_crm.services.core import ServiceError

        try:
            self.post_message(self.Done("save", self.save(row, values), context=(row, values)))
        except ServiceError as error:
            field = error.field or ""
            self.post_message(self.Done("save", None, error.message, field, (row, values)))

    def action_back(self) -> None:
        self.app.pop_screen()
