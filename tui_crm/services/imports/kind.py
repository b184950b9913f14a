"""What every kind of extract provides to the runner: parse a mapped row (or refuse it),
its key inside the file, the writing of a chunk of parsed rows (with the id each row went
to), and the digests of what the book's rows hold (`state`)."""

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Connection

from tui_crm.services.imports.apply import Outcome
from tui_crm.services.imports.columns import Layout
from tui_crm.services.imports.lookups import Context
from tui_crm.services.imports.values import RowError


@dataclass
class Pending:
    """A parsed row waiting for its chunk: file row number, the cells as read, the values."""

    number: int
    cells: list[str]
    values: dict[str, Any]
    digest: str = ""


@dataclass
class ChunkResult:
    outcome: Outcome
    rejected: dict[int, RowError] = field(default_factory=dict)  # row number → why
    targets: dict[int, int] = field(default_factory=dict)  # row number → the row's id


class Kind(Protocol):
    layout: Layout

    def parse(self, row: dict[str, str], ctx: Context) -> dict[str, Any]: ...

    def key(self, values: dict[str, Any]) -> Hashable: ...

    def write(self, connection: Connection, rows: list[Pending], ctx: Context) -> ChunkResult: ...

    def states(self, connection: Connection, ids: list[int]) -> dict[int, str]: ...
