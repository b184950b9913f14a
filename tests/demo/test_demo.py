"""The demo book: deterministic, consistent, valid identifiers, the demo users of docs/cli.md,
refusal of a non-empty database, and customers that clearly meet each class rule."""

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from tests.cli.runner import run_cli
from tui_crm.services.container import make_services
from tui_crm.services.core.errors import Conflict
from tui_crm.services.demo import build_demo
from tui_crm.services.demo.org import DEMO_USERS, KEY_AGENCY
from tui_crm.services.validation.identifiers import validate
from tui_crm.storage.db import Database

AS_OF = date(2026, 11, 25)
N = 300


def fresh_sqlite(path: Path) -> Database:
    return Database.from_url(f"sqlite:///{path}")


def rows(database: Database, sql: str, **params: object) -> list[tuple]:
    with database.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params).all()]


def fingerprint(database: Database) -> str:
    digest = hashlib.sha256()
    for sql in (
        "SELECT id, name, id_number, name_pinyin, unit_id FROM customer ORDER BY id",
        "SELECT id, plate, vin, owner_customer_id FROM vehicle ORDER BY id",
        "SELECT id, policy_no, premium, start_date, renewal_of_id FROM policy ORDER BY id",
        "SELECT id, claim_no, paid, outstanding, report_date FROM claim ORDER BY id",
        "SELECT customer_id, kind, value FROM contact ORDER BY customer_id, kind, value",
        "SELECT username, role, unit_id FROM staff_user ORDER BY username",
    ):
        for row in rows(database, sql):
            digest.update(repr(tuple(str(v) for v in row)).encode())
    return digest.hexdigest()


@pytest.fixture
def book(database: Database) -> Database:
    """A 300-customer book built into the suite's database (SQLite and PostgreSQL)."""
    build_demo(database, N, seed=7, as_of=AS_OF, replace=True)
    return database


def test_same_seed_same_book_different_seed_different(tmp_path: Path) -> None:
    prints = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        db = fresh_sqlite(tmp_path / f"{name}.db")
        result = build_demo(db, N, seed=seed, as_of=AS_OF)
        assert result.rows["customer"] == N + result.rows["examples"]
        prints.append(fingerprint(db))
        db.dispose()
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_pipelined_chunks_build_the_same_book(tmp_path: Path, monkeypatch) -> None:
    """Chunks drawn by the producer process (and handed over as files) equal inline ones."""
    piped = fresh_sqlite(tmp_path / "piped.db")
    build_demo(piped, N, seed=5, as_of=AS_OF, chunk=120)
    monkeypatch.setattr("multiprocessing.get_all_start_methods", lambda: ["spawn"])
    inline = fresh_sqlite(tmp_path / "inline.db")
    build_demo(inline, N, seed=5, as_of=AS_OF, chunk=120)
    assert fingerprint(piped) == fingerprint(inline)
    piped.dispose()
    inline.dispose()


def test_both_dialects_build_the_same_book(book: Database, tmp_path: Path) -> None:
    if book.is_sqlite:
        pytest.skip("compares PostgreSQL with SQLite")
    reference = fresh_sqlite(tmp_path / "ref.db")
    build_demo(reference, N, seed=7, as_of=AS_OF)
    assert fingerprint(book) == fingerprint(reference)
    reference.dispose()


def test_every_foreign_key_resolves(book: Database) -> None:
    checked = 0
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            parent = fk.column.table.name
            missing = rows(
                book,
                f"SELECT count(*) FROM {table.name} t WHERE t.{fk.parent.name} IS NOT NULL"
                f" AND NOT EXISTS (SELECT 1 FROM {parent} p"
                f" WHERE p.{fk.column.name} = t.{fk.parent.name})",
            )[0][0]
            assert missing == 0, f"{table.name}.{fk.parent.name} → {parent}"
            checked += 1
    assert checked > 40


def test_book_shape(book: Database) -> None:
    counts = {
        t: rows(book, f"SELECT count(*) FROM {t}")[0][0]
        for t in ("customer", "vehicle", "policy", "claim", "receivable", "contact")
    }
    assert counts["policy"] >= 2 * N and counts["claim"] >= N // 10
    assert counts["receivable"] == counts["policy"]
    # every policy belongs to a unit of the Jiaxing tree; renewals follow their predecessor
    assert (
        rows(
            book,
            "SELECT count(*) FROM policy p JOIN org_unit u ON u.id = p.unit_id"
            " WHERE u.path LIKE '3304/%'",
        )[0][0]
        == counts["policy"]
    )
    pairs = rows(
        book,
        "SELECT p.start_date, r.end_date, p.line_code, r.line_code, p.customer_id,"
        " r.customer_id FROM policy p JOIN policy r ON r.id = p.renewal_of_id",
    )
    assert pairs
    for start, end, line, previous_line, customer, previous_customer in pairs:
        start, end = _day(start), _day(end)
        assert start == end + timedelta(days=1) and line == previous_line
        assert customer == previous_customer
    kinds = dict(rows(book, "SELECT kind, count(*) FROM customer GROUP BY kind"))
    assert kinds["individual"] > kinds["corporate"] > 0
    classes = dict(rows(book, "SELECT customer_class, count(*) FROM customer GROUP BY 1"))
    assert {"floating", "prospect", "standard"} <= set(classes)
    assert rows(book, "SELECT count(*) FROM policy WHERE policy_no LIKE 'PDAA2026330%'")[0][0]
    assert rows(book, "SELECT count(*) FROM vehicle WHERE new_energy = :t", t=True)[0][0]
    assert rows(book, "SELECT count(*) FROM registry_vehicle")[0][0]


def test_book_has_the_variety_screens_need(book: Database) -> None:
    def count(sql: str, **params: object) -> int:
        return int(rows(book, sql, **params)[0][0])

    t = True
    assert count(  # overdue receivables (> 90 days), and most receivables settled
        "SELECT count(*) FROM receivable WHERE settled_on IS NULL AND paid_amount < amount"
        " AND due_date < :cut", cut=AS_OF - timedelta(days=90)) > 0  # fmt: skip
    assert (
        count("SELECT count(*) FROM receivable WHERE settled_on IS NOT NULL")
        > count("SELECT count(*) FROM receivable") * 0.8
    )
    assert count(  # renewals due in the next 60 days
        "SELECT count(*) FROM policy WHERE end_date BETWEEN :today AND :soon",
        today=AS_OF, soon=AS_OF + timedelta(days=60)) > 0  # fmt: skip
    assert count("SELECT count(*) FROM customer WHERE intention_declared = :t", t=t) > 0
    assert count("SELECT count(*) FROM customer WHERE lapsed_to_competitor = :t", t=t) > 0
    assert (
        count(  # floating customers hold no policy
            "SELECT count(*) FROM customer c WHERE c.customer_class = 'floating'"
            " AND NOT EXISTS (SELECT 1 FROM policy p WHERE p.customer_id = c.id)"
        )
        == count("SELECT count(*) FROM customer WHERE customer_class = 'floating'")
        > 0
    )
    assert count("SELECT count(*) FROM claim WHERE catastrophe_event_id IS NOT NULL") > 0
    assert count("SELECT count(*) FROM customer_relation WHERE relation = 'contact_person'")
    assert count("SELECT count(*) FROM customer WHERE parent_customer_id IS NOT NULL") > 0
    assert count("SELECT count(*) FROM registry_vehicle WHERE matched_vehicle_id IS NULL") > 0
    assert count("SELECT count(*) FROM registry_vehicle r JOIN vehicle v ON v.vin = r.vin") > 0
    assert count("SELECT count(*) FROM policy WHERE intermediary_id IS NOT NULL") > 0
    assert count("SELECT count(*) FROM policy WHERE commission > 0") > 0
    assert count("SELECT count(*) FROM service_contact") > 0
    assert count("SELECT count(DISTINCT line_code) FROM policy") >= 6


def test_search_index_filled_and_live(book: Database) -> None:
    if not book.is_sqlite:
        pytest.skip("the FTS5 table is SQLite's")
    name, customer_id = rows(book, "SELECT name, id FROM customer ORDER BY id LIMIT 1")[0]
    total = rows(book, "SELECT count(*) FROM customer")[0][0]
    assert rows(book, "SELECT count(*) FROM customer_fts")[0][0] == total
    hits = rows(book, "SELECT rowid FROM customer_fts WHERE customer_fts MATCH :q",
                q='"嘉兴市"')  # fmt: skip
    assert len(hits) > total // 2  # addresses are searchable
    assert (customer_id,) in rows(book, "SELECT rowid FROM customer_fts WHERE name = :n", n=name)
    with book.connect() as connection:  # the triggers are back after the bulk load
        connection.execute(
            text(
                "INSERT INTO customer (kind, name, unit_id, name_pinyin, name_initials, source,"
                " intention_declared, lapsed_to_competitor, customer_class, flag_key,"
                " flag_blacklist, flag_renewal_due, version, created_at, updated_at)"
                " SELECT 'individual', '测试新客户', unit_id, '', '', 'walk_in', 0, 0,"
                " 'floating', 0, 0, 0, 1, created_at, updated_at FROM customer LIMIT 1"
            )
        )
    assert rows(book, "SELECT count(*) FROM customer_fts WHERE name = '测试新客户'")[0][0] == 1


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def test_identifiers_are_valid(book: Database) -> None:
    for kind, number in rows(book, "SELECT kind, id_number FROM customer"):
        verdict = validate("id" if kind == "individual" else "uscc", number, today=AS_OF)
        assert verdict.valid, (number, verdict.reason)
    for plate, vin in rows(book, "SELECT plate, vin FROM vehicle"):
        assert validate("plate", plate).valid, plate
        assert validate("vin", vin).valid, vin
    for (value,) in rows(book, "SELECT value_norm FROM contact WHERE kind = 'mobile'"):
        assert validate("phone", value).valid, value
    # the search columns match the values
    for number, reverse in rows(book, "SELECT id_number, id_number_rev FROM customer"):
        assert reverse == number[::-1]
    for plate, plate_rev in rows(book, "SELECT plate, plate_rev FROM vehicle"):
        assert plate_rev == plate[::-1]


def test_demo_users_sign_in(book: Database) -> None:
    services = make_services(book, fast_hash=True)
    assert services.auth.is_demo_book()  # so the sign-in screen tells how to sign in
    units = dict(rows(book, "SELECT id, code FROM org_unit"))
    for username, role, unit_code, _name in DEMO_USERS:
        actor = services.auth.sign_in(username, "demo-pass")
        assert (actor.role, units[actor.unit_id]) == (role, unit_code)
    roles = rows(
        book,
        "SELECT DISTINCT s.role FROM staff_user s JOIN org_unit u ON u.id = s.unit_id"
        " WHERE u.code = '330481'",
    )
    assert {"counter", "claims", "account_manager", "supervisor", "underwriter"} <= {
        r for (r,) in roles
    }


def test_refuses_a_database_with_data(book: Database) -> None:
    with pytest.raises(Conflict):
        build_demo(book, 10, as_of=AS_OF)


def test_cli_refuses_then_replaces(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    args = ["demo", "--customers", "50", "--as-of", AS_OF.isoformat(), "--json"]
    result = run_cli(capsys, args)
    assert result.code == 0
    result = run_cli(capsys, args)
    assert result.code == 1
    assert "--replace" in result.err and '"not_empty"' in result.out
    result = run_cli(capsys, [*args, "--replace", "--seed", "3"])
    assert result.code == 0
    db = fresh_sqlite(tmp_path / "cli.db")
    assert rows(db, "SELECT count(*) FROM customer")[0][0] > 50
    db.dispose()


# ---------------------------------------------------------------- class rules, in raw SQL

YEAR_AGO = AS_OF - timedelta(days=365)


def test_book_has_a_quality_customer(book: Database) -> None:
    """3+ expired policy years without a claim, and cover in force today."""
    found = rows(
        book,
        "SELECT p.customer_id FROM policy p WHERE p.line_code = 'motor_commercial'"
        " AND p.end_date < :today GROUP BY p.customer_id HAVING count(*) >= 3"
        " AND NOT EXISTS (SELECT 1 FROM claim c WHERE c.customer_id = p.customer_id)"
        " AND EXISTS (SELECT 1 FROM policy q WHERE q.customer_id = p.customer_id"
        " AND q.start_date <= :today AND q.end_date >= :today)",
        today=AS_OF,
    )
    assert found


def test_book_has_key_customers(book: Database) -> None:
    by_premium = rows(
        book,
        "SELECT customer_id FROM policy WHERE start_date > :since AND start_date <= :today"
        " GROUP BY customer_id HAVING sum(premium) >= 5000000",
        since=YEAR_AGO, today=AS_OF,
    )  # fmt: skip
    tender = rows(
        book,
        "SELECT id FROM policy WHERE is_tender = :t AND premium >= 5000000"
        " AND start_date > :since AND start_date <= :today",
        t=True, since=YEAR_AGO, today=AS_OF,
    )  # fmt: skip
    agency = rows(
        book,
        "SELECT i.id FROM intermediary i JOIN policy p ON p.intermediary_id = i.id"
        " WHERE i.name = :name AND p.start_date > :since AND p.start_date <= :today"
        " GROUP BY i.id HAVING sum(p.premium) >= 50000000",
        name=KEY_AGENCY, since=YEAR_AGO, today=AS_OF,
    )  # fmt: skip
    agency_customer = rows(book, "SELECT id FROM customer WHERE name = :n", n=KEY_AGENCY)
    assert by_premium and tender and agency and agency_customer


def test_book_has_blacklist_candidates(book: Database) -> None:
    frequent = rows(
        book,
        "SELECT customer_id, count(*), sum(paid + outstanding) FROM claim"
        " WHERE report_date > :since AND report_date <= :today"
        " GROUP BY customer_id HAVING count(*) >= 3",
        since=YEAR_AGO, today=AS_OF,
    )  # fmt: skip
    over = []
    for customer_id, _count, claimed in frequent:
        earned = 0.0
        for premium, start, end in rows(
            book,
            "SELECT premium, start_date, end_date FROM policy WHERE customer_id = :c",
            c=customer_id,
        ):
            start, end = _day(start), _day(end)
            lo, hi = max(start, YEAR_AGO + timedelta(days=1)), min(end, AS_OF)
            if hi >= lo:
                earned += premium * ((hi - lo).days + 1) / ((end - start).days + 1)
        if earned and float(claimed) / earned > 1.5:
            over.append(customer_id)
    assert over
    assert rows(book, "SELECT count(*) FROM claim WHERE fraud_suspected = :t", t=True)[0][0]


def test_people_named_zeng_carry_the_surname_reading(book: Database) -> None:
    people = rows(
        book,
        "SELECT name, name_pinyin, name_initials FROM customer"
        " WHERE kind = 'individual' AND name >= '曾' AND name < '曾\U0010ffff'",
    )
    assert people  # 曾 is a common enough surname in the demo book
    for name, full, initials in people:
        assert full.startswith("zeng") and initials.startswith("z"), name
