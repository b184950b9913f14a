"""A few hand-written customers who clearly meet each class rule, so every screen and report
has an example whatever the book size:

- quality: four or more consecutive claim-free policy years, cover in force;
- key: premium ≥ 50,000 in the last 12 months; a tender policy ≥ 50,000; and the
  intermediary 嘉兴信诚保险代理有限公司, a customer itself, writing ≥ 500,000 in the year;
- blacklist candidates: four claims in the last 12 months far above the premium earned,
  and a claim flagged for suspected fraud.
"""

from datetime import date, timedelta

import numpy as np

from tui_crm.services.core.text import name_pinyin
from tui_crm.services.demo.identities import credit_codes, fuel_plates, resident_ids, vins
from tui_crm.services.demo.loader import BulkLoader
from tui_crm.services.demo.org import KEY_AGENCY
from tui_crm.services.demo.people import Context

QUALITY = [("沈国良", "330402196803152", "M"), ("陆美华", "330421197502284", "F"),
           ("钱永明", "330481198107193", "M")]  # fmt: skip
FREQUENT = [("褚建伟", "330411198509107", "M"), ("屠海燕", "330483199002036", "F")]
FRAUD = [("濮志刚", "330482198801125", "M")]
KEY_COMPANIES = ["嘉兴市南湖区恒信化纤有限公司", "海宁市天成皮革有限公司",
                 "桐乡市振华羊毛衫有限公司", "平湖市宏达光伏科技有限公司"]  # fmt: skip
TENDER_BODY = "嘉兴港区管理委员会"
GROUP = ("恒信集团", ["嘉兴恒信物流有限公司", "海盐恒信新材料有限公司"])  # head: KEY_COMPANIES[0]

CUSTOMER = ["id", "kind", "name", "id_type", "id_number", "birth_date", "gender", "industry",
            "ownership", "unit_id", "account_manager_id", "intermediary_id", "source",
            "intention_declared", "lapsed_to_competitor", "id_number_rev", "name_pinyin",
            "name_initials", "customer_class", "flag_key", "flag_blacklist",
            "flag_renewal_due", "version", "created_at", "updated_at", "group_id",
            "parent_customer_id"]  # fmt: skip
POLICY = ["id", "policy_no", "line_code", "customer_id", "insured_id", "vehicle_id", "unit_id",
          "account_manager_id", "intermediary_id", "channel", "is_tender", "start_date",
          "end_date", "sum_insured", "premium", "commission", "status", "renewal_of_id",
          "surplus_reinsurance", "facultative_reinsurance", "coinsurance", "reinsurance_share",
          "coinsurance_share", "coinsurance_lead", "issued_at"]  # fmt: skip
CLAIM = ["id", "claim_no", "policy_id", "customer_id", "loss_date", "report_date", "cause",
         "description", "paid", "outstanding", "status", "closed_on", "at_fault", "fatal",
         "fraud_suspected", "hard_to_settle", "handler_id", "created_at"]  # fmt: skip


class Planter:
    def __init__(self, loader: BulkLoader, ctx: Context) -> None:
        self.loader = loader
        self.ctx = ctx
        self.suffix = " 02:00:00.000000" if loader.sqlite else " 02:00:00+00"
        self.rows: dict[str, list[tuple]] = {}
        self.claim_id = int(loader.scalar("SELECT COALESCE(MAX(id), 0) FROM claim"))
        nanhu = ctx.org.counties[0]
        self.unit_id = nanhu.unit_id
        self.manager = nanhu.account_managers.get(nanhu.unit_id, [None])[0]
        self.handler = nanhu.claims_staff[0] if nanhu.claims_staff else None

    def ts(self, day: date) -> str:
        return day.isoformat() + self.suffix

    def add(self, table: str, row: tuple) -> None:
        self.rows.setdefault(table, []).append(row)

    def customer(self, name: str, number: str, *, kind: str = "individual",
                 birth: str | None = None, gender: str | None = None,
                 industry: str | None = None, intermediary: int | None = None,
                 since: date, group: int | None = None,
                 parent: int | None = None) -> int:  # fmt: skip
        cid = self.ctx.counters.customer
        self.ctx.counters.customer += 1
        full, initials = name_pinyin(name, person=kind == "individual")
        self.add("customer", (
            cid, kind, name, "resident_id" if kind == "individual" else "credit_code", number,
            birth, gender, industry, None if kind == "individual" else "private", self.unit_id,
            self.manager, intermediary, "core", False, False, number[::-1], full, initials,
            "standard", False, False, False, 1, self.ts(since), self.ts(since), group, parent,
        ))  # fmt: skip
        phone = f"1395738{cid % 10000:04d}"
        self.add("contact", (cid, "mobile", phone, phone, phone[::-1], True, True, self.ts(since)))
        return cid

    def vehicle(self, owner: int, since: date) -> int:
        c = self.ctx.counters
        vid = c.vehicle
        c.vehicle += 1
        plate = fuel_plates(np.array([c.fuel_plate]))[0]
        c.fuel_plate += 1
        vin = vins(np.array(["LSVAA418"], dtype=object), np.array([since.year]),
                   np.array(["A"]), np.array([c.vin_serial]))[0]  # fmt: skip
        c.vin_serial += 1
        model = ("上汽大众朗逸 1.5L 自动", "大众", "family", 5, 1_500_000, "petrol", False, False)
        row = (vid, owner, plate, plate[::-1], vin, vin[::-1], *model, since.isoformat(),
               11_990_000, self.ts(since))  # fmt: skip
        self.add("vehicle", row)
        return vid

    def policy(self, customer: int, line: str, start: date, premium_yuan: int, *,
               vehicle: int | None = None, intermediary: int | None = None,
               tender: bool = False, renewal_of: int | None = None) -> int:  # fmt: skip
        pid = self.ctx.counters.policy
        self.ctx.counters.policy += 1
        prefix = {"ctpl": "PDZA", "motor_commercial": "PDAA", "property": "PQAA",
                  "liability": "PZAA"}[line]  # fmt: skip
        end = start.replace(year=start.year + 1) - timedelta(days=1)
        premium = premium_yuan * 100
        rate = self.ctx.org.intermediary_rate.get(intermediary or 0, 0)
        big = premium >= 15_000_000
        self.add("policy", (
            pid, f"{prefix}{start.year}330402{pid:08d}", line, customer, customer, vehicle,
            self.unit_id, self.manager, intermediary,
            "agency" if intermediary else "direct", tender, start.isoformat(), end.isoformat(),
            premium * 200, premium, premium * rate // 1_000_000, "active", renewal_of, big,
            False, tender, 400_000 if big else None, 600_000 if tender else None,
            True if tender else None, self.ts(start - timedelta(days=2)),
        ))  # fmt: skip
        self.add("receivable", (pid, pid, customer, (start + timedelta(days=15)).isoformat(),
                                premium, premium, start.isoformat()))  # fmt: skip
        self.add("payment", (pid, pid, start.isoformat(), premium, "transfer"))
        return pid

    def claim(self, policy: int, customer: int, reported: date, paid: int, outstanding: int,
              *, fraud: bool = False) -> None:  # fmt: skip
        self.claim_id += 1
        closed = outstanding == 0
        self.add("claim", (
            self.claim_id, f"RDAA{reported.year}330402{self.claim_id:08d}", policy, customer,
            (reported - timedelta(days=1)).isoformat(), reported.isoformat(), "collision",
            "车辆碰撞", paid * 100, outstanding * 100, "closed" if closed else "open",
            (reported + timedelta(days=10)).isoformat() if closed else None, True, False,
            fraud, False, self.handler, self.ts(reported),
        ))  # fmt: skip

    def flush(self) -> None:
        columns = {
            "corporate_group": ["id", "name"],
            "customer": CUSTOMER,
            "contact": ["customer_id", "kind", "value", "value_norm", "value_rev", "is_primary",
                        "consent_marketing_sms", "created_at"],
            "vehicle": ["id", "owner_customer_id", "plate", "plate_rev", "vin", "vin_rev",
                        "make_model", "brand", "use", "seats", "displacement", "fuel",
                        "new_energy", "energy_saving", "first_registration", "new_car_price",
                        "created_at"],
            "policy": POLICY,
            "receivable": ["id", "policy_id", "customer_id", "due_date", "amount", "paid_amount",
                           "settled_on"],
            "payment": ["id", "receivable_id", "paid_on", "amount", "method"],
            "claim": CLAIM,
        }  # fmt: skip
        for table, names in columns.items():
            if self.rows.get(table):
                self.loader.insert(table, names, self.rows[table])


def plant(loader: BulkLoader, ctx: Context) -> int:
    """Add the example customers; returns how many."""
    p = Planter(loader, ctx)
    today = ctx.as_of
    count = 0
    for name, body, sex in QUALITY + FREQUENT + FRAUD:
        birth = date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
        number = resident_ids(np.array([int(body[:6])]), np.array([int(body[6:14])]),
                              np.array([int(body[14:17])]))[0][0]  # fmt: skip
        quality = (name, body, sex) in QUALITY
        first = today - timedelta(days=365 * 4 + 30 if quality else 200)
        cid = p.customer(name, number, birth=birth.isoformat(), gender=sex, since=first)
        vid = p.vehicle(cid, first)
        previous: dict[str, int | None] = {"ctpl": None, "motor_commercial": None}
        start = first
        while start <= today:
            for line, premium in (("ctpl", 855), ("motor_commercial", 4200)):
                previous[line] = p.policy(cid, line, start, premium, vehicle=vid,
                                          renewal_of=previous[line])  # fmt: skip
            start = start.replace(year=start.year + 1)
        commercial = previous["motor_commercial"]
        assert commercial is not None
        if (name, body, sex) in FREQUENT:
            for days, paid, out in (
                (170, 4_000, 0),
                (120, 6_000, 0),
                (60, 3_500, 0),
                (15, 0, 8_000),
            ):
                p.claim(commercial, cid, today - timedelta(days=days), paid, out)
        elif (name, body, sex) in FRAUD:
            p.claim(commercial, cid, today - timedelta(days=40), 0, 26_000, fraud=True)
        count += 1
    agency = ctx.org.key_agency_id
    codes = credit_codes(np.full(len(KEY_COMPANIES) + 4, 330402), np.random.default_rng(ctx.seed))
    group = ctx.counters.group
    ctx.counters.group += 1
    p.add("corporate_group", (group, GROUP[0]))
    head = 0
    start = today - timedelta(days=100)
    for i, name in enumerate(KEY_COMPANIES):
        cid = p.customer(name, codes[i], kind="corporate", industry="制造业",
                         intermediary=agency, since=start - timedelta(days=400),
                         group=group if i == 0 else None)  # fmt: skip
        head = head or cid
        before = p.policy(cid, "property", start - timedelta(days=365), 120_000,
                          intermediary=agency)  # fmt: skip
        p.policy(cid, "property", start, 150_000, intermediary=agency, renewal_of=before)
        p.policy(cid, "liability", start, 20_000, intermediary=agency)
        count += 1
    for offset, name in enumerate(GROUP[1], start=len(KEY_COMPANIES)):
        cid = p.customer(name, codes[offset], kind="corporate", industry="交通运输",
                         since=start - timedelta(days=200), group=group, parent=head)  # fmt: skip
        p.policy(cid, "property", start, 18_000)
    cid = p.customer(TENDER_BODY, codes[-2], kind="government", industry="公共管理",
                     since=today - timedelta(days=60))  # fmt: skip
    p.policy(cid, "property", today - timedelta(days=50), 80_000, tender=True)
    cid = p.customer(KEY_AGENCY, codes[-1], kind="corporate", industry="保险中介",
                     intermediary=agency, since=today - timedelta(days=300))  # fmt: skip
    p.policy(cid, "liability", today - timedelta(days=200), 6_000)
    p.flush()
    return count + 2 + len(GROUP[1])
