"""Schema migrations: the head migration equals the models, a book at the baseline with
data upgrades to head and works, and a book at another revision is refused with what to
run — on SQLite and PostgreSQL."""

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.exc import SAWarning
from sqlmodel import SQLModel

from tests.cli.runner import run_cli
from tests.storage.book_rows import load_baseline_book, table_rows
from tests.storage.conftest import drop_empty_book, make_empty_book
from tui_crm.services.container import make_services
from tui_crm.services.core import SchemaOutOfDate
from tui_crm.services.setup import ensure_ready
from tui_crm.storage import migrate
from tui_crm.storage.migrate import BASELINE, BASELINE_TABLES, include_object


def schema_diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"include_object": include_object, "compare_type": True}
    )
    with warnings.catch_warnings():  # expression indexes cannot be reflected on SQLite
        warnings.simplefilter("ignore", SAWarning)
        warnings.simplefilter("ignore", UserWarning)
        return list(compare_metadata(context, SQLModel.metadata))


def database_objects(connection: Connection) -> set[tuple[str, str]]:
    """Every table, index and trigger by name, as the database lists them."""
    if connection.dialect.name == "sqlite":
        rows = connection.execute(
            text("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        )
        return {(kind, name) for kind, name in rows}
    schema = "current_schema()"
    tables = connection.execute(
        text(f"SELECT 'table', tablename FROM pg_tables WHERE schemaname = {schema}")
    )
    indexes = connection.execute(
        text(f"SELECT 'index', indexname FROM pg_indexes WHERE schemaname = {schema}")
    )
    triggers = connection.execute(
        text(
            "SELECT 'trigger', t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            f" WHERE NOT t.tgisinternal AND c.relnamespace = {schema}::regnamespace"
        )
    )
    return {(k, n) for k, n in [*tables, *indexes, *triggers]}


def test_the_head_migration_builds_what_the_models_and_search_objects_build(
    empty_book, tmp_path
) -> None:
    """A missing migration fails here: a model changed without one shows as a difference."""
    state = empty_book.database.upgrade_schema()
    assert (state.kind, state.current) == ("current", migrate.head_revision())
    with empty_book.database.connect() as connection:
        assert schema_diff(connection) == []
        migrated = database_objects(connection)
    created = make_empty_book(empty_book.database.dialect, tmp_path, "created")
    try:
        created.database.create_schema()
        with created.database.connect() as connection:
            assert migrate.current_revision(connection) == migrate.head_revision()
            assert database_objects(connection) == migrated
    finally:
        drop_empty_book(created)


def test_a_baseline_book_with_data_upgrades_to_head_and_works(
    empty_book, capsys, monkeypatch
) -> None:
    database = empty_book.database
    assert database.upgrade_schema(BASELINE).current == BASELINE
    with database.connect() as connection:
        book = load_baseline_book(connection)
    assert len(book["customer"]) >= 30
    with database.connect() as connection:
        before = table_rows(connection, set(BASELINE_TABLES))

    assert database.upgrade_schema().kind == "current"

    with database.connect() as connection:
        after = table_rows(connection, set(BASELINE_TABLES))
    assert after == before
    assert len(after["customer"]) == len(book["customer"])
    ensure_ready(database)
    services = make_services(database, fast_hash=True)
    manager = services.auth.sign_in("manager", "demo-pass")
    assert {hit.name for hit in services.search.search(manager, "王").hits} == {
        row[1] for row in book["customer"] if "王" in row[1]
    }

    monkeypatch.setenv("TUI_CRM_DATABASE_URL", empty_book.url)
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    result = run_cli(capsys, ["search", "恒信", "--user", "counter", "--json"])
    assert result.code == 0, result.err
    assert result.json and all(hit["unit_code"].startswith("330402") for hit in result.json)
    current = run_cli(capsys, ["db", "current", "--json"])
    head = migrate.head_revision()
    assert current.json == {"state": "current", "current": head, "head": head}


def set_revision(connection: Connection, revision: str) -> None:
    connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def test_a_book_made_by_newer_code_is_refused_everywhere_with_what_to_do(
    empty_book, capsys, monkeypatch
) -> None:
    database = empty_book.database
    ensure_ready(database)
    with database.connect() as connection:
        set_revision(connection, "ffff0099")
    with pytest.raises(SchemaOutOfDate, match="ffff0099"):
        ensure_ready(database)

    monkeypatch.setenv("TUI_CRM_DATABASE_URL", empty_book.url)
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    for argv in (["whoami", "--user", "admin", "--json"], ["db", "upgrade", "--json"]):
        result = run_cli(capsys, [*argv, "--lang", "en"])
        assert result.code == 1
        assert result.json["error"]["code"] == "schema_mismatch"
        assert "newer than this program" in result.err
        assert "Traceback" not in result.err
    assert run_cli(capsys, ["db", "current", "--json"]).json["state"] == "ahead"


def test_a_book_at_an_older_revision_is_told_to_run_db_upgrade(
    empty_book, capsys, monkeypatch
) -> None:
    database = empty_book.database
    ensure_ready(database)
    with database.connect() as connection:
        set_revision(connection, "0000older")
    # Only the baseline exists so far: pretend an older revision is one of ours.
    known = migrate.known_revisions() | {"0000older"}
    monkeypatch.setattr(migrate, "known_revisions", lambda: known)
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", empty_book.url)
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    result = run_cli(capsys, ["whoami", "--user", "admin", "--lang", "en"])
    assert result.code == 1
    assert "run tui-crm db upgrade" in result.err
    assert run_cli(capsys, ["db", "current", "--json"]).json["state"] == "behind"


def test_db_history_lists_the_baseline(capsys) -> None:
    result = run_cli(capsys, ["db", "history", "--json"])
    assert result.code == 0
    assert result.json[-1]["revision"] == BASELINE
    assert result.json[-1]["down_revision"] is None
    assert result.json[0]["head"] is True


def test_a_book_made_before_migrations_is_stamped_as_the_baseline_not_recreated(
    empty_book, capsys, monkeypatch
) -> None:
    database = empty_book.database
    database.upgrade_schema(BASELINE)
    with database.connect() as connection:
        load_baseline_book(connection)
        connection.execute(text("DROP TABLE alembic_version"))  # as the release before made it
        before = table_rows(connection, set(BASELINE_TABLES))
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", empty_book.url)
    assert run_cli(capsys, ["db", "current", "--json"]).json["state"] == "unversioned"
    upgraded = run_cli(capsys, ["db", "upgrade", "--json"])
    assert upgraded.code == 0, upgraded.err
    assert (upgraded.json["from"], upgraded.json["state"]) == (None, "current")
    with database.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
        assert table_rows(connection, set(BASELINE_TABLES)) == before
