"""A read-only table of result rows moved by the keys of the screen that owns it.

Keeps the focus where the screen wants it (the search box): the screen forwards ↓ ↑
PgDn PgUp. Rows arrive as Rich `Text` cells keyed by an integer id; when the cursor nears
the end the table asks for more (`NearEnd`), so a long result is loaded a page at a time.
"""

from collections.abc import Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from tui_crm.widgets.sized_table import widen_to_fit

Row = tuple[int, Sequence[Text]]


class ResultsTable(DataTable[Text]):
    class NearEnd(Message):
        """The cursor is within a few rows of the last loaded row."""

    class Chosen(Message):
        def __init__(self, key: int) -> None:
            super().__init__()
            self.key = key

    def __init__(self, columns: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._labels = list(columns)
        self.can_focus = False

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        for label in self._labels:
            self.add_column(Text(label, style="bold"), key=label)

    def show(self, rows: Sequence[Row], *, append: bool = False) -> None:
        """Show a new page of rows (columns sized to it: a long name on the last page no
        longer pushes the right-hand columns off screen), or add rows to this one."""
        if not append:
            self.clear(columns=True)
            self._add_columns()
        widen_to_fit(self, [cells for _, cells in rows])
        for key, cells in rows:
            if str(key) not in self.rows:
                self.add_row(*cells, key=str(key))
        if not append and self.row_count:
            self.move_cursor(row=0)

    def current_key(self) -> int | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(str(row_key.value))

    def replace_cells(self, key: int, cells: Sequence[Text]) -> None:
        if str(key) not in self.rows:
            return
        widen_to_fit(self, [cells])
        for label, cell in zip(self._labels, cells, strict=False):
            self.update_cell(str(key), label, cell)

    def move(self, step: int) -> None:
        if not self.row_count:
            return
        row = max(0, min(self.row_count - 1, self.cursor_row + step))
        self.move_cursor(row=row)
        if row >= self.row_count - 3:
            self.post_message(self.NearEnd())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(int(str(event.row_key.value))))
