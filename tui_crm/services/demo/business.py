"""The set-based half of the build: customers, contacts and vehicles copied from the work
tables, then policies, receivables, payments, claims, registry rows and service contacts
derived in SQL, one chunk of ids at a time."""

from dataclasses import dataclass

from tui_crm.services.demo.loader import Writer
from tui_crm.services.demo.lookups import Digits, SqlKit


@dataclass
class Span:
    customers: tuple[int, int]
    vehicles: tuple[int, int]
    policies: tuple[int, int]


def _kind(alias: str = "c") -> str:
    return f"COALESCE({alias}.kind, 'individual')"


def customer_digits() -> dict[str, str]:
    """Small random numbers of a customer, cut from demo_customer.r (no overlap)."""
    r = Digits("c.r")
    return {
        name: r.take(n)
        for name, n in (("source", 2), ("walk_in", 2), ("consent", 100), ("opt_out", 300),
                        ("channel", 100))
    }  # fmt: skip


def copy_customers(db: Writer, kit: SqlKit, span: Span) -> None:
    lo, hi = span.customers
    d = customer_digits()
    db.execute(
        "INSERT INTO customer (id, kind, name, id_type, id_number, birth_date, gender, industry,"
        " ownership, unit_id, account_manager_id, group_id, parent_customer_id, intermediary_id,"
        " source, intention_declared, lapsed_to_competitor, id_number_rev, name_pinyin,"
        " name_initials, customer_class, flag_key, flag_blacklist, flag_renewal_due, version,"
        " created_at, updated_at)"
        f" SELECT c.id, {_kind()}, c.name,"
        " CASE WHEN c.kind IS NULL THEN 'resident_id' ELSE 'credit_code' END, c.id_number,"
        " c.birth, c.gender, c.industry, c.ownership, c.unit_id, c.am_id, c.group_id,"
        " c.parent_id, c.inter_id,"
        " CASE c.status WHEN 1 THEN (CASE WHEN c.kind IS NULL THEN 'registry'"
        f" WHEN {d['source']} = 0 THEN 'yellow_pages' ELSE 'enterprise_list' END)"
        f" WHEN 2 THEN (CASE WHEN {d['walk_in']} = 0 THEN 'walk_in' ELSE 'referral' END)"
        " ELSE 'core' END,"
        " c.status = 2, c.status = 3, c.id_rev, c.pinyin, c.initials,"
        " CASE c.status WHEN 1 THEN 'floating' WHEN 0 THEN 'standard' ELSE 'prospect' END,"
        " FALSE, FALSE, FALSE, 1, d.ts, d.ts"
        " FROM demo_customer c JOIN demo_day d ON d.d = c.created_d"
        f" WHERE c.id BETWEEN {lo} AND {hi}"
    )


def copy_contacts(db: Writer, kit: SqlKit, span: Span, as_of: int) -> None:
    """Mobile (primary for people, with marketing consent for most), address, landline
    (primary for companies) and e-mail, from the strings the chunk drew."""
    d = customer_digits()
    consent = f"{d['consent']} < 60"
    head = (
        "INSERT INTO contact (customer_id, kind, value, value_norm, value_rev, is_primary,"
        " consent_marketing_sms, consent_at, consent_source, opted_out_at, created_at)"
    )
    tail = (
        " FROM demo_customer c JOIN demo_day d ON d.d = c.created_d"
        f" WHERE c.id BETWEEN {span.customers[0]} AND {span.customers[1]}"
    )
    db.execute(
        f"{head} SELECT c.id, 'mobile', c.mobile, c.mobile, c.mobile_rev, TRUE, {consent},"
        f" CASE WHEN {consent} THEN d.ts END, CASE WHEN {consent} THEN 'counter' END,"
        f" CASE WHEN {d['consent']} < 3 THEN dx.ts END, d.ts{tail}"
        f" AND c.mobile IS NOT NULL".replace(
            " WHERE", f" JOIN demo_day dx ON dx.d = {as_of} - {d['opt_out']} WHERE", 1
        )
    )
    db.execute(
        f"{head} SELECT c.id, 'address', c.address, NULL, NULL, TRUE, FALSE, NULL, NULL, NULL,"
        f" d.ts{tail}"
    )
    db.execute(
        f"{head} SELECT c.id, 'landline', '0573-' || substr(c.landline, 5), c.landline,"
        f" c.landline_rev, c.kind IS NOT NULL, FALSE, NULL, NULL, NULL, d.ts{tail}"
        " AND c.landline IS NOT NULL"
    )
    db.execute(
        f"{head} SELECT c.id, 'email', c.email, NULL, NULL, FALSE, FALSE, NULL, NULL, NULL,"
        f" d.ts{tail} AND c.email IS NOT NULL"
    )


def vehicle_digits() -> dict[str, str]:
    r = Digits("v.r")
    return {name: r.take(n) for name, n in (("engine", 10**6), ("price", 11), ("channel", 100))}


def copy_vehicles(db: Writer, kit: SqlKit, span: Span) -> None:
    lo, hi = span.vehicles
    r = vehicle_digits()
    db.execute(
        "INSERT INTO vehicle (id, owner_customer_id, plate, plate_rev, vin, vin_rev, engine_no,"
        " make_model, brand, use, seats, tonnage, displacement, engine_cc, special_class, fuel,"
        " new_energy, energy_saving, first_registration, purchase_date, new_car_price,"
        " created_at)"
        " SELECT v.id, v.owner_id, v.plate, v.plate_rev, v.vin, v.vin_rev,"
        f" substr(v.vin, 4, 3) || {kit.lpad(r['engine'], 6)},"
        " m.make_model, m.brand, v.use, m.seats, m.tonnage,"
        " CASE WHEN m.litres > 0 THEN m.litres END, m.cc, m.special, m.fuel,"
        f" m.new_energy = 1, FALSE, dr.iso, dr.iso, m.price_fen * (95 + {r['price']}) / 100,"
        " dc.ts"
        " FROM demo_vehicle v JOIN demo_model m ON m.i = v.model"
        " JOIN demo_day dr ON dr.d = v.reg_d JOIN demo_day dc ON dc.d = v.start0"
        f" WHERE v.id BETWEEN {lo} AND {hi}"
    )


def _channel(u: str) -> str:
    return (
        f"CASE WHEN i.kind IS NOT NULL THEN i.kind WHEN {u} < 65 THEN 'direct'"
        f" WHEN {u} < 88 THEN 'phone' ELSE 'online' END"
    )


PTERM = (
    "INSERT INTO demo_pterm (pid, customer_id, vehicle_id, line_code, prefix, motor, k, s, e,"
    " premium, sum_insured, renewal_of, unit_id, am_id, inter_id, rate, channel, tender, kind,"
    " county, claim_pm, claim_scale, r, risk, claim_u)"
)


def claim_draw(kit: SqlKit, pid: str) -> str:
    """The policy term's draw in [0, 10000) that `claim_count` turns into a number of
    claims (stored once per term: the hash is the costly part)."""
    return f"({kit.h(pid, 27)} % 10000)"


def claim_first(per_mille: str, risk: str) -> str:
    """Chance of a first claim per 10,000: the line's rate scaled by the customer's risk
    (×0.6 for most, ×2.5 for the worst tenth)."""
    mult = (
        f"(CASE WHEN {risk} < 6 THEN 6 WHEN {risk} < 8 THEN 12 WHEN {risk} < 9 THEN 16 ELSE 25 END)"
    )
    return f"({per_mille} * {mult})"


def claim_count(u: str, per_mille: str, risk: str) -> str:
    """How many claims a policy term has (0–4) from its draw `u`: more ever rarer."""
    first = claim_first(per_mille, risk)
    return (
        f"(CASE WHEN {u} < {first} * 5 / 100 THEN 4 WHEN {u} < {first} * 12 / 100 THEN 3"
        f" WHEN {u} < {first} * 30 / 100 THEN 2 WHEN {u} < {first} THEN 1 ELSE 0 END)"
    )


def motor_terms(db: Writer, kit: SqlKit, span: Span) -> None:
    lo, hi = span.vehicles
    pid = "(v.pid0 + t.k * (1 + v.commercial) + l.bit)"
    ncd = "CASE t.k WHEN 0 THEN 100 WHEN 1 THEN 85 WHEN 2 THEN 72 WHEN 3 THEN 62 ELSE 55 END"
    age = "((t.s - v.reg_d) / 365)"
    noise = f"({kit.h(pid, 25)} % 21)"
    db.execute(
        f"{PTERM} SELECT {pid}, v.owner_id, v.id, l.code, l.prefix, 1, t.k, t.s, t.e,"
        " CASE WHEN l.bit = 0 THEN v.ctpl_fen * (10 - CASE WHEN t.k > 3 THEN 3 ELSE t.k END)"
        f" / 10 ELSE v.comm_fen * ({ncd}) * (90 + {noise}) / 10000 END,"
        " CASE WHEN l.bit = 0 THEN 20000000 ELSE m.price_fen * (100 - 6 * CASE WHEN"
        f" {age} > 12 THEN 12 ELSE {age} END) / 100 + 100000000 END,"
        " CASE WHEN t.k > 0 THEN v.pid0 + (t.k - 1) * (1 + v.commercial) + l.bit END,"
        " c.unit_id, c.am_id, c.inter_id,"
        " CASE WHEN c.inter_id IS NULL THEN 0 WHEN l.bit = 0 THEN 40000"
        f" ELSE i.commission_rate END, {_channel(vehicle_digits()['channel'])},"
        " CASE WHEN c.kind = 'government' AND c.tender = 1 THEN 1 ELSE 0 END,"
        f" {_kind()}, u.county, l.claim_pm, 100, {kit.r62(pid, 23)}, c.risk,"
        f" {claim_draw(kit, pid)}"
        " FROM demo_vehicle v JOIN demo_customer c ON c.id = v.owner_id"
        " JOIN demo_unit u ON u.unit_id = c.unit_id"
        " JOIN demo_term t ON t.start0 = v.start0 AND t.k < v.n_terms"
        " JOIN demo_line l ON l.bit = 0 OR v.commercial = 1"
        " JOIN demo_model m ON m.i = v.model"
        " LEFT JOIN intermediary i ON i.id = c.inter_id"
        f" WHERE v.id BETWEEN {lo} AND {hi}"
    )


def non_motor_terms(db: Writer, kit: SqlKit, span: Span) -> None:
    lo, hi = span.customers
    pid = "(c.nm_pid0 + t.k * r.cnt + r.rnk)"
    noise = f"({kit.h(pid, 26)} % 41)"
    db.execute(
        f"{PTERM} SELECT {pid}, c.id, NULL, l.code, l.prefix, 0, t.k, t.s, t.e,"
        f" CASE WHEN c.kind IS NULL THEN l.person_fen * (80 + {noise}) / 100"
        f" ELSE c.size_fen * l.company_pct / 100 * (85 + {noise} % 31) / 100"
        " * (100 + 4 * t.k) / 100 END, NULL,"
        " CASE WHEN t.k > 0 THEN c.nm_pid0 + (t.k - 1) * r.cnt + r.rnk END,"
        " c.unit_id, c.am_id, c.inter_id,"
        " CASE WHEN c.inter_id IS NULL THEN 0 ELSE i.commission_rate END,"
        f" {_channel(customer_digits()['channel'])},"
        " CASE WHEN c.tender = 1 AND l.code IN ('property', 'liability', 'engineering')"
        f" THEN 1 ELSE 0 END, {_kind()}, u.county, l.claim_pm, l.claim_scale,"
        f" {kit.r62(pid, 24)}, c.risk, {claim_draw(kit, pid)}"
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


def policy_digits() -> dict[str, str]:
    """Small random numbers of a policy term, cut from demo_pterm.r (no overlap)."""
    r = Digits("p.r")
    return {
        name: r.take(n)
        for name, n in (("cancel", 1000), ("share", 4), ("issue", 7), ("cancel_day", 150),
                        ("paid", 1000), ("pay_day", 25), ("early", 5))
    }  # fmt: skip


def policies(db: Writer, kit: SqlKit, as_of: int) -> None:
    r = policy_digits()
    big = "p.premium >= 15000000"
    shared = "p.tender = 1 AND p.premium >= 30000000"
    cancel = f"({r['cancel']} < 6 AND p.s + 170 < {as_of})"
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
        f" CASE WHEN {big} THEN 300000 + {r['share']} * 100000 END,"
        f" CASE WHEN {shared} THEN 600000 END, CASE WHEN {shared} THEN TRUE END, di.ts"
        " FROM demo_pterm p JOIN demo_day ds ON ds.d = p.s JOIN demo_day de ON de.d = p.e"
        f" JOIN demo_day di ON di.d = p.s - 1 - {r['issue']}"
        " JOIN demo_unit u ON u.unit_id = p.unit_id"
        f" LEFT JOIN demo_day dx ON {cancel} AND dx.d = p.s + 20 + {r['cancel_day']}"
    )


def receivables(db: Writer, kit: SqlKit, as_of: int, first_pid: int, last_pid: int) -> None:
    r = policy_digits()
    u = r["paid"]
    pay = f"(p.s + 5 + {r['pay_day']})"
    early = r["early"]
    db.execute(
        "INSERT INTO receivable (id, policy_id, customer_id, due_date, amount, paid_amount,"
        " settled_on) SELECT q.pid, q.pid, q.customer_id, dd.iso, q.premium, q.paid, dx.iso"
        " FROM (SELECT p.pid, p.customer_id, p.premium, p.s + 15 AS due,"
        " CASE WHEN p.kind = 'individual' THEN p.premium"
        f" WHEN p.s + 15 > {as_of} THEN 0"
        f" WHEN {u} < 25 AND p.s + 15 < {as_of} - 90 THEN 0"
        f" WHEN {u} < 60 THEN p.premium / 2 WHEN {pay} > {as_of} THEN 0"
        " ELSE p.premium END AS paid,"
        f" CASE WHEN p.kind = 'individual' THEN p.s - {early}"
        f" WHEN p.s + 15 > {as_of} OR {u} < 60 OR {pay} > {as_of} THEN NULL"
        f" ELSE {pay} END AS settled FROM demo_pterm p) q"
        " JOIN demo_day dd ON dd.d = q.due LEFT JOIN demo_day dx ON dx.d = q.settled"
    )
    db.execute(
        "INSERT INTO payment (id, receivable_id, paid_on, amount, method)"
        " SELECT r.id, r.id, COALESCE(r.settled_on, r.due_date), r.paid_amount,"
        " CASE r.id % 4 WHEN 0 THEN 'transfer' WHEN 1 THEN 'pos'"
        " WHEN 2 THEN 'card' ELSE 'cash' END FROM receivable r"
        f" WHERE r.id BETWEEN {first_pid} AND {last_pid} AND r.paid_amount > 0"
    )
