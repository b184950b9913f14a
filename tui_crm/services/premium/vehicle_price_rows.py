"""Rows of the vehicle price table as people type or import them: column headings, fuel
words, validation field by field, pinyin initials, and reading / writing the xlsx sheet."""

from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from tui_crm.domain import Fuel
from tui_crm.i18n import tr
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.core.text import clean_text, name_pinyin
from tui_crm.services.premium.inputs import parse_date, parse_decimal

FIELDS = (
    "brand",
    "make_model",
    "model_year",
    "seats",
    "displacement",
    "fuel",
    "price",
    "effective_from",
)
HEADERS = {
    "brand": ("品牌", "Brand"),
    "make_model": ("厂牌型号", "Make / model"),
    "model_year": ("年款", "Year"),
    "seats": ("座位数", "Seats"),
    "displacement": ("排量(升)", "Displacement (L)"),
    "fuel": ("燃料", "Fuel"),
    "price": ("新车购置价(元)", "New-car price (yuan)"),
    "effective_from": ("生效日期", "Effective from"),
}
FUEL_WORDS = {
    "汽油": Fuel.PETROL,
    "柴油": Fuel.DIESEL,
    "混动": Fuel.HYBRID,
    "插电混动": Fuel.HYBRID,
    "油电混合": Fuel.HYBRID,
    "纯电": Fuel.ELECTRIC,
    "电动": Fuel.ELECTRIC,
    "纯电动": Fuel.ELECTRIC,
}


def model_initials(brand: str, make_model: str) -> str:
    """Pinyin initials of the Chinese characters: 大众 / 朗逸 → 'dzly'."""
    letters = [name_pinyin(ch)[1] for ch in brand + make_model if not ch.isascii()]
    return "".join(letters)[:60]


def validate(
    values: Mapping[str, Any], today: date
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Field text → clean values, and (field, message) for each bad field."""
    errors: list[tuple[str, str]] = []
    data: dict[str, Any] = {}

    def text(name: str) -> str:
        return _cell_text(values.get(name))

    _check_names(text, data, errors)
    _check_whole_numbers(text, today, data, errors)
    _check_displacement(text("displacement"), data, errors)
    _check_fuel(text("fuel"), data, errors)
    _check_price(text("price"), data, errors)
    _check_effective_from(text("effective_from"), today, data, errors)
    return data, errors


_Errors = list[tuple[str, str]]


def _cell_text(value: Any) -> str:
    """A sheet cell as the text a person typed (dates without time, 5.0 as 5)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text("" if value is None else str(value))


def _check_names(text: Callable[[str], str], data: dict[str, Any], errors: _Errors) -> None:
    for name, limit in (("brand", 40), ("make_model", 100)):
        value = text(name)
        if not value:
            errors.append((name, tr("必填", "Required")))
        elif len(value) > limit:
            errors.append((name, tr("不能超过 {n} 个字", "At most {n} characters", n=limit)))
        data[name] = value


def _check_whole_numbers(
    text: Callable[[str], str], today: date, data: dict[str, Any], errors: _Errors
) -> None:
    for name, low, high, required in (
        ("model_year", 1980, today.year + 1, True),
        ("seats", 1, 99, False),
    ):
        raw = text(name)
        data[name] = None
        if not raw:
            if required:
                errors.append((name, tr("必填", "Required")))
            continue
        try:
            number = parse_decimal(raw)
        except ValueError:
            errors.append((name, tr("请输入整数", "Enter a whole number")))
            continue
        if number != number.to_integral_value() or not low <= number <= high:
            errors.append(
                (
                    name,
                    tr(
                        "应为 {a} 到 {b} 之间的整数",
                        "A whole number from {a} to {b}",
                        a=low,
                        b=high,
                    ),
                )
            )
            continue
        data[name] = int(number)


def _check_displacement(raw: str, data: dict[str, Any], errors: _Errors) -> None:
    data["displacement"] = None
    if raw:
        try:
            litres = parse_decimal(raw.upper().removesuffix("L").removesuffix("T"))
            if not 0 < litres <= 20:
                raise ValueError(raw)
            data["displacement"] = litres
        except ValueError:
            errors.append(("displacement", tr("排量应为 0–20 升", "Displacement is 0–20 litres")))


def _check_fuel(raw: str, data: dict[str, Any], errors: _Errors) -> None:
    fuel = raw.lower() or Fuel.PETROL.value
    fuel = FUEL_WORDS.get(fuel, fuel)
    if fuel not in {f.value for f in Fuel}:
        errors.append(
            ("fuel", tr("燃料可选：{a}", "Fuel is one of: {a}", a=", ".join(f.value for f in Fuel)))
        )
    data["fuel"] = str(fuel)


def _check_price(raw: str, data: dict[str, Any], errors: _Errors) -> None:
    data["price"] = None
    try:
        price = parse_decimal(raw) if raw else None
        if price is None:
            errors.append(("price", tr("必填", "Required")))
        elif not 0 < price <= 100_000_000 or price != price.quantize(Decimal("0.01")):
            errors.append(("price", tr("价格应大于 0、精确到分", "A price above 0, to the fen")))
        else:
            data["price"] = price
    except ValueError:
        errors.append(("price", tr("请输入金额", "Enter an amount")))


def _check_effective_from(raw: str, today: date, data: dict[str, Any], errors: _Errors) -> None:
    try:
        data["effective_from"] = parse_date(raw[:10]) if raw else today
    except ValueError:
        errors.append(
            ("effective_from", tr("日期格式应为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"))
        )


def read_sheet(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, values by field) of each non-blank row; the headings may be the
    Chinese or English column names or the field names, in any order."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # any unreadable file is one message
        raise ValidationFailed(
            tr("无法读取 xlsx 文件：{e}", "Cannot read the xlsx file: {e}", e=error), field="file"
        ) from None
    try:
        rows = workbook.active.iter_rows(values_only=True) if workbook.active else iter(())
        header = next(rows, None) or ()
        names = {zh: name for name, (zh, _en) in HEADERS.items()}
        names |= {en.lower(): name for name, (_zh, en) in HEADERS.items()}
        names |= {name: name for name in FIELDS}
        columns = [
            names.get(clean_text(str(h or "")).lower()) or names.get(clean_text(str(h or "")))
            for h in header
        ]
        missing = [
            HEADERS[n][0]
            for n in ("brand", "make_model", "model_year", "price")
            if n not in columns
        ]
        if missing:
            raise ValidationFailed(
                tr("缺少列：{c}", "Missing columns: {c}", c="、".join(missing)), field="file"
            )
        for number, cells in enumerate(rows, start=2):
            values = {name: value for name, value in zip(columns, cells, strict=False) if name}
            if not all(v is None or str(v).strip() == "" for v in values.values()):
                yield number, values
    finally:
        workbook.close()


def write_sheet(path: str | Path, rows: list[list[Any]]) -> None:
    """The table as xlsx, row by row in constant memory (xlsxwriter): bold frozen heading
    row with filters, prices as numbers formatted #,##0.00, dates as dates, a CJK font.
    Prices are exact to the fen and far below 2**53 fen, so the number Excel stores
    reads back as the same amount."""
    import xlsxwriter

    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    except OSError as error:
        raise ValidationFailed(
            tr("无法保存：{e}", "Cannot save: {e}", e=error.strerror), field="file"
        ) from None
    sheet = workbook.add_worksheet(tr("车价表", "Vehicle prices"))
    font = {"font_name": "SimSun"}
    head = workbook.add_format({**font, "bold": True, "bg_color": "#DDEBF7", "align": "center"})
    text = workbook.add_format(font)
    money = workbook.add_format({**font, "num_format": "#,##0.00"})
    day = workbook.add_format({**font, "num_format": "yyyy-mm-dd"})
    for col, width in enumerate((14, 36, 8, 8, 10, 10, 16, 12)):
        sheet.set_column(col, col, width)
    sheet.write_row(0, 0, [tr(zh, en) for zh, en in HEADERS.values()], head)
    sheet.freeze_panes(1, 0)
    for number, row in enumerate(rows, start=1):
        brand, make_model, year, seats, litres, fuel, price, effective = row
        sheet.write_string(number, 0, brand, text)
        sheet.write_string(number, 1, make_model, text)
        sheet.write_number(number, 2, year, text)
        if seats is not None:
            sheet.write_number(number, 3, seats, text)
        if litres is not None:
            sheet.write_number(number, 4, litres, text)
        sheet.write_string(number, 5, fuel, text)
        sheet.write_number(number, 6, price, money)
        sheet.write_datetime(number, 7, effective, day)
    sheet.autofilter(0, 0, len(rows), len(HEADERS) - 1)
    try:
        workbook.close()
    except OSError as error:
        raise ValidationFailed(
            tr("无法保存：{e}", "Cannot save: {e}", e=error.strerror), field="file"
        ) from None
