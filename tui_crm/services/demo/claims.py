"""Claims derived from the chunk's policy terms (a customer-level risk drives frequency; sizes
follow a long tail), typhoon surges, registry rows for our vehicles and service contacts."""

from tui_crm.services.demo.business import Span, claim_count, claim_first
from tui_crm.services.demo.loader import Writer
from tui_crm.services.demo.lookups import Digits, SqlKit

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


def _cause(u: str) -> str:
    return (
        "CASE WHEN x.line_code = 'ctpl' THEN"
        f" (CASE WHEN {u} < 35 THEN 'injury' ELSE 'collision' END)"
        " WHEN x.line_code = 'motor_commercial' THEN"
        f" (CASE WHEN {u} < 62 THEN 'collision' WHEN {u} < 74 THEN 'scratch'"
        f" WHEN {u} < 82 THEN 'glass' WHEN {u} < 86 THEN 'flood' WHEN {u} < 87 THEN 'theft'"
        f" WHEN {u} < 88 THEN 'fire' WHEN {u} < 96 THEN 'injury' ELSE 'other' END)"
        f" WHEN x.line_code = 'property' THEN (CASE WHEN {u} < 40 THEN 'flood'"
        f" WHEN {u} < 70 THEN 'fire' ELSE 'other' END)"
        " WHEN x.line_code = 'cargo' THEN 'cargo_damage'"
        " WHEN x.line_code = 'liability' THEN 'liability'"
        " WHEN x.line_code = 'accident' THEN 'injury'"
        " WHEN x.line_code = 'health' THEN 'illness'"
        " WHEN x.line_code = 'home' THEN 'water_damage'"
        " ELSE 'engineering' END"
    )


def _amount(bucket: str, value: str) -> str:
    """Fen: 75% small (500–5,000 yuan), 20% medium, 4.5% large, 0.5% very large."""
    return (
        f"(CASE WHEN {bucket} < 750 THEN 50000 + {value} * 45 / 100"
        f" WHEN {bucket} < 950 THEN 500000 + {value} * 150 / 100"
        f" WHEN {bucket} < 995 THEN 2000000 + {value} * 600 / 100"
        f" ELSE 8000000 + {value} * 2200 / 100 END) * x.claim_scale / 100"
    )


def claims(db: Writer, kit: SqlKit, as_of: int) -> None:
    """Claims of the chunk's policy terms: how many from the policy's digits and the
    customer's risk, then each claim's facts from its own random digits."""
    key = "(p.pid * 4 + s.k)"
    count = claim_count("p.claim_u", "p.claim_pm", "p.risk")
    pick = (
        f" SELECT p.pid, p.customer_id, p.county, p.line_code, p.claim_scale, p.risk, p.s, p.e,"
        f" s.k, {kit.r62(key, 41)} AS a, {kit.r62(key, 43)} AS b, NULL AS event_id"
        # the terms in the outer loop: a term's first test rules out most of them
        " FROM demo_pterm p CROSS JOIN demo_slot s"
        f" WHERE p.claim_u < {claim_first('p.claim_pm', 'p.risk')} AND s.k < {count}" + kit.fence()
    )
    _insert_claims(db, kit, pick, as_of, surge=False)
    # Typhoon surges: vehicles and premises flooded in a catastrophe
    surge = (
        " SELECT p.pid, p.customer_id, p.county, p.line_code, p.claim_scale, p.risk, ev.s,"
        f" ev.e, 3 AS k, {kit.r62('p.pid * 16 + ev.id', 45)} AS a,"
        f" {kit.r62('p.pid * 16 + ev.id', 46)} AS b, ev.id AS event_id"
        " FROM demo_pterm p JOIN demo_event ev ON ev.s BETWEEN p.s AND p.e"
        f" AND ev.e <= {as_of}"
        " WHERE p.line_code IN ('motor_commercial', 'property')"
        f" AND {kit.h('p.pid * 16 + ev.id', 47)} % 1000 < 25{kit.fence()}"
    )
    _insert_claims(db, kit, surge, as_of, surge=True)


def _insert_claims(db: Writer, kit: SqlKit, pick: str, as_of: int, *, surge: bool) -> None:
    a, b = Digits("x.a"), Digits("q.b")
    loss = f"(x.s + {a.take(366)} % (x.e - x.s + 1))"
    delay = a.take(4)
    cause = _cause(a.take(100))
    amount = _amount(a.take(1000), a.take(1_000_000))
    middle = (
        f" SELECT (SELECT COALESCE(MAX(id), {kit.claims_before}) FROM claim)"
        " + ROW_NUMBER() OVER (ORDER BY x.pid, x.k) AS id, x.pid, x.customer_id, x.county,"
        f" x.line_code, x.risk, x.b, x.event_id, {loss} AS loss,"
        f" {loss} + {delay} AS report, {cause} AS cause, {amount} AS amount"
        f" FROM ({pick}) x WHERE {loss} <= {as_of}"
    )
    report = f"(CASE WHEN q.report > {as_of} THEN {as_of} ELSE q.report END)"
    u = b.take(100)
    closed = f"({report} < {as_of} - 60)"
    close_day = (
        f"(CASE WHEN {report} + 5 + {u} % 50 > {as_of} THEN {as_of}"
        f" ELSE {report} + 5 + {u} % 50 END)"
    )
    event = "q.event_id" if surge else "ev.id"
    event_join = (
        ""
        if surge
        else " LEFT JOIN demo_event ev ON q.loss BETWEEN ev.s AND ev.e"
        " AND q.cause IN ('flood', 'collision', 'other')"
    )
    final_cause = f"CASE WHEN {event} IS NOT NULL THEN 'flood' ELSE q.cause END"
    description = (
        "CASE "
        + " ".join(f"WHEN {final_cause} = '{k}' THEN '{v}'" for k, v in DESCRIPTIONS.items())
        + " END"
    )
    db.execute(
        f"{CLAIM_COLUMNS} SELECT q.id,"
        f" 'RDAA' || {kit.text('dr.y')} || ct.code || {kit.lpad('q.id', 8)},"
        f" q.pid, q.customer_id, dl.iso, dr.iso, {final_cause}, {description},"
        f" CASE WHEN {closed} AND {u} < 92 THEN q.amount"
        f" WHEN NOT {closed} AND {u} % 3 = 0 THEN q.amount * 3 / 10 ELSE 0 END,"
        f" CASE WHEN {closed} THEN 0 WHEN {u} % 3 = 0 THEN q.amount - q.amount * 3 / 10"
        " ELSE q.amount END,"
        f" CASE WHEN NOT {closed} THEN 'open' WHEN {u} < 92 THEN 'closed'"
        f" WHEN {u} < 97 THEN 'declined' ELSE 'withdrawn' END, dc.iso,"
        f" {b.take(100)} < 70,"
        f" q.line_code = 'ctpl' AND q.cause = 'injury' AND {b.take(1000)} < 20,"
        f" q.risk = 9 AND {b.take(1000)} < 10, {b.take(1000)} < 4,"
        f" {event}, CASE WHEN {b.take(2)} = 0 THEN ct.handler1 ELSE ct.handler2 END, dr.ts"
        f" FROM ({middle}) q{event_join}"
        " JOIN demo_county ct ON ct.county = q.county"
        " JOIN demo_day dl ON dl.d = q.loss"
        f" JOIN demo_day dr ON dr.d = {report}"
        f" LEFT JOIN demo_day dc ON {closed} AND dc.d = {close_day}"
    )


def registry_matches(db: Writer, kit: SqlKit, span: Span, as_of: int) -> None:
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


def service_contacts(db: Writer, kit: SqlKit, span: Span, as_of: int) -> None:
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
