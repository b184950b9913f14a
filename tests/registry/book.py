"""A hand-made registry snapshot against a small book, one crafted case per rule."""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tests.factories import make_customer, make_policy, make_vehicle
from tui_crm.services.container import Services
from tui_crm.services.registry import HEADERS
from tui_crm.services.validation import id_18_from_15
from tui_crm.services.validation.vehicle import vin_check_digit


def vin(serial: int) -> str:
    """A valid VIN (check digit in place) for a serial number."""
    draft = f"LSVAB2BJ0EN{serial:06d}"
    return draft[:8] + vin_check_digit(draft) + draft[9:]


OLD_ID = "330402700101123"  # 15 digits, on file as its 18-digit form
NEW_OWNER = id_18_from_15("330411800202456")  # not on file: three vehicles
ZHANG_ID = id_18_from_15("330402800101123")


@dataclass
class Book:
    by_vin: int  # customer whose car matches by VIN only
    lapsed: int  # customer whose car matches by plate written without 浙, policy expired
    by_plate: int  # plate with 浙, insured
    old_id: int  # on file with the 18-digit ID, registry gives the 15-digit one
    two_units: int  # car insured by 南湖 and 秀洲 within the year


def build(services: Services) -> Book:
    by_vin = make_customer(services, "张一", id_number=ZHANG_ID)
    v1 = make_vehicle(services, by_vin, "浙F11111", vin(1))
    make_policy(services, by_vin, date(2026, 3, 1), vehicle_id=v1)
    lapsed = make_customer(services, "李二")
    v2 = make_vehicle(services, lapsed, "浙F22222")
    make_policy(services, lapsed, date(2024, 1, 1), vehicle_id=v2)
    by_plate = make_customer(services, "王三")
    v3 = make_vehicle(services, by_plate, "浙F33333")
    make_policy(services, by_plate, date(2026, 5, 1), vehicle_id=v3)
    old_id = make_customer(services, "赵四", id_number=id_18_from_15(OLD_ID))
    v4 = make_vehicle(services, old_id, "浙F44444")
    make_policy(services, old_id, date(2026, 4, 1), vehicle_id=v4)  # insured at 南湖
    two_units = make_customer(services, "钱五")
    v5 = make_vehicle(services, two_units, "浙F55555", vin(5))
    make_policy(services, two_units, date(2026, 1, 10), vehicle_id=v5)
    make_policy(services, two_units, date(2026, 6, 1), vehicle_id=v5, unit_code="330411")
    return Book(by_vin, lapsed, by_plate, old_id, two_units)


ROWS = [
    # plate, vin, owner_name, owner_id, registration_date, use, district_code
    ("", vin(1), "张一", ZHANG_ID, "2020-03-15", "family", "330402"),
    ("F22222", vin(2), "李二", id_18_from_15("330402850202345"), "2019-06-30", "family", "330402"),
    ("浙F33333", "", "王三", id_18_from_15("330402900303123"), "2021-01-20", "family", "330402"),
    ("浙F40404", vin(4), "赵四", OLD_ID, "2018-12-01", "family", "330421"),
    ("浙F60001", vin(61), "孙六", NEW_OWNER, "2022-02-28", "family", "330411"),
    ("浙F60002", vin(62), "孙六", NEW_OWNER, "2023-07-01", "family", "330411"),
    ("浙F60003", vin(63), "孙六", NEW_OWNER, "2024-11-30", "truck", "330411"),
    (
        "浙F55555",
        vin(5),
        "钱五",
        id_18_from_15("330402770707123"),
        "2017-07-07",
        "family",
        "330402",
    ),
    # bad rows
    ("浙F77777", "LSVAB2BJ0EN00007X", "坏车架", ZHANG_ID, "", "family", "330402"),
    ("", "", "无车牌", ZHANG_ID, "", "family", "330402"),
    ("浙F88888", "", "坏证件", "12345", "", "family", "330402"),
    ("浙F99999", "", "坏区县", ZHANG_ID, "", "family", "3304"),
    ("京A12345", "", "外地", ZHANG_ID, "", "family", "110101"),
]
EXPECTED = {"read": 13, "insured": 3, "lapsed": 1, "not_insured": 4, "rejected": 5,
            "conflicts": 1}  # fmt: skip


def write_csv(path: Path, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    return path


def write_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADERS))
    for row in ROWS:
        sheet.append(list(row))
    book.save(path)
    return path


ZH_HEADERS = ["号牌号码", "车辆识别代号", "所有人", "身份证明号码", "初次登记日期", "使用性质",
              "住所行政区划", "中文品牌", "车辆型号", "号牌种类"]  # fmt: skip
USE_ZH = {"family": "家庭自用汽车", "truck": "非营业货车"}


def _zh_date(text: str) -> str:
    """2020-03-15 written as the registry writes it: 2020年3月15日."""
    if not text:
        return ""
    year, month, day = (int(p) for p in text.split("-"))
    return f"{year}年{month}月{day}日"


def write_zh(path: Path, encoding: str = "gb18030") -> Path:
    """The hand-made snapshot with the registry's Chinese headers, values and dates."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ZH_HEADERS)
        for plate, vin, name, owner, registered, use, district in ROWS:
            writer.writerow([plate, vin, name, owner, _zh_date(registered), USE_ZH[use],
                             district, "大众", "朗逸 1.5L", "02"])  # fmt: skip
    return path
