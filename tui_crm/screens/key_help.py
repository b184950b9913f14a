"""Key help: every key of the screen underneath and the keys that work everywhere, with
their descriptions in the interface language; Esc (or ? again) closes it.

The footer keeps only each screen's essential keys; this overlay lists the rest.
"""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui_crm.i18n import Phrase, tr
from tui_crm.widgets.keys import TranslatedKeys

KeyRows = list[tuple[str, str]]  # (key as displayed, description)


class KeyHelpScreen(TranslatedKeys, ModalScreen[None]):
    DEFAULT_CSS = """
    KeyHelpScreen { align: center middle; }
    KeyHelpScreen > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    KeyHelpScreen DataTable { height: auto; max-height: 30; }
    """
    BINDINGS = [
        Binding("escape", "close", Phrase("关闭", "Close"), id="key_help.close"),
        Binding("question_mark", "close", Phrase("关闭", "Close"), show=False),
    ]

    def __init__(self, screen_keys: KeyRows, global_keys: KeyRows) -> None:
        super().__init__()
        self.screen_keys = screen_keys
        self.global_keys = global_keys

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(tr("按键帮助（Esc 关闭）", "Keys (Esc closes)"), style="bold"))
            yield DataTable(id="key-help-table", cursor_type="row", show_header=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("key", "what")
        sections = (
            (tr("本界面", "This screen"), self.screen_keys),
            (tr("全局", "Everywhere"), self.global_keys),
        )
        for title, rows in sections:
            table.add_row(Text(title, style="bold"), Text(""))
            for key, description in rows:
                table.add_row(Text(key, style="bold"), Text(description))
        table.focus()

    def listed(self) -> KeyRows:
        """The (key, description) rows shown, sections included: what a test reads."""
        table = self.query_one(DataTable)
        return [
            (table.get_row_at(i)[0].plain, table.get_row_at(i)[1].plain)
            for i in range(table.row_count)
        ]

    def action_close(self) -> None:
        self.dismiss(None)
