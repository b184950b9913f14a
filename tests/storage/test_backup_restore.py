"""`tui-crm backup` and `tui-crm restore`: a small book round-trips with every table equal,
a non-empty target is refused without --replace, and a missing pg_dump is said plainly —
on SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import Connection, inspect, text

from tests.cli.runner import run_cli
from tests.conftest import drop_pg_schema, pg_schema_engine
from tests.factories import make_claim, make_customer, make_policy, make_user
from tests.storage.book_rows import table_rows
from tests.storage.conftest import EmptyBook
from tui_crm.services.container import make_services
from tui_crm.services.setup import ensure_ready
from tui_crm.storage import migrate
from tui_crm.storage.db import Database


def fill_small_book(book: EmptyBook) -> None:
    ensure_ready(book.database)
    services = make_services(book.database, fast_hash=True)
    make_user(services, "counter", "counter")
    for n, name in enumerate(("王多赔", "李安全", "嘉兴恒信物流有限公司")):
        customer = make_customer(
            services, name, kind="corporate" if "公司" in name else "individual"
        )
        policy = make_policy(services, customer, date(2026, 1 + n, 1))
        make_claim(services, policy, date(2026, 5, 1))
    counter = services.auth.sign_in("counter", "demo-pass")  # an audited sign-in row
    assert services.search.search(counter, "王多").hits


def every_table(connection: Connection) -> dict[str, list[tuple[object, ...]]]:
    names = {n for n in inspect(connection).get_table_names() if not n.startswith("customer_fts")}
    return table_rows(connection, names)


def empty_again(book: EmptyBook) -> None:
    """PostgreSQL: the dump names its schema, so the round trip restores into that schema
    emptied (as a restore onto a fresh server would find it)."""
    book.database.dispose()
    drop_pg_schema(book.name)
    book.database = Database(pg_schema_engine(book.name))


def test_a_small_book_round_trips_with_every_table_equal(
    empty_book, tmp_path, capsys, monkeypatch
) -> None:
    fill_small_book(empty_book)
    with empty_book.database.connect() as connection:
        before = every_table(connection)
    assert before["customer"] and before["audit_log"] and before["claim"]

    monkeypatch.setenv("TUI_CRM_DATABASE_URL", empty_book.url)
    file = tmp_path / "book.backup"
    made = run_cli(capsys, ["backup", str(file), "--json"])
    assert made.code == 0, made.err
    assert made.json["revision"] == migrate.head_revision()
    assert made.json["tables"]["customer"] == len(before["customer"])
    assert (tmp_path / "book.backup.manifest.json").exists()
    assert run_cli(capsys, ["backup", str(file)]).code == 1  # never overwrites a backup

    if empty_book.database.is_sqlite:
        target_url = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        empty_again(empty_book)
        target_url = empty_book.url
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", target_url)
    restored = run_cli(capsys, ["restore", str(file), "--json"])
    assert restored.code == 0, restored.err
    assert restored.json["checked_against_manifest"] is True
    assert (restored.json["revision"], restored.json["state"]) == (
        migrate.head_revision(),
        "current",
    )

    target = Database.from_url(target_url) if empty_book.database.is_sqlite else empty_book.database
    with target.connect() as connection:
        assert every_table(connection) == before
    ensure_ready(target)
    services = make_services(target, fast_hash=True)
    counter = services.auth.sign_in("counter", "demo-pass")
    assert [hit.name for hit in services.search.search(counter, "王多").hits] == ["王多赔"]
    target.dispose()

    again = run_cli(capsys, ["restore", str(file), "--json", "--lang", "en"])
    assert again.code == 1
    assert again.json["error"]["code"] == "backup_failed"
    assert "add --replace" in again.err
    replaced = run_cli(capsys, ["restore", str(file), "--replace", "--json"])
    assert replaced.code == 0, replaced.err
    assert replaced.json["tables"]["customer"] == len(before["customer"])


def test_a_damaged_or_foreign_file_is_refused(empty_book, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", empty_book.url)
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a backup", encoding="utf-8")
    for file in (foreign, tmp_path / "missing.backup"):
        result = run_cli(capsys, ["restore", str(file), "--lang", "en"])
        assert result.code == 1
        assert "backup" in result.err and "Traceback" not in result.err
    with empty_book.database.connect() as connection:
        assert inspect(connection).get_table_names() == []


def test_without_pg_dump_the_backup_says_what_to_install(
    empty_book, tmp_path, capsys, monkeypatch
) -> None:
    if empty_book.database.is_sqlite:
        pytest.skip("SQLite needs no external tool")
    ensure_ready(empty_book.database)
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", empty_book.url)
    result = run_cli(capsys, ["backup", str(tmp_path / "b.backup"), "--lang", "en"])
    assert result.code == 1
    assert "pg_dump not found" in result.err and "postgresql-client" in result.err
    assert not (tmp_path / "b.backup").exists()
    with empty_book.database.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM org_unit")).scalar_one() > 0
