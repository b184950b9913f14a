"""Premium trial, proposal form and vehicle price table at scale: prints figures only.

    python bench/premium_bench.py                       # a fresh SQLite file
    python bench/premium_bench.py --url postgresql+psycopg://crm:crm@localhost/crm_bench
    python bench/premium_bench.py --prices 100000 --trials 500

What is timed: one trial as the screen runs it on each keystroke (reads the tables in
force, computes, itemises); one proposal form (xlsx + text, recorded); vehicle price
searches over a table of --prices rows (fragment, pinyin initials, fragment + year); an
xlsx import of 5,000 rows (valid rows kept, 1 in 50 bad) and an export of the table.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui_crm.services.container import make_services
from tui_crm.services.core.clock import Clock
from tui_crm.services.premium.vehicle_price_rows import model_initials
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database
from tui_crm.storage.models import OrgUnit, StaffUser, VehiclePrice

BRANDS = [
    "大众",
    "丰田",
    "本田",
    "比亚迪",
    "吉利",
    "长安",
    "别克",
    "日产",
    "奥迪",
    "宝马",
    "哈弗",
    "五菱",
]
MODELS = [
    "朗逸",
    "卡罗拉",
    "思域",
    "秦PLUS",
    "帝豪",
    "CS75",
    "英朗",
    "轩逸",
    "A4L",
    "3系",
    "H6",
    "宏光",
]


def user(services, role: str):  # type: ignore[no-untyped-def]
    from sqlmodel import select

    name = f"bench_{role}"
    with services.database.session() as session:
        if session.exec(select(StaffUser).where(StaffUser.username == name)).first() is None:
            unit = session.exec(select(OrgUnit).where(OrgUnit.code == "330402")).one()
            session.add(
                StaffUser(
                    username=name,
                    display_name=name,
                    role=role,
                    unit_id=unit.id,
                    password_hash=services.auth.hash_password("bench-pass"),
                )
            )
            session.commit()
    return services.auth.actor_for(name)


def timed(label: str, runs: list[float], unit: str = "ms") -> None:
    scale = 1000 if unit == "ms" else 1
    runs = sorted(runs)
    p95 = runs[int(len(runs) * 0.95) - 1] if len(runs) >= 20 else runs[-1]
    print(
        f"{label:<44} median {statistics.median(runs) * scale:8.1f} {unit}"
        f"   p95 {p95 * scale:8.1f} {unit}   n={len(runs)}"
    )


def fill_prices(database: Database, count: int) -> None:
    """Synthetic price rows, bulk-inserted (Core) in chunks."""
    from sqlalchemy import insert

    rng = random.Random(7)
    table = VehiclePrice.__table__  # type: ignore[attr-defined]
    with database.connect() as connection:
        connection.execute(table.delete())
        rows = []
        for n in range(count):
            brand, model = rng.choice(BRANDS), rng.choice(MODELS)
            make_model = f"{brand}{model} {rng.choice(['1.2T', '1.5L', '2.0T', 'EV'])} 型号{n}"
            rows.append(
                {
                    "brand": brand,
                    "make_model": make_model,
                    "model_initials": model_initials(brand, make_model),
                    "model_year": 2015 + n % 12,
                    "seats": 5,
                    "displacement": Decimal("1.5"),
                    "fuel": "petrol",
                    "price": Decimal(rng.randrange(60_000, 600_000)),
                    "effective_from": Clock().today(),
                    "version": 1,
                }
            )
            if len(rows) == 5000:
                connection.execute(insert(table), rows)
                rows = []
        if rows:
            connection.execute(insert(table), rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--trials", type=int, default=300)
    parser.add_argument("--prices", type=int, default=50_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="premium-bench-"))
    database = Database.from_url(args.url or f"sqlite:///{work / 'bench.db'}")
    ensure_ready(database)
    services = make_services(database, fast_hash=True)
    clerk, editor = user(services, "counter"), user(services, "underwriter")
    print(f"database: {database.dialect}; trials {args.trials}; price rows {args.prices:,}")

    values = {
        "use": "family",
        "seats": "5",
        "displacement": "1.6",
        "first_registration": "2023-04-01",
        "new_car_price": "150000",
        "claim_free_years": "2",
        "coverage": ["damage", "third_party:1000000", "driver:10000", "passenger:10000"],
    }
    runs = []
    for n in range(args.trials):
        start = time.perf_counter()
        outcome = services.premium.trial(clerk, {**values, "seats": str(2 + n % 8)})
        runs.append(time.perf_counter() - start)
        assert outcome.result is not None
    timed("trial (tables read + compute + itemise)", runs)

    result = services.premium.quote(clerk, values)
    runs = []
    for _ in range(20):
        start = time.perf_counter()
        services.proposals.save_form(clerk, result, folder=work / "forms")
        runs.append(time.perf_counter() - start)
    timed("proposal form (xlsx + text, recorded)", runs)

    start = time.perf_counter()
    fill_prices(database, args.prices)
    print(f"{'fill price table':<44} {time.perf_counter() - start:8.1f} s")
    for query in ("朗逸", "ly", "dzly", "卡罗拉 2020", "型号4999"):
        runs = []
        for _ in range(15):
            begin = time.perf_counter()
            services.vehicle_prices.search(clerk, query, limit=50)
            runs.append(time.perf_counter() - begin)
        timed(f"price search '{query}' (first 50)", runs)

    from openpyxl import Workbook

    sheet_path = work / "import.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["品牌", "厂牌型号", "年款", "座位数", "排量(升)", "燃料", "新车购置价(元)"])
    for n in range(5000):
        sheet.append(
            ["导入", f"导入车型 {n}", 2024 if n % 50 else "bad", 5, 1.5, "汽油", 100000 + n]
        )
    book.save(sheet_path)
    begin = time.perf_counter()
    report = services.vehicle_prices.import_xlsx(editor, sheet_path)
    print(
        f"{'import 5,000 xlsx rows':<44} {time.perf_counter() - begin:8.2f} s"
        f"   (+{report.added} ~{report.updated} !{len(report.errors)})"
    )
    begin = time.perf_counter()
    count = services.vehicle_prices.export_xlsx(editor, work / "export.xlsx")
    print(f"{'export whole table':<44} {time.perf_counter() - begin:8.2f} s   ({count:,} rows)")
    database.dispose()


if __name__ == "__main__":
    main()
