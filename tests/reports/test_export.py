"""Exports read back: xlsx formats, header, frozen row, filter, totals and cells; csv with
BOM; CJK-aligned text; masking of personal data; audit; refusals."""

import csv
import json
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from sqlmodel import col, select

from bench.export_bench import check_every_cell, synthetic_result
from tests.reports.book import PERIOD, build_book, reports
from tui_crm.services.core.errors import Forbidden, ValidationFailed
from tui_crm.services.reports.export.writer import display_width, render_text, write_xlsx
from tui_crm.storage.models import AuditLog, RolePermission


def _header_row(sheet) -> int:
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if (
            row[0].font is not None
            and row[0].font.b
            and row[0].fill.fgColor.rgb not in (None, "00000000")
        ):
            return int(row[0].row)
    raise AssertionError("no header row")


def test_xlsx_formats_totals_and_cells(services, tmp_path) -> None:
    build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    result = service.run(mgr, "product", PERIOD)
    path = tmp_path / "product.xlsx"
    summary = service.export(mgr, result, path)
    assert summary.rows == result.row_count == 5 and summary.format == "xlsx"
    book = openpyxl.load_workbook(path)  # formulas as written
    values = openpyxl.load_workbook(path, data_only=True)  # their cached values
    sheet, cached = book.active, values.active
    assert sheet["A1"].value == "产品结构分析 — 险种结构" and sheet["A1"].font.b
    header = _header_row(sheet)
    assert header == 2  # directly under the title
    below = range(header + 7, header + 20)  # the parameters follow the totals
    params = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in below}
    assert params["期间"] == "2026-01-01 – 2026-06-30" and params["机构"] == "3304 嘉兴中心支公司"
    assert params["生成人"] == "mgr (mgr)" and params["生成时间"].startswith("2026-11-25 10:00")
    labels = [c.label for c in result.visible_columns]
    assert [sheet.cell(header, i + 1).value for i in range(len(labels))] == labels
    assert all(sheet.cell(header, i + 1).font.b for i in range(len(labels)))
    assert sheet.freeze_panes == f"A{header + 1}"
    last_letter = openpyxl.utils.get_column_letter(len(labels))
    assert sheet.auto_filter.ref == f"A{header}:{last_letter}{header + 5}"
    keys = [c.key for c in result.visible_columns]
    formats = {"written": "#,##0.00", "share": "0.00%", "policies": "#,##0", "earned_lr": "0.00%"}
    for offset, record in enumerate(result.frame.to_dict("records")):
        row = header + 1 + offset
        for index, key in enumerate(keys):
            cell = sheet.cell(row, index + 1)
            expected = record[key]
            if expected is None:
                assert cell.value is None, (row, key)
            elif isinstance(expected, Decimal):
                assert Decimal(str(cell.value)) == expected, (row, key)
            else:
                assert cell.value == expected, (row, key)
            if key in formats:
                assert cell.number_format == formats[key], key
    total_row = header + 6
    assert sheet.cell(total_row, 1).value == "合计" and sheet.cell(total_row, 1).font.b
    written = keys.index("written") + 1
    letter = openpyxl.utils.get_column_letter(written)
    assert (
        sheet.cell(total_row, written).value
        == f"=SUBTOTAL(109,{letter}{header + 1}:{letter}{header + 5})"
    )
    assert Decimal(str(cached.cell(total_row, written).value)) == Decimal("49500")
    share = keys.index("share") + 1
    assert cached.cell(total_row, share).value == 1
    assert sheet.cell(total_row, keys.index("customers") + 1).value is None  # not additive
    # Column widths fit the widest text (CJK counts double).
    width = sheet.column_dimensions["A"].width
    assert width >= display_width("企业财产险") + 2


def test_large_export_every_cell(clock, tmp_path) -> None:
    """3,000 rows × 15 columns of every kind (the bench does 100,000): nothing dropped."""
    result = synthetic_result(3000, clock.now())
    path = tmp_path / "large.xlsx"
    assert write_xlsx(result, path, masked=False) == 3000
    assert check_every_cell(result, path) == 3000 * 15


def test_csv_has_bom_plain_numbers_and_no_formulas(services, tmp_path) -> None:
    book = build_book(services)
    with services.database.session() as session:
        from tui_crm.storage.models import Customer

        customer = session.get(Customer, book.c)
        assert customer is not None
        customer.name = "=HYPERLINK(1)物流"
        session.add(customer)
        session.commit()
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    result = service.run(mgr, "corporate", {**PERIOD, "view": "large"})
    path = tmp_path / "large.csv"
    service.export(mgr, result, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["排名", "客户号", "客户名称"]
    assert rows[1][2] == "'=HYPERLINK(1)物流"  # a spreadsheet must not run it
    assert rows[1][rows[0].index("签单保费")] == "43800.00"
    assert rows[1][rows[0].index("占对公保费")] == "97.55%"
    assert len(rows) == 1 + result.row_count


def test_exports_mask_personal_data_unless_allowed(services, tmp_path) -> None:
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    result = service.run(mgr, "product", PERIOD)
    drill = service.drill(mgr, result, list(result.frame["code"]).index("motor_commercial"))
    names = dict(zip(drill.frame["customer_id"], drill.frame["name"], strict=True))
    assert names[book.a] == "张三"  # on screen the name is shown
    assert (
        list(drill.frame["phone"])[list(drill.frame["customer_id"]).index(book.a)] == "138****5678"
    )
    path = tmp_path / "drill.csv"
    assert service.export(mgr, drill, path).masked
    text = path.read_text(encoding="utf-8-sig")
    assert "张*" in text and "张三" not in text and "13812345678" not in text
    corporate = service.drill(
        mgr, service.run(mgr, "product", PERIOD), list(result.frame["code"]).index("property")
    )
    path = tmp_path / "corporate.csv"
    service.export(mgr, corporate, path)
    assert "嘉兴物流有限公司" in path.read_text(encoding="utf-8-sig")  # a company is no person
    with services.database.session() as session:
        session.add(RolePermission(role="manager", permission="pii.export_unmasked"))
        session.commit()
    trusted = services.auth.actor_for("mgr")
    drill = service.drill(trusted, result, list(result.frame["code"]).index("motor_commercial"))
    path = tmp_path / "unmasked.csv"
    assert not service.export(trusted, drill, path).masked
    text = path.read_text(encoding="utf-8-sig")
    assert "张三" in text and "13812345678" in text


def test_every_export_is_audited(services, tmp_path) -> None:
    build_book(services)
    am1 = services.auth.actor_for("am1")
    service = reports(services)
    result = service.run(am1, "intermediary", {**PERIOD, "view": "kind"})
    service.export(am1, result, tmp_path / "i.xlsx")
    service.export(am1, result, tmp_path / "i.txt")
    with services.database.session() as session:
        rows = session.exec(
            select(AuditLog).where(AuditLog.action == "export").order_by(col(AuditLog.id))
        ).all()
    assert [r.actor_username for r in rows] == ["am1", "am1"]
    detail = json.loads(rows[0].detail or "{}")
    assert rows[0].entity == "report" and rows[0].entity_id == "intermediary"
    assert detail["rows"] == result.row_count and detail["format"] == "xlsx"
    assert detail["parameters"]["from"] == "2026-01-01" and detail["parameters"]["view"] == "kind"
    assert detail["parameters"]["unit"] == "330402" and detail["masked"] is True
    assert json.loads(rows[1].detail or "{}")["format"] == "txt"


def test_export_refusals(services, tmp_path) -> None:
    from tests.factories import make_user

    build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    result = service.run(mgr, "product", PERIOD)
    with pytest.raises(ValidationFailed) as refused:
        service.export(mgr, result, tmp_path / "x.pdf")
    assert refused.value.field == "out"
    with pytest.raises(ValidationFailed) as refused:
        service.export(mgr, result, tmp_path / "missing" / "x.xlsx")
    assert refused.value.field == "out"
    underwriter = make_user(services, "uw", "underwriter", "3304")  # may run, not export
    assert service.run(underwriter, "product", PERIOD).row_count == 5
    with pytest.raises(Forbidden):
        service.export(underwriter, result, tmp_path / "x.xlsx")


def test_text_table_aligns_chinese(services) -> None:
    build_book(services)
    mgr = services.auth.actor_for("mgr")
    result = reports(services).run(mgr, "product", PERIOD)
    table = render_text(result, header=False).rstrip("\n").splitlines()
    # Every line whose last (right-aligned) cell is filled ends exactly under the end of
    # the rule below the header, however many Chinese characters it holds.
    rule = display_width(table[1])
    filled = [line for line in table if not line.startswith("意外伤害险")]  # no simple ratio
    assert len(filled) == 7 and {display_width(line) for line in filled} == {rule}
    assert all(display_width(line) <= rule for line in table)
    assert table[-1].startswith("合计")
    assert "49,500.00" in table[-1]
    assert date(2026, 6, 30).isoformat() in render_text(result)


def test_direct_rows_equal_xlsxwriter_cells(clock, tmp_path, monkeypatch) -> None:
    """The data rows written as sheet XML read back exactly like the same rows written
    through xlsxwriter's own per-cell calls: values, number formats and widths, including
    text that XML must escape and control characters."""
    from tui_crm.services.reports.export import xlsx as export_xlsx

    result = synthetic_result(300, clock.now())
    result.frame.loc[1, "note"] = "A&B <公司> \"引号\" 'x' \x07响铃 _x0041_ 末尾"
    result.frame.loc[2, "name"] = "[bold red]x[/] \x1b[31m红"
    direct, by_cell = tmp_path / "direct.xlsx", tmp_path / "by_cell.xlsx"
    used: list[str] = []
    real = export_xlsx.write_rows_directly

    def write_rows_directly(*a: Any) -> Any:
        used.append("direct")
        return real(*a)

    monkeypatch.setattr(export_xlsx, "write_rows_directly", write_rows_directly)
    write_xlsx(result, direct, masked=False)
    assert used == ["direct"]  # the sheet-XML path really ran
    monkeypatch.setattr(export_xlsx, "can_write_directly", lambda sheet: False)
    write_xlsx(result, by_cell, masked=False)
    ours, theirs = (openpyxl.load_workbook(p).active for p in (direct, by_cell))
    assert ours.max_row == theirs.max_row and ours.max_column == theirs.max_column
    for mine, reference in zip(ours.iter_rows(), theirs.iter_rows(), strict=True):
        for a, b in zip(mine, reference, strict=True):
            assert (a.value, a.number_format) == (b.value, b.number_format), a.coordinate
    for letter, dimension in theirs.column_dimensions.items():
        assert ours.column_dimensions[letter].width == dimension.width, letter
