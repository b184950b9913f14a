"""Cells of the report cube (`reports.cube`): one row per (dimension key, month,
cancellation month), written once and then updated in place.

A rebuild sums the written, earned and claim rows of every policy and claim into one row
per cell (`cells`) and appends them (`insert_cells`). An incremental refresh sums what
changed into the same cells — the new contribution of a changed policy or claim less its
old one, and the rows of new ids — and merges that delta into the cube (`merge_cells`):
one `INSERT … ON CONFLICT DO UPDATE` adds it to the cells that exist and creates the
others, and the cells it brings to zero in every measure are deleted. The cube therefore
holds the same rows after any number of refreshes as a rebuild would, and a report sums
no more rows than the cells of its period.
"""

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Column, Connection, Integer, MetaData, Table, text

from tui_crm.services.reports.cube.layout import DIMENSIONS, MEASURES

NO_CANCEL = -1  # not cancelled; 0 = cancelled without a date
CELL = ["month", "cancel_month", "dim_key"]
DIMENSION_NAMES = [name for name, _ in DIMENSIONS]
# The delta of one refresh, merged into the cube in one statement (a temporary table).
DELTA = Table(
    "report_cube_delta",
    MetaData(),
    Column("month", Integer, nullable=False),
    Column("cancel_month", Integer, nullable=False),
    Column("dim_key", Integer, nullable=False),
    *(Column(name, kind) for name, kind in DIMENSIONS),
    *(Column(name, BigInteger, nullable=False) for name in MEASURES),
    prefixes=["TEMPORARY"],
)


def cells(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Written rows (by start month, cancellation month and key), earned and claim rows
    (by month and key) summed into one row per cell, with every measure (0 where a part
    has none)."""
    frames = []
    for part in parts:
        if part.empty:
            continue
        part = part.rename(columns={"start_month": "month"})
        if "cancel_month" not in part.columns:
            part = part.assign(cancel_month=NO_CANCEL)
        frames.append(part)
    if not frames:
        return pd.DataFrame({name: np.zeros(0, dtype=np.int64) for name in (*CELL, *MEASURES)})
    frame = pd.concat(frames, ignore_index=True)
    for name in MEASURES:
        if name not in frame.columns:
            frame[name] = 0
    names = [*CELL, *MEASURES]
    frame = frame[names].fillna(0).astype(np.int64)
    # Sorted by month: a rebuild then stores a month's cells side by side, and a report
    # reading a period's months through `ix_report_cube_month` reads few pages.
    return frame.groupby(CELL, as_index=False, sort=True)[list(MEASURES)].sum()


def negated(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its measures' signs turned (a contribution taken out)."""
    measures = [c for c in frame.columns if c not in (*CELL, "start_month")]
    taken_out = frame.copy()
    taken_out[measures] = -taken_out[measures]
    return taken_out


def _rows(frame: pd.DataFrame, keys: Any) -> Iterator[tuple[Any, ...]]:
    columns = [frame[name].to_numpy(np.int64) for name in (*CELL, *MEASURES)]
    for row in zip(*columns, strict=True):
        yield (
            int(row[0]),
            int(row[1]),
            int(row[2]),
            *keys.values[int(row[2])],
            *(int(v) for v in row[3:]),
        )


NAMES = [*CELL, *DIMENSION_NAMES, *MEASURES]


def insert_cells(connection: Connection, tables: Any, keys: Any, frame: pd.DataFrame) -> None:
    """Append cells that are not in the cube yet (a rebuild)."""
    if not frame.empty:
        bulk(connection, tables.cube, _rows(frame, keys), NAMES)
        merge_summary(connection, tables, keys, frame)


def merge_cells(connection: Connection, tables: Any, keys: Any, delta: pd.DataFrame) -> None:
    """Add `delta` (one row per cell) to the cube's cells in place; cells left with every
    measure at 0 are deleted."""
    delta = delta[(delta[list(MEASURES)] != 0).any(axis=1)]
    if delta.empty:
        return
    _add_in_place(connection, tables.cube.name, DELTA, ["dim_key", "month", "cancel_month"],
                  _rows(delta, keys), NAMES)  # fmt: skip
    merge_summary(connection, tables, keys, delta)


SUMMARY_KEY = ["month", "cancel_month", *DIMENSION_NAMES[:3]]
SUMMARY_DELTA = Table(
    "report_cube_summary_delta",
    MetaData(),
    Column("month", Integer, nullable=False),
    Column("cancel_month", Integer, nullable=False),
    *(Column(name, kind, nullable=False) for name, kind in DIMENSIONS[:3]),
    *(Column(name, BigInteger, nullable=False) for name in MEASURES),
    prefixes=["TEMPORARY"],
)


def merge_summary(connection: Connection, tables: Any, keys: Any, cells: pd.DataFrame) -> None:
    """Add cells (or their delta) to the summary: summed by month, cancellation month,
    unit, line and channel; rows brought to zero in every measure are deleted."""
    # Each dimension key → the number of its (unit, line, channel), in a lookup array.
    used = np.unique(cells["dim_key"].to_numpy(np.int64))
    combos: dict[tuple[Any, ...], int] = {}
    code_of = np.zeros(int(used.max()) + 1 if len(used) else 1, dtype=np.int64)
    for key in used.tolist():
        code_of[key] = combos.setdefault(tuple(keys.values[key][:3]), len(combos))
    coded = cells.assign(code=code_of[cells["dim_key"].to_numpy(np.int64)])
    summed = coded.groupby(["month", "cancel_month", "code"], as_index=False)[list(MEASURES)].sum()
    summed = summed[(summed[list(MEASURES)] != 0).any(axis=1)]
    if summed.empty:
        return
    combo_of = list(combos)
    columns = [summed[name].to_numpy(np.int64) for name in ("month", "cancel_month", "code")]
    measures = [summed[name].to_numpy(np.int64) for name in MEASURES]
    rows = (
        (int(month), int(cancel), *combo_of[int(code)], *(int(m[i]) for m in measures))
        for i, (month, cancel, code) in enumerate(zip(*columns, strict=True))
    )
    _add_in_place(connection, tables.summary.name, SUMMARY_DELTA, SUMMARY_KEY, rows,
                  [*SUMMARY_KEY, *MEASURES])  # fmt: skip


def _add_in_place(
    connection: Connection,
    target: str,
    delta: Table,
    key: list[str],
    rows: Iterator[tuple[Any, ...]],
    names: list[str],
) -> None:
    """Add `rows` (one per `key`) to `target`'s measures in place, creating the rows that
    are missing, through the temporary table `delta` (one `INSERT … ON CONFLICT DO
    UPDATE`); rows brought to zero in every measure are deleted."""
    # One left behind by a refresh that failed (SQLite may keep it past the rollback).
    temporary = "temp" if connection.dialect.name == "sqlite" else "pg_temp"
    connection.execute(text(f"DROP TABLE IF EXISTS {temporary}.{delta.name}"))
    delta.create(connection)
    bulk(connection, delta, rows, names)
    columns, keys = ", ".join(names), ", ".join(key)
    added = ", ".join(f"{m} = {target}.{m} + excluded.{m}" for m in MEASURES)
    connection.execute(
        text(
            f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {delta.name} WHERE true "
            f"ON CONFLICT ({keys}) DO UPDATE SET {added}"
        )
    )
    zero = " AND ".join(f"{m} = 0" for m in MEASURES)
    connection.execute(
        text(f"DELETE FROM {target} WHERE {zero} AND ({keys}) IN (SELECT {keys} FROM {delta.name})")
    )
    delta.drop(connection)


def bulk(connection: Connection, table: Any, rows: Iterator[Any], names: list[str]) -> None:
    """Insert plain tuples fast: executemany on SQLite, COPY on PostgreSQL."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    columns = ", ".join(f'"{n}"' for n in names)
    try:
        if connection.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in names)
            cursor.executemany(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", list(rows))
    finally:
        cursor.close()
