"""A small hand-made night's folder: one file per kind, each with known good rows and one
row of every bad kind the import must reject (invalid ID check digit, unknown unit, end
before start, non-numeric and 3-decimal money, a claim for an unknown policy, a duplicate
key inside the file, an unknown customer). Written fresh into a test's tmp_path, since
rejects files land beside the input.

- customers.csv: canonical headers, UTF-8 with BOM, one unknown extra column.
- vehicles.csv: canonical headers, GB18030; one owner named by a 15-digit ID number.
- policies.csv: the Chinese headers of the shipped `core_zh` profile (UTF-8, no BOM);
  holders named by the 15-digit and the 18-digit forms of the same people.
- claims.xlsx: canonical headers, xlsx.
- receivables.csv: canonical headers, UTF-8.
"""

import csv
import io
from pathlib import Path

WANG = "330402198001010014"  # 王建国: also made by hand at the counter before the import
LI = "330402197503150020"  # 李梅
LI_15 = "330402750315002"  # 李梅's first-generation number
ZHANG = "330411199006200037"  # 张伟
ZHANG_15 = "330411900620003"  # 张伟 appears in customers.csv only with this one
BAD_ID = "330402198505050045"  # wrong check digit
HEFENG = "91330402MA2B3C4D53"  # 嘉兴禾丰贸易有限公司
VIN_1 = "LSVAU2187N2123456"
VIN_2 = "LSVAU2184N3123456"
P1 = "PDAA202633040200000001"
P2 = "PDZA202633040200000002"
P3 = "PDAA202633041100000003"
P4 = "PQYE202633040200000004"

CUSTOMERS = [
    [
        "customer_key",
        "kind",
        "name",
        "id_number",
        "credit_code",
        "phone",
        "address",
        "unit_code",
        "备注",
    ],
    [
        "C001",
        "individual",
        "王建国",
        WANG,
        "",
        "13800001111",
        "嘉兴市南湖区东栅街道1号",
        "330402",
        "x",
    ],
    ["C002", "individual", "李梅", LI, "", "13900002222", "", "330402", ""],
    [ZHANG_15, "individual", "张伟", "", "", "", "", "330411", ""],
    ["C004", "corporate", "嘉兴禾丰贸易有限公司", "", HEFENG, "057382001234", "", "330402", ""],
    ["C005", "individual", "赵六", BAD_ID, "", "", "", "330402", ""],  # bad check digit
    ["C006", "individual", "钱七", "", "", "", "", "999999", ""],  # unknown unit
    ["C001", "individual", "王建国", WANG, "", "", "", "330402", ""],  # duplicate key
]
VEHICLES = [
    [
        "plate",
        "vin",
        "owner_key",
        "make_model",
        "use",
        "seats",
        "first_registration",
        "new_car_price",
    ],
    ["浙F12345", VIN_1, "C001", "大众朗逸", "family", "5", "2020-05-01", "150000.00"],
    ["浙F54321", VIN_2, LI_15, "丰田卡罗拉", "family", "5", "2021-03-15", "120000.00"],
    ["浙F99999", "", "C999", "五菱宏光", "family", "7", "", ""],  # unknown customer
]
POLICIES = [
    [
        "保单号",
        "险种",
        "投保人",
        "被保险人",
        "车牌号码",
        "机构代码",
        "签单日期",
        "起保日期",
        "终保日期",
        "保费",
        "保额",
        "保单状态",
    ],
    [
        P1,
        "商业车险",
        "C001",
        "C001",
        "浙F12345",
        "330402",
        "2026-01-10",
        "2026-01-11",
        "2027-01-10",
        "3200.00",
        "500000",
        "有效",
    ],
    [
        P2,
        "交强险",
        LI_15,
        "",
        "浙F54321",
        "330402",
        "2026-02-01",
        "2026-02-02",
        "2027-02-01",
        "950.00",
        "200000",
        "有效",
    ],
    [
        P3,
        "意外险",
        ZHANG,
        "",
        "",
        "330411",
        "2026-03-01",
        "2026-03-01",
        "2027-02-28",
        "300.00",
        "100000",
        "有效",
    ],
    [
        P4,
        "企财险",
        HEFENG,
        "",
        "",
        "330402",
        "2026-01-05",
        "2026-01-15",
        "2027-01-14",
        "12000.00",
        "8000000",
        "有效",
    ],
    [
        "PDAA202633040200000005",
        "商业车险",
        "C001",
        "",
        "",
        "330402",
        "",
        "2026-05-01",
        "2026-04-01",
        "100.00",
        "",
        "有效",
    ],  # end before start
    [
        "PDAA202633040200000006",
        "意外险",
        "C002",
        "",
        "",
        "330402",
        "",
        "2026-05-01",
        "2027-04-30",
        "12.345",
        "",
        "有效",
    ],  # three decimals
    [
        "PDAA202633040200000007",
        "意外险",
        "C002",
        "",
        "",
        "330402",
        "",
        "2026-05-01",
        "2027-04-30",
        "abc",
        "",
        "有效",
    ],  # not a number
    [
        "PDAA202633040200000008",
        "意外险",
        BAD_ID,
        "",
        "",
        "330402",
        "",
        "2026-05-01",
        "2027-04-30",
        "100.00",
        "",
        "有效",
    ],  # holder ID with a wrong check digit
]
CLAIMS = [
    [
        "claim_no",
        "policy_no",
        "loss_date",
        "reported_date",
        "status",
        "paid",
        "outstanding",
        "cause",
    ],
    ["CLM2026000001", P1, "2026-03-01", "2026-03-02", "closed", "1800.00", "0", "collision"],
    ["CLM2026000002", P2, "2026-06-10", "2026-06-10", "open", "0", "500.00", "glass"],
    [
        "CLM2026000003",
        "PDNOSUCHPOLICY01",
        "2026-06-10",
        "2026-06-11",
        "open",
        "0",
        "100.00",
        "theft",
    ],  # unknown policy
]
RECEIVABLES = [
    ["policy_no", "due_date", "amount", "paid_amount", "paid_date"],
    [P1, "2026-01-11", "3200.00", "3200.00", "2026-01-11"],
    [P4, "2026-01-15", "12000.00", "6000.00", "2026-01-20"],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_night(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "customers.csv", CUSTOMERS, "utf-8-sig")
    write_csv(folder / "vehicles.csv", VEHICLES, "gb18030")
    write_csv(folder / "policies.csv", POLICIES, "utf-8")
    write_xlsx(folder / "claims.xlsx", CLAIMS)
    write_csv(folder / "receivables.csv", RECEIVABLES, "utf-8")
    return folder
