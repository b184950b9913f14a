"""Vehicle price table (车价表): search by fragment, pinyin initials and year; validated,
versioned, audited edits by sales and underwriting roles; xlsx import keeping every
valid row and reporting each bad one; export read back."""

from decimal import Decimal

import openpyxl
import pytest
from sqlmodel import col, select

from tests.factories import make_user
from tui_crm.services.core.errors import Conflict, Forbidden, ValidationFailed
from tui_crm.services.premium.vehicle_prices import model_initials
from tui_crm.storage.models import AuditLog

LANGYI = {
    "brand": "大众",
    "make_model": "一汽-大众 朗逸 1.5L 自动",
    "model_year": "2024",
    "seats": "5",
    "displacement": "1.5",
    "fuel": "汽油",
    "price": "129,900",
}


def _book(services):
    editor = make_user(services, "uw", "underwriter")
    services.vehicle_prices.add(editor, LANGYI)
    services.vehicle_prices.add(editor, {**LANGYI, "model_year": "2023", "price": "125900"})
    services.vehicle_prices.add(
        editor,
        {
            "brand": "比亚迪",
            "make_model": "秦PLUS DM-i",
            "model_year": "2024",
            "seats": "5",
            "displacement": "1.5",
            "fuel": "混动",
            "price": "99800",
        },
    )
    services.vehicle_prices.add(
        editor,
        {
            "brand": "Tesla",
            "make_model": "Model 3",
            "model_year": "2024",
            "fuel": "electric",
            "price": "231900.00",
        },
    )
    return editor


def test_search_by_fragment_initials_and_year(services) -> None:
    _book(services)
    clerk = make_user(services, "clerk", "counter")
    search = services.vehicle_prices.search
    assert [r.model_year for r in search(clerk, "朗逸")] == [2024, 2023]
    assert [r.make_model for r in search(clerk, "ly")] == ["一汽-大众 朗逸 1.5L 自动"] * 2
    assert [r.model_year for r in search(clerk, "朗逸 2023")] == [2023]
    assert [r.brand for r in search(clerk, "", year=2024)] == ["Tesla", "大众", "比亚迪"]
    assert [r.brand for r in search(clerk, "model")] == ["Tesla"]  # case-insensitive latin
    assert [r.brand for r in search(clerk, "qin")] == []
    assert [r.brand for r in search(clerk, "byd")] == ["比亚迪"]
    assert search(clerk, "50%") == []  # wildcards are data
    row = search(clerk, "秦")[0]
    assert (row.price, row.fuel, row.displacement) == (
        Decimal("99800.00"),
        "hybrid",
        Decimal("1.5"),
    )


def test_model_initials() -> None:
    assert model_initials("大众", "一汽-大众 朗逸") == "dzyqdzly"
    assert model_initials("Tesla", "Model 3") == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"brand": ""}, "brand"),
        ({"make_model": "x" * 101}, "make_model"),
        ({"model_year": "1970"}, "model_year"),
        ({"model_year": "2028"}, "model_year"),
        ({"seats": "0"}, "seats"),
        ({"displacement": "30"}, "displacement"),
        ({"fuel": "coal"}, "fuel"),
        ({"price": "0"}, "price"),
        ({"price": "12.345"}, "price"),
        ({"price": "abc"}, "price"),
        ({"effective_from": "2026-02-30"}, "effective_from"),
    ],
)
def test_validation_names_the_field(services, change, field) -> None:
    editor = make_user(services, "uw", "underwriter")
    with pytest.raises(ValidationFailed) as caught:
        services.vehicle_prices.add(editor, {**LANGYI, **change})
    assert caught.value.field == field


def test_edits_are_versioned_audited_and_role_bound(services) -> None:
    editor = _book(services)
    row = services.vehicle_prices.search(editor, "朗逸 2024")[0]
    with pytest.raises(Conflict):
        services.vehicle_prices.add(editor, LANGYI)
    edited = services.vehicle_prices.edit(
        editor, row.id, {**LANGYI, "price": "128000"}, version=row.version
    )
    assert (edited.price, edited.version) == (Decimal("128000.00"), row.version + 1)
    with pytest.raises(Conflict) as stale:
        services.vehicle_prices.edit(editor, row.id, {**LANGYI, "price": "1"}, version=row.version)
    assert stale.value.code == "stale_version"
    clerk = make_user(services, "clerk", "counter")
    with pytest.raises(Forbidden):
        services.vehicle_prices.edit(clerk, row.id, LANGYI, version=edited.version)
    sales = make_user(services, "am", "account_manager")
    services.vehicle_prices.edit(
        sales, row.id, {**LANGYI, "price": "127000"}, version=edited.version
    )
    claims = make_user(services, "claimsman", "claims")
    with pytest.raises(Forbidden):
        services.vehicle_prices.search(claims, "朗逸")
    rows = (
        services.database.session()
        .exec(
            select(AuditLog)
            .where(AuditLog.action == "vehicle_price.edit")
            .order_by(col(AuditLog.id))
        )
        .all()
    )
    assert [r.actor_username for r in rows] == ["uw", "am"]
    assert '"price": "129900.00"' in (rows[0].before or "") and '"price": "128000.00"' in (
        rows[0].after or ""
    )


def _sheet(path, rows) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        ["品牌", "厂牌型号", "年款", "座位数", "排量(升)", "燃料", "新车购置价(元)", "备注"]
    )
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def test_import_keeps_every_valid_row_and_reports_each_bad_one(services, tmp_path) -> None:
    editor = _book(services)
    path = tmp_path / "prices.xlsx"
    _sheet(
        path,
        [
            ["丰田", "卡罗拉 1.2T", 2024, 5, 1.2, "汽油", 119800, "ok"],
            ["丰田", "", 2024, 5, 1.2, "汽油", 119800, "no model"],
            [None, None, None, None, None, None, None, None],  # blank: skipped
            ["本田", "思域", "去年", 5, 1.5, "汽油", 129900, "bad year"],
            ["大众", "一汽-大众 朗逸 1.5L 自动", 2024, 5, 1.5, "汽油", 131000, "update"],
            ["本田", "雅阁", 2024, 5, 1.5, "汽油", -5, "bad price"],
            ["丰田", "卡罗拉 1.2T", 2024, 5, 1.2, "汽油", 118800, "again: update"],
        ],
    )
    report = services.vehicle_prices.import_xlsx(editor, path)
    assert (report.added, report.updated) == (1, 2)
    assert [(e.row, e.field) for e in report.errors] == [
        (3, "make_model"),
        (5, "model_year"),
        (7, "price"),
    ]
    clerk = make_user(services, "clerk", "counter")
    assert services.vehicle_prices.search(clerk, "卡罗拉")[0].price == Decimal("118800.00")
    assert services.vehicle_prices.search(clerk, "朗逸 2024")[0].price == Decimal("131000.00")
    missing = tmp_path / "bad.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["品牌", "价格"])
    workbook.save(missing)
    with pytest.raises(ValidationFailed) as caught:
        services.vehicle_prices.import_xlsx(editor, missing)
    assert caught.value.field == "file" and "厂牌型号" in caught.value.message
    with pytest.raises(ValidationFailed):
        services.vehicle_prices.import_xlsx(editor, tmp_path / "nothing.xlsx")


def test_export_reads_back(services, tmp_path) -> None:
    editor = _book(services)
    path = tmp_path / "out" / "prices.xlsx"
    assert services.vehicle_prices.export_xlsx(editor, path, "朗逸") == 2
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("品牌", "厂牌型号", "年款")
    assert rows[1][1] == "一汽-大众 朗逸 1.5L 自动" and rows[1][6] == 129900
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:H3"
    assert sheet["G2"].number_format == "#,##0.00"
    # and an export imports back unchanged
    report = services.vehicle_prices.import_xlsx(editor, path)
    assert (report.added, report.updated, report.errors) == (0, 2, [])
