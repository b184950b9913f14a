"""Size a DataTable's columns to the rows about to be added, before they are painted.

DataTable measures auto-width columns only when it next goes idle, but it may paint
(and cache) new rows at the old, header-only widths before that and never repaint
them: amounts showed as ``950.`` until something changed. Fixing each column's width
from the rows before adding them leaves nothing to re-measure; a later, wider page
widens the columns the same way (adding rows then repaints them).
"""

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable


def widen_to_fit(table: DataTable[Text], rows: Iterable[Sequence[Text | str]]) -> None:
    """Give every column the width of its widest label or cell, never narrower."""
    columns = table.ordered_columns
    widths = [0 if c.auto_width else c.width for c in columns]
    for index, column in enumerate(columns):
        widths[index] = max(widths[index], column.label.cell_len)
    for row in rows:
        for index, cell in enumerate(row[: len(columns)]):
            widths[index] = max(
                widths[index], Text(cell).cell_len if isinstance(cell, str) else cell.cell_len
            )
    for column, width in zip(columns, widths, strict=True):
        column.width = width
        column.auto_width = False


def fill_sized(
    table: DataTable[Text],
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Text]],
) -> None:
    """Replace the table's columns (label, key) and rows in one step."""
    table.clear(columns=True)
    for label, key in columns:
        table.add_column(label, key=key)
    widen_to_fit(table, rows)
    for row in rows:
        table.add_row(*row)


def cut_last_column(
    labels: Sequence[str], rows: Sequence[Sequence[Text]], room: int, padding: int = 1
) -> tuple[int, list[list[Text]]]:
    """How many columns to show and the rows to show in them, so the table fits `room`
    columns and never scrolls sideways: the last column cut (…) to what is left, or left
    out when under 8 columns of it would remain. Unchanged when everything fits."""
    count = len(labels)
    widths = [cell_len(label) for label in labels]
    for row in rows:
        for index, cell in enumerate(row[:count]):
            widths[index] = max(widths[index], cell.cell_len)
    left = room - sum(w + 2 * padding for w in widths[:-1]) - 2 * padding
    if room <= 0 or widths[-1] <= left:
        return count, [list(row) for row in rows]
    if left < 8:
        return count - 1, [list(row[: count - 1]) for row in rows]
    out = []
    for row in rows:
        cells = list(row)
        last = cells[-1].copy()
        last.truncate(left, overflow="ellipsis")
        cells[-1] = last
        out.append(cells)
    return count, out
