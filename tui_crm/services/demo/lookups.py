"""Working tables of the bulk build (temporary; dropped at the end) and the SQL helpers
that let one statement text run on SQLite and PostgreSQL.

Policies, receivables, payments, claims and contacts are derived in SQL from the
customers and vehicles the Python side drew, with a deterministic integer hash of
(row id, purpose, seed) standing in for random numbers, so the database does the
row-by-row work at C speed.
"""

from datetime import date, timedelta

from tui_crm.services.demo.catalogue import MODELS
from tui_crm.services.demo.loader import Writer
from tui_crm.services.demo.names import TYPHOONS
from tui_crm.services.demo.org import Org
from tui_crm.services.demo.people import DAY0, POLICY_FROM, day_number

DAYS_FROM = date(2008, 1, 1)
# Non-motor lines: bit, code, number prefix, % of company size, individual premium (fen),
# claims per mille, claim size (%)
NM_LINES = [
    (0, "property", "PQAA", 100, 0, 60, 1200),
    (1, "home", "PQHA", 0, 30_000, 20, 40),
    (2, "cargo", "PYCA", 25, 0, 80, 400),
    (3, "liability", "PZAA", 30, 0, 80, 600),
    (4, "accident", "PEAA", 20, 20_000, 60, 100),
    (5, "engineering", "PJAA", 150, 0, 60, 2000),
    (6, "health", "PHAA", 0, 80_000, 150, 40),
]
MOTOR_LINES = [(0, "ctpl", "PDZA", 70), (1, "motor_commercial", "PDAA", 360)]

WORK_TABLES = {
    "demo_day": "d INTEGER PRIMARY KEY, iso {date}, ts {ts}, y INTEGER",
    "demo_term": "start0 INTEGER, k INTEGER, s INTEGER, e INTEGER, PRIMARY KEY (start0, k)",
    "demo_unit": "unit_id INTEGER PRIMARY KEY, county INTEGER, code TEXT",
    "demo_county": "county INTEGER PRIMARY KEY, code TEXT, name TEXT, towns INTEGER,"
    " handler1 INTEGER, handler2 INTEGER, counter INTEGER",
    "demo_rank": "mask INTEGER, bit INTEGER, rnk INTEGER, cnt INTEGER, PRIMARY KEY (mask, bit)",
    "demo_nmline": "bit INTEGER PRIMARY KEY, code TEXT, prefix TEXT, company_pct INTEGER,"
    " person_fen BIGINT, claim_pm INTEGER, claim_scale INTEGER",
    "demo_line": "bit INTEGER PRIMARY KEY, code TEXT, prefix TEXT, claim_pm INTEGER",
    "demo_slot": "k INTEGER PRIMARY KEY, share INTEGER",
    "demo_model": "i INTEGER PRIMARY KEY, brand TEXT, make_model TEXT, seats INTEGER,"
    " litres BIGINT, fuel TEXT, new_energy INTEGER, price_fen BIGINT, tonnage BIGINT,"
    " cc INTEGER, special INTEGER",
    "demo_event": "id INTEGER PRIMARY KEY, s INTEGER, e INTEGER",
    "demo_customer": "id INTEGER PRIMARY KEY, kind TEXT, name TEXT, id_number TEXT,"
    " birth {date}, gender TEXT, pinyin TEXT, initials TEXT, industry TEXT, ownership TEXT,"
    " unit_id INTEGER, am_id INTEGER, group_id INTEGER, parent_id INTEGER, inter_id INTEGER,"
    " status INTEGER, created_d INTEGER, nm_lines INTEGER, nm_start INTEGER,"
    " nm_terms INTEGER, nm_pid0 BIGINT, size_fen BIGINT, tender INTEGER, id_rev TEXT,"
    " r BIGINT, risk INTEGER, mobile TEXT, mobile_rev TEXT, address TEXT, landline TEXT,"
    " landline_rev TEXT, email TEXT",
    "demo_vehicle": "id INTEGER PRIMARY KEY, owner_id INTEGER, plate TEXT, vin TEXT,"
    " model INTEGER, use TEXT, reg_d INTEGER, start0 INTEGER, n_terms INTEGER,"
    " commercial INTEGER, ctpl_fen BIGINT, comm_fen BIGINT, pid0 BIGINT, plate_rev TEXT,"
    " vin_rev TEXT, r BIGINT",
    "demo_pterm": "pid BIGINT PRIMARY KEY, customer_id INTEGER, vehicle_id INTEGER,"
    " line_code TEXT, prefix TEXT, motor INTEGER, k INTEGER, s INTEGER, e INTEGER,"
    " premium BIGINT, sum_insured BIGINT, renewal_of BIGINT, unit_id INTEGER, am_id INTEGER,"
    " inter_id INTEGER, rate BIGINT, channel TEXT, tender INTEGER, kind TEXT,"
    " county INTEGER, claim_pm INTEGER, claim_scale INTEGER, r BIGINT, risk INTEGER,"
    " claim_u INTEGER",
}
INDIVIDUAL_COLUMNS = [
    "id", "name", "id_number", "birth", "gender", "pinyin", "initials", "unit_id", "am_id",
    "inter_id", "status", "created_d", "nm_lines", "nm_start", "nm_terms", "nm_pid0",
    "id_rev", "r", "risk", "mobile", "mobile_rev", "address", "landline", "landline_rev",
]  # fmt: skip
COMPANY_COLUMNS = [
    "id", "kind", "name", "id_number", "pinyin", "initials", "industry", "ownership",
    "unit_id", "am_id", "group_id", "parent_id", "inter_id", "status", "created_d",
    "nm_lines", "nm_start", "nm_terms", "size_fen", "tender", "nm_pid0", "id_rev", "r", "risk",
    "mobile", "mobile_rev", "address", "landline", "landline_rev", "email",
]  # fmt: skip
VEHICLE_COLUMNS = [
    "id", "owner_id", "plate", "vin", "model", "use", "reg_d", "start0", "n_terms",
    "commercial", "ctpl_fen", "comm_fen", "pid0", "plate_rev", "vin_rev", "r",
]  # fmt: skip


class SqlKit:
    """Dialect-specific pieces of SQL text, and the seeded hash."""

    def __init__(self, sqlite: bool, seed: int) -> None:
        self.sqlite = sqlite
        self.seed = seed
        # Claims numbered before the table being written (a chunk file starts empty).
        self.claims_before = 0

    def lpad(self, expr: str, width: int) -> str:
        if self.sqlite:
            return f"substr('{'0' * width}' || ({expr}), -{width}, {width})"
        return f"lpad(CAST(({expr}) AS TEXT), {width}, '0')"

    def text(self, expr: str) -> str:
        return f"CAST(({expr}) AS TEXT)"

    def reverse(self, expr: str, width: int) -> str:
        return " || ".join(f"substr({expr}, {i}, 1)" for i in range(width, 0, -1))

    def h(self, expr: str, salt: int) -> str:
        """A pseudo-random integer in [0, 2^31) from an integer expression and a salt."""
        k = (salt * 1_000_003 + self.seed * 7_919) % 900_000_007
        u = f"((({expr}) + {k}) * 2654435761 % 2147483647)"
        return f"(({u} * {u} % 2147483647 * 16807 + {u}) % 2147483647)"

    def fence(self) -> str:
        """Ends a subquery so PostgreSQL computes its columns once instead of inlining them
        (SQLite already materialises the subqueries where this is used)."""
        return "" if self.sqlite else " OFFSET 0"

    def r62(self, expr: str, salt: int) -> str:
        """A pseudo-random integer in [0, 2^62) (two hashes side by side)."""
        return f"({self.h(expr, salt)} * 2147483648 + {self.h(expr, salt + 1000)})"


class Digits:
    """Independent small random numbers cut from one large random integer column:
    `take(n)` gives a value in [0, n) from the next mixed-radix digit."""

    def __init__(self, expr: str, bits: int = 62) -> None:
        self.expr = expr
        self.limit = 1 << bits
        self.place = 1

    def take(self, n: int) -> str:
        if self.place * n > self.limit:
            raise ValueError("random digits exhausted")
        part = f"({self.expr} / {self.place} % {n})" if self.place > 1 else f"({self.expr} % {n})"
        self.place *= n
        return part


def create_work_tables(loader: Writer) -> None:
    types = (
        {"date": "TEXT", "ts": "TEXT"} if loader.sqlite else {"date": "DATE", "ts": "TIMESTAMPTZ"}
    )
    temp = "TEMP" if loader.sqlite else "TEMPORARY"
    for name, columns in WORK_TABLES.items():
        loader.execute(f"DROP TABLE IF EXISTS {name}")
        loader.execute(f"CREATE {temp} TABLE {name} ({columns.format(**types)})")


def drop_work_tables(loader: Writer) -> None:
    for name in WORK_TABLES:
        loader.execute(f"DROP TABLE IF EXISTS {name}")


def fill_lookups(loader: Writer, org: Org, as_of: date) -> None:
    suffix = " 02:00:00.000000" if loader.sqlite else " 02:00:00+00"
    last = as_of + timedelta(days=400)
    days = []
    current = min(DAYS_FROM, as_of - timedelta(days=17 * 366))  # oldest registrations
    while current <= last:
        iso = current.isoformat()
        days.append((day_number(current), iso, iso + suffix, current.year))
        current += timedelta(days=1)
    loader.insert("demo_day", ["d", "iso", "ts", "y"], days)
    loader.insert("demo_term", ["start0", "k", "s", "e"], _terms(as_of))
    units = [(uid, c.index, c.code) for c in org.counties for uid in c.unit_ids] + [
        (org.centre_id, 0, org.counties[0].code)
    ]
    loader.insert("demo_unit", ["unit_id", "county", "code"], units)
    counties = []
    for c in org.counties:
        handler1 = c.claims_staff[0] if c.claims_staff else None
        handler2 = c.claims_staff[-1] if c.claims_staff else None
        counties.append((c.index, c.code, c.name, 0, handler1, handler2, None))
    loader.insert(
        "demo_county",
        ["county", "code", "name", "towns", "handler1", "handler2", "counter"],
        counties,
    )
    ranks = []
    for mask in range(1 << len(NM_LINES)):
        bits = [b for b in range(len(NM_LINES)) if mask >> b & 1]
        ranks += [(mask, b, r, len(bits)) for r, b in enumerate(bits)]
    loader.insert("demo_rank", ["mask", "bit", "rnk", "cnt"], ranks)
    loader.insert(
        "demo_nmline",
        ["bit", "code", "prefix", "company_pct", "person_fen", "claim_pm", "claim_scale"],
        NM_LINES,
    )
    loader.insert("demo_line", ["bit", "code", "prefix", "claim_pm"], MOTOR_LINES)
    loader.insert("demo_slot", ["k", "share"], [(0, 100), (1, 30), (2, 12), (3, 5)])
    loader.insert(
        "demo_model",
        ["i", "brand", "make_model", "seats", "litres", "fuel", "new_energy", "price_fen",
         "tonnage", "cc", "special"],
        [
            (i, m[0], m[1], m[4], int(m[5] * 1_000_000), m[6], int(m[6] in ("electric", "hybrid")),
             m[7] * 100, int(m[8] * 1_000_000) or None,
             int(m[5] * 1000) if m[3] == "motorcycle" else None, 2 if m[3] == "special" else None)
            for i, m in enumerate(MODELS)
        ],
    )  # fmt: skip
    events = [
        (i, day_number(date.fromisoformat(start)), day_number(date.fromisoformat(end)))
        for i, (_name, _kind, start, end, _warned) in enumerate(TYPHOONS, start=1)
        if date.fromisoformat(start) <= as_of
    ]
    loader.insert("demo_event", ["id", "s", "e"], events)


def _terms(as_of: date) -> list[tuple[int, int, int, int]]:
    """(first start, k, start of term k, end of term k) as day numbers, for every first
    start from the book's first year to today."""
    rows = []
    first = POLICY_FROM
    while first <= as_of:
        k = 0
        while True:
            start = _add_years(first, k)
            if start > as_of:
                break
            end = _add_years(first, k + 1) - timedelta(days=1)
            rows.append((day_number(first), k, day_number(start), day_number(end)))
            k += 1
        first += timedelta(days=1)
    return rows


def _add_years(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


assert DAY0 < DAYS_FROM
