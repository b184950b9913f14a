"""Export bench: 100,000 rows × 15 formatted columns to .xlsx (and .csv), memory during
the write at two sizes (flat means the writer keeps no rows), then the .xlsx read back
with openpyxl and every cell checked against the data.

    python bench/export_bench.py [ROWS]
"""

import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from tui_crm.services.reports.engine.base import (
    Column,
    Kind,
    ReportParams,
    ReportResult,
    compute_totals,
    count,
    money,
    percent,
    text,
)

NAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
COLUMNS = [
    text("name", "客户名称", "Customer"),
    text("unit", "机构", "Unit"),
    count("policies", "签单件数", "Policies"),
    money("written", "签单保费", "Written premium"),
    money("earned", "满期保费", "Earned premium"),
    money("paid", "已付赔款", "Paid claims"),
    money("incurred", "已决+未决赔款", "Paid + outstanding"),
    money("commission", "手续费", "Commission"),
    percent("earned_lr", "满期赔付率", "Earned loss ratio", of=("incurred", "earned")),
    percent("simple_lr", "简单赔付率", "Simple loss ratio", of=("paid", "written")),
    percent("share", "保费占比", "Share", of=("written", "written")),
    Column("first", "首次投保", "First policy", Kind.DATE),
    Column("last", "最近到期", "Last expiry", Kind.DATE),
    Column("tenure", "客户年限", "Tenure", Kind.NUMBER),
    text("note", "备注", "Note"),
]


def synthetic_result(rows: int, now: datetime) -> ReportResult:
    """Deterministic rows of every column kind, some cells empty, Chinese text throughout."""
    data: dict[str, list[Any]] = {c.key: [] for c in COLUMNS}
    base = date(2015, 1, 1)
    for i in range(rows):
        written = Decimal(i * 7919 % 9_999_991) / 100
        earned = Decimal(i * 104729 % 8_999_993) / 100
        paid = Decimal(i * 1299709 % 5_999_999) / 100
        incurred = paid + Decimal(i % 1000)
        data["name"].append(NAMES[i % 20] + NAMES[(i // 20) % 20] + f"客户{i}")
        data["unit"].append(f"3304{(i % 7) + 1:02d}")
        data["policies"].append(i % 13)
        data["written"].append(written)
        data["earned"].append(earned)
        data["paid"].append(paid)
        data["incurred"].append(incurred)
        data["commission"].append(None if i % 97 == 0 else (written / 10).quantize(Decimal("0.01")))
        data["earned_lr"].append(
            None if not earned else (incurred / earned).quantize(Decimal("0.0001"))
        )
        data["simple_lr"].append(
            None if not written else (paid / written).quantize(Decimal("0.0001"))
        )
        data["share"].append(Decimal(i % 10000) / 1_000_000)
        data["first"].append(base + timedelta(days=i % 3650))
        data["last"].append(None if i % 89 == 0 else base + timedelta(days=365 + i % 4000))
        data["tenure"].append(Decimal(i % 1200) / 100)
        data["note"].append("" if i % 5 else f"备注：第{i}行，含“引号”与逗号,以及 =公式样 文本")
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in data.items()})
    params = ReportParams(date(2025, 1, 1), date(2025, 12, 31), "3304", "嘉兴中心支公司", (1,))
    return ReportResult(
        name="bench",
        title="导出基准 Export bench",
        params=params,
        param_lines=[("期间", "2025-01-01 – 2025-12-31"), ("机构", "3304 嘉兴中心支公司")],
        columns=COLUMNS,
        frame=frame,
        totals=compute_totals(COLUMNS, frame),
        chart=None,
        drillable=False,
        generated_at=now,
        generated_by="bench",
    )


def _same(column: Column, expected: Any, value: Any) -> bool:
    if expected is None or expected == "":
        return value is None or value == ""
    if column.kind in (Kind.MONEY, Kind.NUMBER):
        return Decimal(str(value)).quantize(Decimal("0.01")) == expected
    if column.kind is Kind.PERCENT:
        return abs(float(value) - float(expected)) < 1e-12
    if column.kind is Kind.DATE:
        return isinstance(value, datetime) and value.date() == expected
    return bool(value == expected)


def check_every_cell(result: ReportResult, path: Path) -> int:
    """Read the .xlsx back (openpyxl, cached values) and compare every data cell and the
    totals; returns the number of data cells checked."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book.active
    columns = result.visible_columns
    labels = [c.label for c in columns]
    rows = sheet.iter_rows(values_only=True)
    for header in rows:
        if list(header[: len(labels)]) == labels:
            break
    else:
        raise AssertionError("header row not found")
    data = [result.frame[c.key].tolist() for c in columns]
    checked = 0
    for index in range(result.row_count):
        values = next(rows)
        for position, column in enumerate(columns):
            expected, value = data[position][index], values[position]
            if not _same(column, expected, value):
                raise AssertionError(f"row {index + 1} {column.key}: {value!r} != {expected!r}")
            checked += 1
    totals = next(rows)
    assert totals[0] in ("合计", "Total"), totals[0]
    for position, column in enumerate(columns[1:], start=1):
        expected = (result.totals or {}).get(column.key)
        if expected is not None and not _same(column, expected, totals[position]):
            raise AssertionError(f"total {column.key}: {totals[position]!r} != {expected!r}")
    book.close()
    return checked


def _timed(result: ReportResult, path: Path, writer: Any) -> float:
    started, cpu = time.perf_counter(), time.process_time()
    writer(result, path, masked=False)
    print(f"  (CPU {time.process_time() - cpu:.2f} s)", end=" ")
    return time.perf_counter() - started


def _peak(result: ReportResult, path: Path, writer: Any) -> int:
    """Memory allocated while writing (tracemalloc peak; the frame exists beforehand)."""
    tracemalloc.start()
    writer(result, path, masked=False)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def _raw_floor(rows: int, path: Path) -> float:
    """xlsxwriter alone writing the same number of cells (numbers): the floor on this machine."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    money = workbook.add_format({"num_format": "#,##0.00"})
    started = time.perf_counter()
    for row in range(rows):
        for column in range(len(COLUMNS)):
            sheet.write_number(row, column, row * 1.5 + column, money)
    workbook.close()
    return time.perf_counter() - started


def main() -> None:
    import os

    from tui_crm.services.reports.export.writer import write_csv, write_xlsx

    rows = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 100_000
    now = datetime.now().astimezone()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        result = synthetic_result(rows, now)
        path = Path(folder) / "big.xlsx"
        seconds = _timed(result, path, write_xlsx)
        size = path.stat().st_size
        print(
            f"xlsx: {rows:,} rows × {len(COLUMNS)} columns in {seconds:.2f} s, {size / 1e6:.1f} MB"
        )
        floor = _raw_floor(rows, Path(folder) / "floor.xlsx")
        print(f"  xlsxwriter alone, {rows * len(COLUMNS):,} number cells: {floor:.2f} s")
        csv_seconds = _timed(result, Path(folder) / "big.csv", write_csv)
        print(f"csv:  {rows:,} rows in {csv_seconds:.2f} s")
        small, half = synthetic_result(rows // 10, now), synthetic_result(rows // 2, now)
        small_peak = _peak(small, Path(folder) / "small.xlsx", write_xlsx)
        half_peak = _peak(half, Path(folder) / "half.xlsx", write_xlsx)
        print(
            f"memory allocated while writing (tracemalloc peak): {small_peak / 1e6:.2f} MB at "
            f"{rows // 10:,} rows, {half_peak / 1e6:.2f} MB at {rows // 2:,} rows"
        )
        started = time.perf_counter()
        cells = check_every_cell(result, path)
        print(
            f"read back with openpyxl, every cell checked: {cells:,} cells + totals in "
            f"{time.perf_counter() - started:.1f} s — all equal"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
