"""A paged, sortable table of report rows with a totals row.

It takes plain data (column labels, the text of every cell, the values to sort by) and
knows nothing of services: the screen formats the cells. Keys: `s` sorts by the column
after the current one (`r` reverses), `n` / `b` next / previous page, Enter posts RowChosen
with the index of the row in the data the table was given.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from tui_crm.i18n import Phrase, tr

TOTAL_KEY = "__total__"


@dataclass(frozen=True)
class TableColumn:
    label: str
    numeric: bool = False


def _sort_key(value: Any) -> tuple[int, Any]:
    """None sorts last; numbers and text each among their own."""
    if value is None:
        return (2, 0)
    if isinstance(value, int | float) or type(value).__name__ == "Decimal":
        return (0, value)
    return (1, str(value))


class ReportTable(Vertical):
    DEFAULT_CSS = """
    ReportTable { height: 1fr; }
    ReportTable > DataTable { height: 1fr; }
    ReportTable > .page-line { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("s", "sort", Phrase("排序列", "Sort column"), id="table.sort", show=False),
        Binding("r", "reverse", Phrase("倒序", "Reverse"), id="table.reverse", show=False),
        Binding("n", "page(1)", Phrase("下一页", "Next page"), id="table.next", show=False),
        Binding("b", "page(-1)", Phrase("上一页", "Prev page"), id="table.prev", show=False),
    ]

    class RowChosen(Message):
        def __init__(self, table: "ReportTable", index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> "ReportTable":
            return self.table

    def __init__(self, *, page_size: int = 100, id: str | None = None) -> None:
        super().__init__(id=id)
        self.page_size = page_size
        self.columns: list[TableColumn] = []
        self.cells: list[list[str]] = []
        self.sort_values: list[list[Any]] = []
        self.totals: list[str] | None = None
        self.order: list[int] = []
        self.page = 0
        self.sorted_by: tuple[int, bool] | None = None

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static("", classes="page-line", markup=False)

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one(DataTable)

    def load(
        self,
        columns: Sequence[TableColumn],
        cells: Sequence[Sequence[str]],
        sort_values: Sequence[Sequence[Any]],
        totals: Sequence[str] | None = None,
    ) -> None:
        self.columns = list(columns)
        self.cells = [list(row) for row in cells]
        self.sort_values = [list(row) for row in sort_values]
        self.totals = list(totals) if totals is not None else None
        self.order = list(range(len(self.cells)))
        self.page = 0
        self.sorted_by = None
        table = self.table
        table.clear(columns=True)
        for column in self.columns:
            table.add_column(Text(column.label, justify="right" if column.numeric else "left"))
        self._show_page()

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.order) // self.page_size))

    def _show_page(self, cursor: int = 0) -> None:
        table = self.table
        table.clear()
        first = self.page * self.page_size
        for index in self.order[first : first + self.page_size]:
            table.add_row(*self._texts(self.cells[index]), key=str(index))
        if self.totals is not None and self.page == self.pages - 1:
            table.add_row(*self._texts(self.totals, style="bold"), key=TOTAL_KEY)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        sort = ""
        if self.sorted_by is not None:
            column, descending = self.sorted_by
            arrow = "↓" if descending else "↑"
            sort = tr(
                "  排序：{c} {a}", "  sorted by {c} {a}", c=self.columns[column].label, a=arrow
            )
        self.query_one(".page-line", Static).update(
            tr(
                "第 {p}/{n} 页，共 {r} 行{s}  （n 下一页 · b 上一页 · s 换排序列 · r 倒序）",
                "page {p}/{n}, {r} rows{s}  (n next · b previous · s sort column · r reverse)",
                p=self.page + 1,
                n=self.pages,
                r=len(self.order),
                s=sort,
            )
        )

    def _texts(self, row: Sequence[str], style: str = "") -> list[Text]:
        return [
            Text(value, style=style, justify="right" if column.numeric else "left")
            for value, column in zip(row, self.columns, strict=False)
        ]

    def action_page(self, step: int) -> None:
        page = min(max(0, self.page + step), self.pages - 1)
        if page != self.page:
            self.page = page
            self._show_page()

    def action_sort(self) -> None:
        """Sort by the next column (largest first); the page line names it."""
        if not self.columns:
            return
        column = 0 if self.sorted_by is None else (self.sorted_by[0] + 1) % len(self.columns)
        self.sort_by(column, True)

    def action_reverse(self) -> None:
        if self.sorted_by is not None:
            self.sort_by(self.sorted_by[0], not self.sorted_by[1])

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        descending = self.sorted_by != (event.column_index, True)
        self.sort_by(event.column_index, descending)

    def sort_by(self, column: int, descending: bool) -> None:
        self.sorted_by = (column, descending)
        present = [i for i in self.order if self.sort_values[i][column] is not None]
        missing = [i for i in self.order if self.sort_values[i][column] is None]
        present.sort(key=lambda i: _sort_key(self.sort_values[i][column]), reverse=descending)
        self.order = present + missing
        self.page = 0
        self._show_page()

    def selected_index(self) -> int | None:
        """The data index of the row under the cursor (None on the totals row)."""
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key in (None, TOTAL_KEY) else int(str(key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key not in (None, TOTAL_KEY):
            self.post_message(self.RowChosen(self, int(str(key))))
