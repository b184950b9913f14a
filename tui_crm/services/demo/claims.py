"""Claims derived from the chunk's policy terms (a customer-level risk drives frequency; sizes
follow a long tail), typhoon surges, registry rows for our vehicles and service contacts."""

from tui_crm.services.demo.business import Span
from tui_crm.services.demo.loader import BulkLoader
from tui_crm.services.demo.lookups import SqlKit

CLAIM_COLUMNS = (
    "INSERT INTO claim (id, claim_no, policy_id, customer_id, loss_date, report_date, cause,"
    " description, paid, outstanding, status, closed_on, at_fault, fatal, fraud_suspected,"
    " hard_to_settle, catastrophe_event_id, handler_id, created_at)"
)
DESCRIPTIONS = {
    "collision": "车辆碰撞",
    "scratch": "车身划痕",
    "glass": "玻璃单独破碎",
    "flood": "暴雨水淹",
    "theft": "车辆盗抢",
    "fire": "火灾",
    "injury": "人员受伤",
    "cargo_damage": "货物受损",
    "liability": "第三者索赔",
    "illness": "住院医疗",
    "water_damage": "水管爆裂",
    "engineering": "施工事故",
    "other": "其他事故",
}


def _cause(kit: SqlKit, key: str) -> str:
    u = f"({kit.h(key, 42)} % 100)"
    return (
        "CASE WHEN p.line_code = 'ctpl' THEN"
        f" (CASE WHEN {u} < 35 THEN 'injury' ELSE 'collision' END)"
        " WHEN p.line_code = 'motor_commercial' THEN"
        f" (CASE WHEN {u} < 62 THEN 'collision' WHEN {u} < 74 THEN 'scratch'"
        f" WHEN {u} < 82 THEN 'glass' WHEN {u} < 86 THEN 'flood' WHEN {u} < 87 THEN 'theft'"
        f" WHEN {u} < 88 THEN 'fire' WHEN {u} < 96 THEN 'injury' ELSE 'other' END)"
        f" WHEN p.line_code = 'property' THEN (CASE WHEN {u} < 40 THEN 'flood'"
        f" WHEN {u} < 70 THEN 'fire' ELSE 'other' END)"
        " WHEN p.line_code = 'cargo' THEN 'cargo_damage'"
        " WHEN p.line_code = 'liability' THEN 'liability'"
        " WHEN p.line_code = 'accident' THEN 'injury'"
        " WHEN p.line_code = 'health' THEN 'illness'"
        " WHEN p.line_code = 'home' THEN 'water_damage'"
        " ELSE 'engineering' END"
    )


def _amount(kit: SqlKit, key: str) -> str:
    """Fen: 75% small (300–4,000 yuan), 20% medium, 4.5% large, 0.5% very large."""
    u = f"({kit.h(key, 43)} % 1000)"
    v = kit.h(key, 44)
    return (
        f"(CASE WHEN {u} < 750 THEN 30000 + {v} % 370000"
        f" WHEN {u} < 950 THEN 400000 + {v} % 1100000"
        f" WHEN {u} < 995 THEN 1500000 + {v} % 4500000"
        f" ELSE 6000000 + {v} % 19000000 END) * p.claim_scale / 100"
    )


def claims(db: BulkLoader, kit: SqlKit, as_of: int) -> None:
    h = kit.h
    key = "(p.pid * 4 + s.k)"
    risk = f"({h('p.customer_id', 45)} % 10)"
    mult = (
        f"(CASE WHEN {risk} < 6 THEN 6 WHEN {risk} < 8 THEN 12 WHEN {risk} < 9 THEN 20 ELSE 35 END)"
    )
    loss = f"(p.s + {h(key, 41)} % (p.e - p.s + 1))"
    base = "(SELECT COALESCE(MAX(id), 0) FROM claim)"
    inner = (
        f" SELECT {base} + ROW_NUMBER() OVER (ORDER BY p.pid, s.k) AS id, p.pid,"
        f" p.customer_id, p.county, p.line_code, {key} AS hk, {loss} AS loss,"
        f" {_cause(kit, key)} AS cause, {_amount(kit, key)} AS amount, {risk} AS risk"
        " FROM demo_pterm p JOIN demo_slot s"
        f" ON {h(key, 40)} % 10000 < p.claim_pm * s.share * {mult} / 100"
        f" WHERE {loss} <= {as_of}"
    )
    _insert_claims(
        db,
        kit,
        inner,
        as_of,
        event_join="LEFT JOIN demo_event ev ON"
        " q.loss BETWEEN ev.s AND ev.e AND q.cause IN ('flood', 'collision', 'other')",
    )
    # Typhoon surges: vehicles and premises flooded in a catastrophe
    surge = (
        f" SELECT {base} + ROW_NUMBER() OVER (ORDER BY p.pid, ev.id) AS id, p.pid,"
        " p.customer_id, p.county, p.line_code, (p.pid * 4 + 3) AS hk,"
        f" ev.s + {h('p.pid', 46)} % (ev.e - ev.s + 1) AS loss, 'flood' AS cause,"
        f" {_amount(kit, 'p.pid')} AS amount, {risk} AS risk, ev.id AS event_id"
        " FROM demo_pterm p JOIN demo_event ev ON ev.s BETWEEN p.s AND p.e"
        f" AND ev.e <= {as_of}"
        " WHERE p.line_code IN ('motor_commercial', 'property')"
        f" AND {h('p.pid * 16 + ev.id', 47)} % 1000 < 25"
    )
    _insert_claims(db, kit, surge, as_of, event_join=None)


def _insert_claims(
    db: BulkLoader, kit: SqlKit, inner: str, as_of: int, event_join: str | None
) -> None:
    h = kit.h
    u = f"({h('q.hk', 48)} % 100)"
    report = (
        f"(CASE WHEN q.loss + {h('q.hk', 49)} % 4 > {as_of} THEN {as_of}"
        f" ELSE q.loss + {h('q.hk', 49)} % 4 END)"
    )
    closed = f"({report} < {as_of} - 60)"
    close_day = (
        f"(CASE WHEN {report} + 5 + {u} % 50 > {as_of} THEN {as_of}"
        f" ELSE {report} + 5 + {u} % 50 END)"
    )
    event = "ev.id" if event_join else "q.event_id"
    cause = f"CASE WHEN {event} IS NOT NULL THEN 'flood' ELSE q.cause END"
    description = (
        "CASE "
        + " ".join(f"WHEN {cause} = '{k}' THEN '{v}'" for k, v in DESCRIPTIONS.items())
        + " END"
    )
    db.execute(
        f"{CLAIM_COLUMNS} SELECT q.id,"
        f" 'RDAA' || {kit.text('dr.y')} || ct.code || {kit.lpad('q.id', 8)},"
        f" q.pid, q.customer_id, dl.iso, dr.iso, {cause}, {description},"
        f" CASE WHEN {closed} AND {u} < 92 THEN q.amount"
        f" WHEN NOT {closed} AND {u} % 3 = 0 THEN q.amount * 3 / 10 ELSE 0 END,"
        f" CASE WHEN {closed} THEN 0 WHEN {u} % 3 = 0 THEN q.amount - q.amount * 3 / 10"
        " ELSE q.amount END,"
        f" CASE WHEN NOT {closed} THEN 'open' WHEN {u} < 92 THEN 'closed'"
        f" WHEN {u} < 97 THEN 'declined' ELSE 'withdrawn' END, dc.iso,"
        f" {h('q.hk', 50)} % 100 < 70,"
        f" q.line_code = 'ctpl' AND q.cause = 'injury' AND {h('q.hk', 51)} % 1000 < 20,"
        f" q.risk = 9 AND {h('q.hk', 52)} % 1000 < 10, {h('q.hk', 53)} % 1000 < 4,"
        f" {event}, CASE WHEN {h('q.hk', 54)} % 2 = 0 THEN ct.handler1 ELSE ct.handler2 END,"
        " dr.ts"
        f" FROM ({inner}) q {event_join or ''}"
        " JOIN demo_county ct ON ct.county = q.county"
        " JOIN demo_day dl ON dl.d = q.loss"
        f" JOIN demo_day dr ON dr.d = {report}"
        f" LEFT JOIN demo_day dc ON {closed} AND dc.d = {close_day}"
    )


def registry_matches(db: BulkLoader, kit: SqlKit, span: Span, as_of: int) -> None:
    """About 30% of our vehicles also appear in the regional registry extract."""
    lo, hi = span.vehicles
    h = kit.h
    db.execute(
        "INSERT INTO registry_vehicle (plate, vin, owner_name, owner_id_number, use, make_model,"
        " first_registration, matched_vehicle_id, imported_at)"
        " SELECT v.plate, v.vin, c.name, c.id_number, v.use, v.make_model,"
        f" v.first_registration, CASE WHEN {h('v.id', 56)} % 2 = 0 THEN v.id END, d.ts"
        " FROM vehicle v JOIN customer c ON c.id = v.owner_customer_id"
        f" JOIN demo_day d ON d.d = {as_of} - {h('v.id', 57)} % 90"
        f" WHERE v.id BETWEEN {lo} AND {hi} AND {h('v.id', 55)} % 100 < 30"
    )


SERVICE_KINDS = [
    ("visit", "上门拜访", 20),
    ("call", "电话回访", 25),
    ("call_centre", "95585来电咨询", 20),
    ("complaint", "投诉：理赔时效", 5),
    ("renewal_reminder", "续保提醒", 20),
    ("claim_care", "出险关怀回访", 7),
    ("disaster_warning", "台风预警提示", 3),
]


def service_contacts(db: BulkLoader, kit: SqlKit, span: Span, as_of: int) -> None:
    lo, hi = span.customers
    h = kit.h
    key = "(c.id * 4 + s.k)"
    u = f"({h(key, 61)} % 100)"
    kind = "CASE"
    subject = "CASE"
    edge = 0
    for code, text, share in SERVICE_KINDS:
        edge += share
        kind += f" WHEN {u} < {edge} THEN '{code}'"
        subject += f" WHEN {u} < {edge} THEN '{text}'"
    kind += " END"
    subject += " END"
    db.execute(
        "INSERT INTO service_contact (customer_id, kind, occurred_at, staff_id, subject, notes,"
        " complaint_status, resolved_at, satisfaction)"
        f" SELECT c.id, {kind}, d.ts, COALESCE(c.am_id, ct.handler1), {subject}, '',"
        f" CASE WHEN {u} BETWEEN 65 AND 69 THEN (CASE WHEN {h(key, 62)} % 4 = 0 THEN 'open'"
        " ELSE 'resolved' END) END,"
        f" CASE WHEN {u} BETWEEN 65 AND 69 AND {h(key, 62)} % 4 <> 0 THEN d.ts END,"
        f" 1 + {h(key, 63)} % 5"
        " FROM demo_customer c JOIN demo_slot s ON s.k < 3"
        " JOIN demo_unit un ON un.unit_id = c.unit_id"
        " JOIN demo_county ct ON ct.county = un.county"
        f" JOIN demo_day d ON d.d = {as_of} - {h(key, 64)} % 700"
        f" WHERE c.id BETWEEN {lo} AND {hi} AND c.status <> 1"
        f" AND {h(key, 60)} % 1000 < CASE s.k WHEN 0 THEN 150 WHEN 1 THEN 50 ELSE 20 END"
    )
