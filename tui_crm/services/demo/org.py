"""Staff of every role in every county, the demo users of docs/cli.md, intermediaries, groups'
names and catastrophe events: the small tables, written as plain rows."""

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from tui_crm.services.demo.loader import BulkLoader
from tui_crm.services.demo.names import BRAND_WORDS, TYPHOONS, person_names

# The demo users of docs/cli.md: username, role, unit code, display name.
DEMO_USERS = [
    ("admin", "admin", "3304", "系统管理员"),
    ("manager", "manager", "3304", "周建国"),
    ("counter", "counter", "330402", "沈佳怡"),
    ("underwriter", "underwriter", "330402", "陆文斌"),
    ("claims", "claims", "330402", "钱志强"),
    ("supervisor", "supervisor", "330402", "顾明辉"),
    ("supervisor2", "supervisor", "330402", "褚丽华"),
    ("account_manager", "account_manager", "330402", "徐海峰"),
    ("counter_xz", "counter", "330411", "朱婷婷"),
    ("sms_gateway", "gateway", "3304", "短信网关"),
]
DEMO_PASSWORD = "demo-pass"
COUNTY_SHORT = {
    "330402": "nh",
    "330411": "xz",
    "330421": "js",
    "330424": "hy",
    "330481": "hn",
    "330482": "ph",
    "330483": "tx",
}
# Extra staff per county branch and per department: role → how many.
COUNTY_STAFF = {
    "counter": 2,
    "underwriter": 1,
    "claims": 2,
    "supervisor": 1,
    "account_manager": 3,
}
DEPARTMENT_STAFF = {"counter": 1, "account_manager": 2}
INTERMEDIARY_RATES = {"agency": 120_000, "broker": 80_000, "dealer": 150_000, "bank": 100_000}
BANKS = ["中国工商银行", "中国农业银行", "中国建设银行", "嘉兴银行", "浙江农商银行"]
DEALER_MAKES = ["丰田", "大众", "本田", "比亚迪", "吉利", "别克"]
KEY_AGENCY = "嘉兴信诚保险代理有限公司"  # the intermediary with ≥ 500,000 written in the year


@dataclass
class County:
    index: int
    code: str
    name: str  # 南湖区
    unit_id: int
    unit_ids: list[int]  # the county unit and its departments
    account_managers: dict[int, list[int]] = field(default_factory=dict)  # unit → staff
    claims_staff: list[int] = field(default_factory=list)
    intermediaries: dict[str, list[int]] = field(default_factory=dict)  # kind → ids


@dataclass
class Org:
    centre_id: int
    counties: list[County]
    unit_code: dict[int, str]
    intermediary_rate: dict[int, int]
    intermediary_kind: dict[int, str]
    key_agency_id: int = 0
    staff_count: int = 0


def load_org(loader: BulkLoader, rng: np.random.Generator, password_hash: str, as_of: date) -> Org:
    units = {
        code: (uid, path)
        for uid, code, path in _rows(loader, "SELECT id, code, path FROM org_unit ORDER BY id")
    }
    division = {code: name for code, name in _rows(loader, "SELECT code, name FROM org_unit")}
    counties: list[County] = []
    for index, code in enumerate(COUNTY_SHORT):
        unit_id, path = units[code]
        unit_ids = [uid for c, (uid, p) in units.items() if p.startswith(path)]
        county_name = _county_name(code) or division[code]
        counties.append(County(index, code, county_name, unit_id, sorted(unit_ids)))
    org = Org(
        centre_id=units["3304"][0],
        counties=counties,
        unit_code={uid: code for code, (uid, _p) in units.items()},
        intermediary_rate={},
        intermediary_kind={},
    )
    _add_staff(loader, org, units, rng, password_hash)
    _add_intermediaries(loader, org, rng)
    _add_events(loader, as_of)
    return org


def _rows(loader: BulkLoader, sql: str) -> list[tuple]:
    if loader.sqlite:
        return loader.raw.execute(sql).fetchall()
    with loader.raw.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _county_name(code: str) -> str | None:
    from tui_crm.services.validation.verdict import division_names

    return division_names().get(code)


def _add_staff(
    loader: BulkLoader,
    org: Org,
    units: dict[str, tuple[int, str]],
    rng: np.random.Generator,
    password_hash: str,
) -> None:
    wanted: list[tuple[str, str, int, str | None]] = [
        (u, role, units[code][0], name) for u, role, code, name in DEMO_USERS
    ]
    for county in org.counties:
        short = COUNTY_SHORT[county.code]
        for role, count in COUNTY_STAFF.items():
            for i in range(1, count + 1):
                wanted.append((f"{role}_{short}_{i}", role, county.unit_id, None))
        for unit_id in county.unit_ids:
            if unit_id == county.unit_id:
                continue
            dept = org.unit_code[unit_id].replace("-", "")[-2:]
            for role, count in DEPARTMENT_STAFF.items():
                for i in range(1, count + 1):
                    wanted.append((f"{role}_{short}{dept}_{i}", role, unit_id, None))
    first_id = int(loader.scalar("SELECT coalesce(max(id), 0) FROM staff_user")) + 1
    names, _full, _initials = person_names(rng, rng.random(len(wanted)) < 0.5)
    rows = []
    for offset, (username, role, unit_id, display) in enumerate(wanted):
        staff_id = first_id + offset
        phone = f"139{57300000 + staff_id * 37 % 10000:08d}"
        rows.append(
            (staff_id, username, display or names[offset], role, unit_id, phone, True,
             password_hash, 0, "2020-01-01 00:00:00" + ("" if loader.sqlite else "+00"))
        )  # fmt: skip
        home = next((c for c in org.counties if unit_id in c.unit_ids), None)
        if home and role == "account_manager":
            home.account_managers.setdefault(unit_id, []).append(staff_id)
        if home and role == "claims":
            home.claims_staff.append(staff_id)
    loader.insert(
        "staff_user",
        ["id", "username", "display_name", "role", "unit_id", "phone", "active",
         "password_hash", "failed_attempts", "created_at"],
        rows,
    )  # fmt: skip
    org.staff_count = len(rows)


def _add_intermediaries(loader: BulkLoader, org: Org, rng: np.random.Generator) -> None:
    rows: list[tuple[str, str, str, int]] = [
        ("AG3304-01", KEY_AGENCY, "agency", org.centre_id),
        ("BR3304-01", "浙江恒信保险经纪有限公司", "broker", org.centre_id),
        ("BR3304-02", "江南联合保险经纪有限公司嘉兴分公司", "broker", org.centre_id),
    ]
    for county in org.counties:
        place = county.name.rstrip("区县市") if len(county.name) > 2 else county.name
        brands = rng.choice(BRAND_WORDS, size=4, replace=False)
        rows.append(
            (f"AG{county.code}-01", f"嘉兴{brands[0]}保险代理有限公司", "agency", county.unit_id)
        )
        for i, make in enumerate(rng.choice(DEALER_MAKES, size=2, replace=False), start=1):
            rows.append(
                (f"DL{county.code}-{i:02d}", f"嘉兴{brands[i]}{make}汽车销售服务有限公司",
                 "dealer", county.unit_id)
            )  # fmt: skip
        bank = BANKS[county.index % len(BANKS)]
        rows.append((f"BK{county.code}-01", f"{bank}嘉兴{place}支行", "bank", county.unit_id))
    out = []
    for offset, (code, name, kind, unit_id) in enumerate(rows, start=1):
        rate = INTERMEDIARY_RATES[kind]
        out.append(
            (
                offset,
                code,
                name,
                kind,
                f"{kind[:2].upper()}{330400000 + offset}",
                rate,
                unit_id,
                True,
            )
        )
        org.intermediary_rate[offset] = rate
        org.intermediary_kind[offset] = kind
        if name == KEY_AGENCY:
            org.key_agency_id = offset
        for county in org.counties:
            if unit_id == county.unit_id or unit_id == org.centre_id:
                county.intermediaries.setdefault(kind, []).append(offset)
    loader.insert(
        "intermediary",
        ["id", "code", "name", "kind", "licence_no", "commission_rate", "unit_id", "active"],
        out,
    )


def _add_events(loader: BulkLoader, as_of: date) -> None:
    rows = [
        (i, name, kind, start, end, warned)
        for i, (name, kind, start, end, warned) in enumerate(TYPHOONS, start=1)
        if date.fromisoformat(start) <= as_of
    ]
    loader.insert(
        "catastrophe_event", ["id", "name", "kind", "start_date", "end_date", "warned_on"], rows
    )
