"""Bad input gets one clear line, never a traceback: ids beyond 64 bits in the services,
NUL characters, a write lock held too long, files that are not text, a third decimal of
money, over-long text, and typed escape sequences echoed harmlessly."""

import sqlite3
from datetime import date

import pytest
from sqlalchemy.exc import DBAPIError

from tests.factories import make_customer, make_user
from tui_crm.cli import main
from tui_crm.services.core.errors import AuthFailed, ServiceError, ValidationFailed
from tui_crm.storage.models.classification import EVIDENCE_MAX
from tui_crm.storage.models.service import NOTES_MAX, SUBJECT_MAX

HUGE = 10**20


def run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


@pytest.fixture
def cli_book(tmp_path, monkeypatch, sqlite_database):
    from tui_crm.services.container import make_services

    services = make_services(sqlite_database, fast_hash=True)
    make_user(services, "counter", "counter")
    make_user(services, "admin", "admin", "3304")
    make_customer(services, "王五")
    url = str(sqlite_database.engine.url)
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    monkeypatch.delenv("TUI_CRM_LANG", raising=False)
    return services


def test_services_refuse_ids_beyond_64_bits(services) -> None:
    counter = make_user(services, "counter", "counter")
    claims = make_user(services, "claims", "claims")
    calls = [
        lambda: services.customers.view(counter, HUGE),
        lambda: services.blacklist.nominate(claims, HUGE, ["fraud"], "录音"),
        lambda: services.classification.explain(counter, HUGE, date(2026, 11, 25)),
        lambda: services.service_log.for_customer(counter, HUGE),
    ]
    for call in calls:
        with pytest.raises(ValidationFailed) as refused:
            call()
        assert refused.value.code == "out_of_range"
        assert refused.value.message == "输入的数值超出范围"


def test_a_nul_in_a_username_or_filter_is_refused_not_a_driver_error(services) -> None:
    counter = make_user(services, "counter", "counter")
    with pytest.raises(ServiceError) as refused:  # AuthFailed on SQLite: no such user
        services.auth.sign_in("coun\x00ter", "demo-pass")
    assert isinstance(refused.value, AuthFailed) or refused.value.code == "control_character"
    try:
        services.search.search(counter, "王\x00五")
    except ServiceError:
        pass
    except DBAPIError as error:  # pragma: no cover - what this guards against
        pytest.fail(f"driver error reached the caller: {error}")


def test_a_write_lock_held_too_long_says_the_database_is_busy(
    cli_book, monkeypatch, capsys
) -> None:
    import tui_crm.storage.db as db

    original = db._sqlite_pragmas

    def short_wait(connection, record):
        original(connection, record)
        connection.execute("PRAGMA busy_timeout=100")

    monkeypatch.setattr(db, "_sqlite_pragmas", short_wait)
    holder = sqlite3.connect(str(cli_book.database.engine.url.database))
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code = run(["whoami", "--user", "counter"])  # sign-in records the login: a write
    finally:
        holder.rollback()
        holder.close()
    err = capsys.readouterr().err
    assert code == 1
    assert err == "数据库正忙，请稍后再试\n"


def test_a_binary_file_is_not_a_rate_table(cli_book, capsys) -> None:
    code = run(["rate-table", "import", "/bin/ls", "--code", "ctpl", "--from", "2026-01-01",
                "--source", "x", "--user", "admin"])  # fmt: skip
    assert code == 1
    assert capsys.readouterr().err == "文件不是 UTF-8 编码的 CSV：/bin/ls\n"


def test_a_third_decimal_of_money_is_refused_not_rounded(cli_book, capsys) -> None:
    code = run(["quote", "--use", "family", "--seats", "5", "--displacement", "1.6",
                "--new-car-price", "150000.005", "--first-registration", "2023-03-01",
                "--coverage", "damage", "--user", "counter"])  # fmt: skip
    assert code == 1
    assert "最多 2 位小数" in capsys.readouterr().err


def test_typed_escape_sequences_are_echoed_harmlessly(cli_book, capsys) -> None:
    hostile = "\x1b[31mRED\x1b]0;pwned\x07\x1b[2J"
    for argv in (
        ["quote", "--use", hostile, "--user", "counter"],
        ["quote", "--use", "family", "--coverage", hostile, "--user", "counter"],
        ["report", hostile, "--user", "counter"],
        ["validate", "id", hostile],
        ["customer", "show", hostile, "--user", "counter"],
    ):
        run(argv)
        out = capsys.readouterr()
        assert "\x1b" not in out.out + out.err and "\x07" not in out.out + out.err, argv
        assert "\\x1b" in out.out + out.err, argv


def test_over_long_text_is_refused_with_the_limit(services) -> None:
    counter = make_user(services, "counter", "counter")
    claims = make_user(services, "claims", "claims")
    customer = make_customer(services, "王五")
    with pytest.raises(ValidationFailed) as refused:
        services.service_log.record(
            counter, customer, kind="visit", subject="回" * (SUBJECT_MAX + 1)
        )
    assert (
        refused.value.message == f"事由过长：最多 {SUBJECT_MAX} 个字符（现为 {SUBJECT_MAX + 1} 个）"
    )
    with pytest.raises(ValidationFailed) as refused:
        services.service_log.record(
            counter, customer, kind="visit", subject="回访", notes="记" * 100_000
        )
    assert f"最多 {NOTES_MAX} 个字符" in refused.value.message
    with pytest.raises(ValidationFailed) as refused:
        services.blacklist.nominate(claims, customer, ["fraud"], "证" * 100_000)
    assert f"最多 {EVIDENCE_MAX} 个字符" in refused.value.message
    assert services.service_log.for_customer(counter, customer) == []


def test_thresholds_take_finite_numbers_only(services) -> None:
    admin = make_user(services, "admin", "admin", "3304")
    for bad in ("NaN", "Infinity", "99999999999999999999", "-1", "5.5"):
        with pytest.raises(ValidationFailed):
            services.thresholds.set(admin, "auth.max_failures", bad)
    assert services.thresholds.set(admin, "class.quality.loss_ratio", "0.25").value == "0.25"
