"""Reading the customer facts (`reports.customer_facts`): each column is read the first time
a view asks for it (a view needs about half of them), its chunks joined in id order.

Columns are stored in the narrowest integer type their values fit; they come back as at
least 32-bit integers (codes as stored, money as 64-bit), so arithmetic cannot overflow.
Rows a later change replaced (the chunk's `_dead` positions) are left out.
"""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from tui_crm.services.reports.customer_facts.store import COLUMNS, DEAD, MONEY, PART, VOCABULARIES

CODES = {*VOCABULARIES, "cancelled"}


def narrowest(values: np.ndarray) -> str:
    """The smallest little-endian integer type holding every value."""
    if len(values) == 0:
        return "<i1"
    low, high = int(values.min()), int(values.max())
    for kind in ("<i1", "<i2", "<i4"):
        info = np.iinfo(np.dtype(kind))
        if info.min <= low and high <= info.max:
            return kind
    return "<i8"


def _widened(name: str, values: np.ndarray) -> np.ndarray:
    if name in MONEY:
        return values.astype(np.int64)
    if name not in CODES and values.dtype.itemsize < 4:
        return values.astype(np.int32)
    return values


class Part(Mapping[str, np.ndarray]):
    """The columns of one part ("policy", "claim", "customer"), read on first use."""

    def __init__(self, connection: Connection, part: str) -> None:
        self.connection, self.part = connection, part
        self.loaded: dict[str, np.ndarray] = {}
        self.loaded_dead: dict[str, dict[int, np.ndarray]] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.loaded:
            if name not in COLUMNS[self.part]:
                raise KeyError(name)
            dead = self.dead()
            chunks = []
            for seq, kind, data in self.chunks(name):
                values = np.frombuffer(data, dtype=kind)
                chunks.append(np.delete(values, dead[seq]) if seq in dead else values)
            values = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
            self.loaded[name] = _widened(name, values)
        return self.loaded[name]

    def dead(self) -> dict[int, np.ndarray]:
        """Per chunk, the positions of its rows that a later chunk replaced."""
        if DEAD not in self.loaded_dead:
            self.loaded_dead[DEAD] = {
                seq: np.frombuffer(data, dtype=kind) for seq, kind, data in self.chunks(DEAD)
            }
        return self.loaded_dead[DEAD]

    def chunks(self, name: str) -> list[tuple[int, str, bytes]]:
        """(seq, dtype, data) of the column's chunks in order."""
        if self.connection.dialect.name == "postgresql":  # bytea in binary, not as hex text
            raw = self.connection.connection.dbapi_connection
            assert raw is not None
            cursor = raw.cursor(binary=True)
            try:
                cursor.execute(
                    "SELECT seq, dtype, data FROM report_facts_part "
                    "WHERE part = %s AND name = %s ORDER BY seq",
                    (self.part, name),
                )
                return [(int(seq), str(kind), bytes(data)) for seq, kind, data in cursor.fetchall()]
            finally:
                cursor.close()
        statement = (
            select(PART.c.seq, PART.c.dtype, PART.c.data)
            .where(PART.c.part == self.part, PART.c.name == name)
            .order_by(PART.c.seq)
        )
        return [(int(seq), kind, data) for seq, kind, data in self.connection.execute(statement)]

    def __iter__(self) -> Iterator[str]:
        return iter(COLUMNS[self.part])

    def __len__(self) -> int:
        return len(COLUMNS[self.part])


class Selected(Mapping[str, np.ndarray]):
    """The rows of a part that pass `keep`, column by column on first use."""

    def __init__(self, base: Mapping[str, np.ndarray], keep: np.ndarray) -> None:
        self.base, self.keep = base, keep
        self.loaded: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.loaded:
            self.loaded[name] = self.base[name][self.keep]
        return self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.base)

    def __len__(self) -> int:
        return len(self.base)


class ById(Mapping[str, np.ndarray]):
    """Customer attributes as arrays indexed by customer id (0 for unknown ids)."""

    def __init__(self, customers: Part) -> None:
        self.customers = customers
        self.loaded: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.loaded:
            ids = self.customers["id"]
            values = self.customers[name]
            spread = np.zeros(int(ids.max()) + 1 if len(ids) else 1, dtype=values.dtype)
            spread[ids] = values
            self.loaded[name] = spread
        return self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        return (n for n in COLUMNS["customer"] if n != "id")

    def __len__(self) -> int:
        return len(COLUMNS["customer"]) - 1


@dataclass
class Facts:
    """The customer facts of one build, for a report run."""

    policy: Part
    claim: Part
    receivable: Part
    customer: ById
    vocab: dict[str, list[Any]]
    _codes: dict[str, dict[Any, int]] = field(default_factory=dict)

    def code(self, name: str, value: Any) -> int:
        """The code of a text value (-1 when no row holds it)."""
        if name not in self._codes:
            self._codes[name] = {v: i for i, v in enumerate(self.vocab[name])}
        return self._codes[name].get(value, -1)

    @property
    def customer_count(self) -> int:
        """Length of the by-id arrays (the largest customer id + 1)."""
        return len(self.customer["unit"])


def read(connection: Connection) -> Facts:
    vocab: dict[str, list[Any]] = {name: [None] for name in VOCABULARIES}
    rows = connection.execute(select(PART.c.name, PART.c.data).where(PART.c.part == "vocab")).all()
    for name, data in rows:
        vocab[name] = json.loads(bytes(data).decode("utf-8"))
    return Facts(
        Part(connection, "policy"),
        Part(connection, "claim"),
        Part(connection, "receivable"),
        ById(Part(connection, "customer")),
        vocab,
    )
