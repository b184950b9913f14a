"""The set-based half of the build: customers, contacts and vehicles copied from the work
tables, then policies, receivables, payments, claims, registry rows and service contacts
derived in SQL, one chunk of ids at a time."""

from dataclasses import dataclass

from tui_crm.services.demo.loader import BulkLoader
from tui_crm.services.demo.lookups import SqlKit


@dataclass
class Span:
    customers: tuple[int, int]
    vehicles: tuple[int, int]
    policies: tuple[int, int]


def _kind(alias: str = "c") -> str:
    return f"COALESCE({alias}.kind, 'individual')"


def copy_customers(db: BulkLoader, kit: SqlKit, span: Span) -> None:
    lo, hi = span.customers
    h = kit.h
    db.execute(
        "INSERT INTO customer (id, kind, name, id_type, id_number, birth_date, gender, industry,"
        " ownership, unit_id, account_manager_id, group_id, parent_customer_id, intermediary_id,"
        " source, intention_declared, lapsed_to_competitor, id_number_rev, name_pinyin,"
        " name_initials, customer_class, flag_key, flag_blacklist, flag_renewal_due, version,"
        " created_at, updated_at)"
        f" SELECT c.id, {_kind()}, c.name,"
        f" CASE WHEN c.kind IS NULL THEN 'resident_id' ELSE 'credit_code' END, c.id_number,"
        " c.birth, c.gender, c.industry, c.ownership, c.unit_id, c.am_id, c.group_id,"
        " c.parent_id, c.inter_id,"
        " CASE c.status WHEN 1 THEN (CASE WHEN c.kind IS NULL THEN 'registry'"
        f" WHEN {h('c.id', 1)} % 2 = 0 THEN 'yellow_pages' ELSE 'enterprise_list' END)"
        f" WHEN 2 THEN (CASE WHEN {h('c.id', 2)} % 2 = 0 THEN 'walk_in' ELSE 'referral' END)"
        " ELSE 'core' END,"
        f" c.status = 2, c.status = 3, {kit.reverse('c.id_number', 18)}, c.pinyin, c.initials,"
        " CASE c.status WHEN 1 THEN 'floating' WHEN 0 THEN 'standard' ELSE 'prospect' END,"
        " FALSE, FALSE, FALSE, 1, d.ts, d.ts"
        " FROM demo_customer c JOIN demo_day d ON d.d = c.created_d"
        f" WHERE c.id BETWEEN {lo} AND {hi}"
    )


def copy_contacts(db: BulkLoader, kit: SqlKit, span: Span, as_of: int) -> None:
    lo, hi = span.customers
    h = kit.h
    columns = (
        "INSERT INTO contact (customer_id, kind, value, value_norm, value_rev, is_primary,"
        " consent_marketing_sms, consent_at, consent_source, opted_out_at, created_at)"
    )
    where = f"c.id BETWEEN {lo} AND {hi}"
    db.execute(
        f"{columns} SELECT q.id, 'mobile', q.phone, q.phone, {kit.reverse('q.phone', 11)}, TRUE,"
        " q.u < 60, CASE WHEN q.u < 60 THEN q.ts END, CASE WHEN q.u < 60 THEN 'counter' END,"
        " CASE WHEN q.u < 3 THEN q.ots END, q.ts FROM ("
        f" SELECT c.id, pf.p || {kit.lpad(h('c.id', 3) + ' % 100000000', 8)} AS phone,"
        f" {h('c.id', 4)} % 100 AS u, d.ts, dx.ts AS ots"
        " FROM demo_customer c"
        f" JOIN demo_prefix pf ON pf.i = {h('c.id', 5)} % 32"
        " JOIN demo_day d ON d.d = c.created_d"
        f" JOIN demo_day dx ON dx.d = {as_of} - {h('c.id', 6)} % 300"
        f" WHERE {where} AND c.kind IS NULL AND {h('c.id', 7)} % 100 >= 3) q"
    )
    house = (
        f" || cy.name || ({h('c.id', 12)} % 20 + 1) || '幢'"
        f" || ({h('c.id', 13)} % 18 + 1) || '0' || ({h('c.id', 14)} % 4 + 1) || '室'"
    )
    db.execute(
        f"{columns} SELECT c.id, 'address', '浙江省嘉兴市' || ct.name || tw.name || rd.name"
        f" || ({h('c.id', 10)} % 388 + 1) || '号'"
        f" || CASE WHEN c.kind IS NULL THEN ''{house} ELSE '' END,"
        " NULL, NULL, TRUE, FALSE, NULL, NULL, NULL, d.ts"
        " FROM demo_customer c JOIN demo_unit u ON u.unit_id = c.unit_id"
        " JOIN demo_county ct ON ct.county = u.county"
        f" JOIN demo_town tw ON tw.county = u.county AND tw.i = {h('c.id', 8)} % ct.towns"
        f" JOIN demo_road rd ON rd.i = {h('c.id', 9)} % 30"
        f" JOIN demo_estate cy ON cy.i = {h('c.id', 11)} % 16"
        " JOIN demo_day d ON d.d = c.created_d"
        f" WHERE {where}"
    )
    db.execute(
        f"{columns} SELECT q.id, 'landline', '0573-' || q.n, '0573' || q.n,"
        f" {kit.reverse(chr(39) + '0573' + chr(39) + ' || q.n', 12)}, q.company, FALSE,"
        " NULL, NULL, NULL, q.ts FROM ("
        f" SELECT c.id, '8' || {kit.lpad(h('c.id', 15) + ' % 10000000', 7)} AS n,"
        " c.kind IS NOT NULL AS company, d.ts FROM demo_customer c"
        " JOIN demo_day d ON d.d = c.created_d"
        f" WHERE {where} AND (c.kind IS NOT NULL OR {h('c.id', 16)} % 100 < 12)) q"
    )
    db.execute(
        f"{columns} SELECT c.id, 'email', c.initials || {kit.lpad(h('c.id', 17) + ' % 1000', 3)}"
        " || '@163.com', NULL, NULL, FALSE, FALSE, NULL, NULL, NULL, d.ts"
        " FROM demo_customer c JOIN demo_day d ON d.d = c.created_d"
        f" WHERE {where} AND c.kind IS NOT NULL AND {h('c.id', 18)} % 100 < 40"
    )


def copy_vehicles(db: BulkLoader, kit: SqlKit, span: Span) -> None:
    lo, hi = span.vehicles
    h = kit.h
    db.execute(
        "INSERT INTO vehicle (id, owner_customer_id, plate, plate_rev, vin, vin_rev, engine_no,"
        " make_model, brand, use, seats, tonnage, displacement, engine_cc, special_class, fuel,"
        " new_energy, energy_saving, first_registration, purchase_date, new_car_price,"
        " created_at)"
        " SELECT v.id, v.owner_id, v.plate, CASE WHEN length(v.plate) = 8 THEN"
        f" {kit.reverse('v.plate', 8)} ELSE {kit.reverse('v.plate', 7)} END,"
        f" v.vin, {kit.reverse('v.vin', 17)},"
        f" substr(v.vin, 4, 3) || {kit.lpad(h('v.id', 20) + ' % 1000000', 6)},"
        " m.make_model, m.brand, v.use, m.seats, m.tonnage,"
        " CASE WHEN m.litres > 0 THEN m.litres END, m.cc, m.special, m.fuel,"
        f" m.new_energy = 1, FALSE, dr.iso, dr.iso, m.price_fen * (95 + {h('v.id', 21)} % 11)"
        " / 100, dc.ts"
        " FROM demo_vehicle v JOIN demo_model m ON m.i = v.model"
        " JOIN demo_day dr ON dr.d = v.reg_d JOIN demo_day dc ON dc.d = v.start0"
        f" WHERE v.id BETWEEN {lo} AND {hi}"
    )


def _channel(kit: SqlKit, salt_expr: str) -> str:
    u = f"{kit.h(salt_expr, 22)} % 100"
    return (
        f"CASE WHEN i.kind IS NOT NULL THEN i.kind WHEN {u} < 65 THEN 'direct'"
        f" WHEN {u} < 88 THEN 'phone' ELSE 'online' END"
    )


PTERM = (
    "INSERT INTO demo_pterm (pid, customer_id, vehicle_id, line_code, prefix, motor, k, s, e,"
    " premium, sum_insured, renewal_of, unit_id, am_id, inter_id, rate, channel, tender, kind,"
    " county, claim_pm, claim_scale)"
)


def motor_terms(db: BulkLoader, kit: SqlKit, span: Span) -> None:
    lo, hi = span.vehicles
    pid = "(v.pid0 + t.k * (1 + v.commercial) + l.bit)"
    ncd = "CASE t.k WHEN 0 THEN 100 WHEN 1 THEN 85 WHEN 2 THEN 72 WHEN 3 THEN 62 ELSE 55 END"
    age = "((t.s - v.reg_d) / 365)"
    db.execute(
        f"{PTERM} SELECT {pid}, v.owner_id, v.id, l.code, l.prefix, 1, t.k, t.s, t.e,"
        " CASE WHEN l.bit = 0 THEN v.ctpl_fen * (10 - CASE WHEN t.k > 3 THEN 3 ELSE t.k END)"
        f" / 10 ELSE v.comm_fen * ({ncd}) * (90 + {kit.h(pid, 23)} % 21) / 10000 END,"
        " CASE WHEN l.bit = 0 THEN 20000000 ELSE m.price_fen * (100 - 6 * CASE WHEN"
        f" {age} > 12 THEN 12 ELSE {age} END) / 100 + 100000000 END,"
        " CASE WHEN t.k > 0 THEN v.pid0 + (t.k - 1) * (1 + v.commercial) + l.bit END,"
        " c.unit_id, c.am_id, c.inter_id,"
        " CASE WHEN c.inter_id IS NULL THEN 0 WHEN l.bit = 0 THEN 40000"
        f" ELSE i.commission_rate END, {_channel(kit, 'v.id')},"
        " CASE WHEN c.kind = 'government' AND c.tender = 1 THEN 1 ELSE 0 END,"
        f" {_kind()}, u.county, l.claim_pm, 100"
        " FROM demo_vehicle v JOIN demo_customer c ON c.id = v.owner_id"
        " JOIN demo_unit u ON u.unit_id = c.unit_id"
        " JOIN demo_term t ON t.start0 = v.start0 AND t.k < v.n_terms"
        " JOIN demo_line l ON l.bit = 0 OR v.commercial = 1"
        " JOIN demo_model m ON m.i = v.model"
        " LEFT JOIN intermediary i ON i.id = c.inter_id"
        f" WHERE v.id BETWEEN {lo} AND {hi}"
    )


def non_motor_terms(db: BulkLoader, kit: SqlKit, span: Span) -> None:
    lo, hi = span.customers
    pid = "(c.nm_pid0 + t.k * r.cnt + r.rnk)"
    noise = f"{kit.h(pid, 24)}"
    db.execute(
        f"{PTERM} SELECT {pid}, c.id, NULL, l.code, l.prefix, 0, t.k, t.s, t.e,"
        f" CASE WHEN c.kind IS NULL THEN l.person_fen * (80 + {noise} % 41) / 100"
        f" ELSE c.size_fen * l.company_pct / 100 * (85 + {noise} % 31) / 100"
        " * (100 + 4 * t.k) / 100 END, NULL,"
        " CASE WHEN t.k > 0 THEN c.nm_pid0 + (t.k - 1) * r.cnt + r.rnk END,"
        " c.unit_id, c.am_id, c.inter_id,"
        f" CASE WHEN c.inter_id IS NULL THEN 0 ELSE i.commission_rate END, {_channel(kit, 'c.id')},"
        " CASE WHEN c.tender = 1 AND l.code IN ('property', 'liability', 'engineering')"
        f" THEN 1 ELSE 0 END, {_kind()}, u.county, l.claim_pm, l.claim_scale"
        " FROM demo_customer c JOIN demo_unit u ON u.unit_id = c.unit_id"
        " JOIN demo_term t ON t.start0 = c.nm_start AND t.k < c.nm_terms"
        " JOIN demo_rank r ON r.mask = c.nm_lines JOIN demo_nmline l ON l.bit = r.bit"
        " LEFT JOIN intermediary i ON i.id = c.inter_id"
        f" WHERE c.id BETWEEN {lo} AND {hi} AND c.nm_lines > 0"
    )


SUM_FACTOR = (
    "CASE p.line_code WHEN 'property' THEN 800 WHEN 'home' THEN 600 WHEN 'cargo' THEN 500"
    " WHEN 'liability' THEN 300 WHEN 'accident' THEN 250 WHEN 'engineering' THEN 400"
    " ELSE 50 END"
)


def policies(db: BulkLoader, kit: SqlKit, as_of: int) -> None:
    h = kit.h
    big = "p.premium >= 15000000"
    shared = "p.tender = 1 AND p.premium >= 30000000"
    cancel = f"({h('p.pid', 25)} % 1000 < 6 AND p.s + 170 < {as_of})"
    db.execute(
        "INSERT INTO policy (id, policy_no, line_code, customer_id, insured_id, vehicle_id,"
        " unit_id, account_manager_id, intermediary_id, channel, is_tender, start_date,"
        " end_date, sum_insured, premium, commission, status, cancelled_on, renewal_of_id,"
        " surplus_reinsurance, facultative_reinsurance, coinsurance, reinsurance_share,"
        " coinsurance_share, coinsurance_lead, issued_at)"
        f" SELECT p.pid, p.prefix || {kit.text('ds.y')} || u.code || {kit.lpad('p.pid', 8)},"
        " p.line_code, p.customer_id, p.customer_id, p.vehicle_id, p.unit_id, p.am_id,"
        " p.inter_id, p.channel, p.tender = 1, ds.iso, de.iso,"
        f" COALESCE(p.sum_insured, p.premium * {SUM_FACTOR}), p.premium,"
        " p.premium * p.rate / 1000000,"
        f" CASE WHEN {cancel} THEN 'cancelled' ELSE 'active' END, dx.iso, p.renewal_of,"
        f" {big}, p.premium >= 40000000, {shared},"
        f" CASE WHEN {big} THEN 300000 + {h('p.pid', 26)} % 4 * 100000 END,"
        f" CASE WHEN {shared} THEN 600000 END, CASE WHEN {shared} THEN TRUE END, di.ts"
        " FROM demo_pterm p JOIN demo_day ds ON ds.d = p.s JOIN demo_day de ON de.d = p.e"
        f" JOIN demo_day di ON di.d = p.s - 1 - {h('p.pid', 27)} % 7"
        " JOIN demo_unit u ON u.unit_id = p.unit_id"
        f" LEFT JOIN demo_day dx ON {cancel} AND dx.d = p.s + 20 + {h('p.pid', 28)} % 150"
    )


def receivables(db: BulkLoader, kit: SqlKit, as_of: int, first_pid: int, last_pid: int) -> None:
    u = f"({kit.h('p.pid', 30)} % 1000)"
    pay = f"(p.s + 5 + {kit.h('p.pid', 31)} % 25)"
    db.execute(
        "INSERT INTO receivable (id, policy_id, customer_id, due_date, amount, paid_amount,"
        " settled_on) SELECT q.pid, q.pid, q.customer_id, dd.iso, q.premium, q.paid, dx.iso"
        " FROM (SELECT p.pid, p.customer_id, p.premium, p.s + 15 AS due,"
        " CASE WHEN p.kind = 'individual' THEN p.premium"
        f" WHEN p.s + 15 > {as_of} THEN 0"
        f" WHEN {u} < 25 AND p.s + 15 < {as_of} - 90 THEN 0"
        f" WHEN {u} < 60 THEN p.premium / 2 WHEN {pay} > {as_of} THEN 0"
        " ELSE p.premium END AS paid,"
        f" CASE WHEN p.kind = 'individual' THEN p.s - {kit.h('p.pid', 32)} % 5"
        f" WHEN p.s + 15 > {as_of} OR {u} < 60 OR {pay} > {as_of} THEN NULL"
        f" ELSE {pay} END AS settled FROM demo_pterm p) q"
        " JOIN demo_day dd ON dd.d = q.due LEFT JOIN demo_day dx ON dx.d = q.settled"
    )
    db.execute(
        "INSERT INTO payment (id, receivable_id, paid_on, amount, method)"
        " SELECT r.id, r.id, COALESCE(r.settled_on, r.due_date), r.paid_amount,"
        f" CASE {kit.h('r.id', 33)} % 4 WHEN 0 THEN 'transfer' WHEN 1 THEN 'pos'"
        " WHEN 2 THEN 'card' ELSE 'cash' END FROM receivable r"
        f" WHERE r.id BETWEEN {first_pid} AND {last_pid} AND r.paid_amount > 0"
    )
