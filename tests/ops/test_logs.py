"""The error log: tracebacks for the administrator with personal numbers masked, one line
for the clerk; a sign-in against an empty book says where the database is."""

import stat

import pytest

from tests.cli.runner import run_cli
from tests.factories import make_user
from tui_crm.logs import PrivateRotatingFileHandler, error_log, log_path, mask_text
from tui_crm.services.search import SearchService

ID = "330402199001011234"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        (f"id={ID}", "id=330402********1234"),
        ("id 33040219900101123X.", "id 330402********123X."),
        ("old id 330402900101123", "old id 330402*****1123"),
        ("phone 13812345678,", "phone 138****5678,"),
        ("phone +86 138-1234-5678", "phone +86 138****5678"),
        (
            "('张三', '13900001111', '330402199001011234')",
            "('张三', '139****1111', '330402********1234')",
        ),
    ],
)
def test_id_numbers_and_phones_are_masked(raw, masked):
    assert mask_text(raw) == masked


def test_longer_numbers_are_left_alone():
    # policy and claim numbers, hashes: not an ID or a phone beside more digits or letters
    text = "policy PDAA202633040000012345 claim 2026330400000123456789 h=a13812345678b"
    assert mask_text(text) == text


def test_an_unexpected_error_is_one_line_for_the_clerk_and_a_masked_traceback_in_the_log(
    capsys, cli_services, monkeypatch
):
    make_user(cli_services, "counter", "counter")

    def broken(self, actor, query, *args, **kwargs):
        raise RuntimeError(f"broke on {ID} / 13812345678")

    monkeypatch.setattr(SearchService, "search", broken)
    result = run_cli(capsys, ["search", "王", "--user", "counter", "--lang", "en"])
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "Not done (RuntimeError)" in result.err
    assert f"details in the log {log_path()}" in result.err
    assert "Traceback" not in result.err
    logged = log_path().read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "RuntimeError: broke on 330402********1234 / 138****5678" in logged
    assert ID not in logged and "13812345678" not in logged
    assert stat.S_IMODE(log_path().stat().st_mode) == 0o600
    assert stat.S_IMODE(log_path().parent.stat().st_mode) == 0o700


def test_the_log_rotates_into_owner_only_files():
    logger = error_log()
    handler = next(h for h in logger.handlers if isinstance(h, PrivateRotatingFileHandler))
    handler.maxBytes = 2000
    for n in range(40):
        logger.error("line %d %s", n, "x" * 80)
    rotated = sorted(log_path().parent.glob("tui-crm.log*"))
    assert len(rotated) > 1
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in rotated)


def test_sign_in_against_an_empty_book_says_where_and_what_to_run(capsys, cli_services):
    result = run_cli(capsys, ["search", "王", "--user", "admin", "--lang", "en"])
    assert result.code == 3
    assert "Wrong username or password: the database" in result.err
    assert cli_services.database.location() in result.err
    assert "tui-crm init" in result.err and "tui-crm demo" in result.err


def test_a_wrong_password_on_a_real_book_says_only_that(capsys, cli_services):
    make_user(cli_services, "counter", "counter")
    result = run_cli(capsys, ["search", "王", "--user", "nobody", "--lang", "en"])
    assert result.code == 3
    assert result.err.strip() == "Wrong username or password"
