"""A synthetic book for the search and 360 benchmarks when no demo book is at hand.

Deterministic for a seed; realistic where search cares: surnames with their real
frequency skew (王 李 张 刘 陈 … about 7% each for the top ones), one- and two-character
given names, company names, valid resident IDs of Jiaxing districts, mobiles, 浙F plates,
VINs, policy and claim numbers. Bulk inserts, FTS rebuilt once at the end.

    python bench/search_book.py sqlite:////tmp/search_1m.db 1000000
"""

import random
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text

from tui_crm.services.core.text import name_pinyin, reverse
from tui_crm.services.setup import ensure_ready
from tui_crm.storage import search_index
from tui_crm.storage.db import Database

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕雪飞鹏辉晨浩宇俊峰"
    "婷欣怡佳琪子涵梓轩一诺思远文博嘉乐晓东晓燕立新永强春花秋菊建平建华卫东海波国强金凤丹丹"
    "鑫淼磊森琳璐瑶瑾萱琦昊旭阳然睿哲奕铭诚恒凯翔斌彬亮炜炯鸿坤"
)
PLACES = "嘉兴南湖秀洲嘉善海盐海宁平湖桐乡王江泾新塍洪合濮院乌镇屠甸崇福石门"
WORDS = "华鑫恒通达盛隆昌宏泰丰源兴旺永利金鼎祥和瑞嘉联合新中远大安信诚德胜天宇东方"
TRADES = (
    "机械",
    "纺织",
    "服装",
    "建材",
    "物流",
    "电子",
    "化工",
    "食品",
    "汽车销售",
    "贸易",
    "建设",
    "科技",
)
FORMS = ("有限公司", "股份有限公司", "有限责任公司", "厂", "经营部")
DISTRICTS = ("330402", "330411", "330421", "330424", "330481", "330482", "330483")
WEIGHTS = [1 / (i + 1) ** 0.9 for i in range(len(SURNAMES))]
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
NOW = datetime(2026, 11, 25, tzinfo=UTC)


def resident_id(rng: random.Random, region: str) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    body = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def vin(rng: random.Random) -> str:
    chars = [rng.choice(VIN_CHARS) for _ in range(17)]
    chars[:3] = list(rng.choice(("LSV", "LFV", "LGB", "LVS", "LBV", "LHG")))
    chars[11:] = list(f"{rng.randrange(1_000_000):06d}")
    return "".join(chars)


def _bulk(database: Database, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    with database.connect() as connection:
        raw: Any = connection.connection.driver_connection
        if database.is_sqlite:
            marks = ", ".join("?" * len(columns))
            raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        else:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)


def build(database: Database, customers: int, seed: int = 11, chunk: int = 50_000) -> None:
    ensure_ready(database)
    rng = random.Random(seed)
    with database.connect() as connection:
        units = dict(connection.execute(text("SELECT code, id FROM org_unit")).all())
        search_index.suspend_fts_triggers(connection)
    unit_ids = [units[d] for d in DISTRICTS]
    stamp: Any = NOW.isoformat(sep=" ") if database.is_sqlite else NOW
    policy_seq = claim_seq = 0
    next_id = 1
    for start in range(0, customers, chunk):
        cust, cont, veh, pol, clm = [], [], [], [], []
        for cid in range(start + 1, min(customers, start + chunk) + 1):
            district = rng.randrange(len(DISTRICTS))
            corporate = rng.random() < 0.06
            if corporate:
                name = (
                    rng.choice(("嘉兴", "浙江", ""))
                    + rng.choice(PLACES[::2])
                    + rng.choice(WORDS)
                    + rng.choice(WORDS)
                    + rng.choice(TRADES)
                    + rng.choice(FORMS)
                )
                number = f"9133{DISTRICTS[district][2:]}" + "".join(
                    rng.choice(VIN_CHARS[:-10] + "0123456789") for _ in range(10)
                )
            else:
                surname = rng.choices(SURNAMES, WEIGHTS)[0]
                given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
                name = surname + given
                number = resident_id(rng, DISTRICTS[district])
            full, initials = name_pinyin(name)
            cust.append(
                (
                    cid,
                    "corporate" if corporate else "individual",
                    name,
                    full,
                    initials,
                    "credit_code" if corporate else "resident_id",
                    number,
                    reverse(number),
                    unit_ids[district],
                    "standard",
                    1,
                    stamp,
                    stamp,
                    "core",
                    False,
                    False,
                    False,
                    False,
                    False,
                )
            )
            phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
            cont.append((next_id, cid, "mobile", phone, phone, reverse(phone), True, False, stamp))
            next_id += 1
            for _ in range(rng.choice((0, 1, 1, 1, 2))):
                plate = "浙F" + "".join(rng.choice(PLATE_CHARS) for _ in range(5))
                code = vin(rng)
                veh.append(
                    (
                        cid,
                        plate,
                        reverse(plate),
                        code,
                        reverse(code),
                        "family",
                        "petrol",
                        False,
                        False,
                        stamp,
                    )
                )
            for year in range(2023, 2027) if rng.random() < 0.7 else ():
                policy_seq += 1
                number = f"PDAA{year}{DISTRICTS[district]}{policy_seq:08d}"
                begin = date(year, 1 + policy_seq % 12, 1)
                pol.append(
                    (
                        policy_seq,
                        number,
                        "motor_commercial",
                        cid,
                        cid,
                        unit_ids[district],
                        begin,
                        begin.replace(year=year + 1) - timedelta(days=1),
                        120000,
                        300000000,
                        0,
                        "active",
                        stamp,
                        "direct",
                        False,
                        False,
                        False,
                        False,
                    )
                )
                if rng.random() < 0.15:
                    claim_seq += 1
                    clm.append(
                        (
                            f"RDAA{year}{DISTRICTS[district]}{claim_seq:08d}",
                            policy_seq,
                            cid,
                            begin + timedelta(days=40),
                            begin + timedelta(days=41),
                            "collision",
                            rng.randrange(1000, 900000),
                            0,
                            "closed",
                            stamp,
                            True,
                            False,
                            False,
                            False,
                        )
                    )
        _bulk(
            database,
            "customer",
            [
                "id",
                "kind",
                "name",
                "name_pinyin",
                "name_initials",
                "id_type",
                "id_number",
                "id_number_rev",
                "unit_id",
                "customer_class",
                "version",
                "created_at",
                "updated_at",
                "source",
                "intention_declared",
                "lapsed_to_competitor",
                "flag_key",
                "flag_blacklist",
                "flag_renewal_due",
            ],
            cust,
        )
        _bulk(
            database,
            "contact",
            [
                "id",
                "customer_id",
                "kind",
                "value",
                "value_norm",
                "value_rev",
                "is_primary",
                "consent_marketing_sms",
                "created_at",
            ],
            cont,
        )
        _bulk(
            database,
            "vehicle",
            [
                "owner_customer_id",
                "plate",
                "plate_rev",
                "vin",
                "vin_rev",
                "use",
                "fuel",
                "new_energy",
                "energy_saving",
                "created_at",
            ],
            veh,
        )
        _bulk(
            database,
            "policy",
            [
                "id",
                "policy_no",
                "line_code",
                "customer_id",
                "insured_id",
                "unit_id",
                "start_date",
                "end_date",
                "premium",
                "sum_insured",
                "commission",
                "status",
                "issued_at",
                "channel",
                "is_tender",
                "surplus_reinsurance",
                "facultative_reinsurance",
                "coinsurance",
            ],
            pol,
        )
        _bulk(
            database,
            "claim",
            [
                "claim_no",
                "policy_id",
                "customer_id",
                "loss_date",
                "report_date",
                "cause",
                "paid",
                "outstanding",
                "status",
                "created_at",
                "at_fault",
                "fatal",
                "fraud_suspected",
                "hard_to_settle",
            ],
            clm,
        )
        print(f"  {min(customers, start + chunk):,} customers", flush=True)
    with database.connect() as connection:
        search_index.rebuild_fts(connection)
        connection.execute(text("ANALYZE"))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(0)
    build(Database.from_url(sys.argv[1]), int(sys.argv[2]))
