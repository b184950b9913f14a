"""Usage errors: exit 2 with the usage of the command typed, not the top-level one; bad
dates and enumeration values are usage errors too (no database needed to say so)."""

import pytest

from tui_crm.cli import main


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    err = capsys.readouterr().err
    assert done.value.code == 2, err
    return err


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (("customer", "show", "1", "--bogus", "--user", "counter"), "tui-crm customer show"),
        (("quote", "--colour", "5", "--user", "counter"), "tui-crm quote"),
        (("validate", "id", "1", "--nope"), "tui-crm validate"),
        (("blacklist", "queue", "--colour", "red", "--user", "claims"), "tui-crm blacklist queue"),
    ],
)
def test_unknown_option_prints_the_subcommand_usage(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], usage: str
) -> None:
    err = usage_error(capsys, *argv)
    assert err.startswith(f"usage: {usage}")
    assert "unrecognized arguments" in err or "无法识别的参数" in err


@pytest.mark.parametrize(
    ("argv", "usage", "shown"),
    [
        (("quote", "--use", "car", "--user", "counter"), "tui-crm quote", "car"),
        (("quote", "--start", "2026-02-30", "--user", "counter"), "tui-crm quote", "2026-02-30"),
        (
            ("quote", "--first-registration", "01/03/2023", "--user", "counter"),
            "tui-crm quote",
            "01/03/2023",
        ),
        (
            ("classify", "--as-of", "yesterday", "--user", "manager"),
            "tui-crm classify",
            "yesterday",
        ),
        (
            ("classes", "counts", "--from", "2026-13", "--to", "2026-11", "--user", "manager"),
            "tui-crm classes counts",
            "2026-13",
        ),
        (
            ("blacklist", "queue", "--status", "open", "--user", "supervisor"),
            "tui-crm blacklist queue",
            "open",
        ),
        (
            ("customer", "add", "--kind", "person", "--name", "王五", "--user", "counter"),
            "tui-crm customer add",
            "person",
        ),
        (
            (
                "customer",
                "add",
                "--kind",
                "individual",
                "--name",
                "王五",
                "--birth-date",
                "1990-02-30",
                "--user",
                "counter",
            ),
            "tui-crm customer add",
            "1990-02-30",
        ),
        (
            (
                "user",
                "add",
                "clerk9",
                "--name",
                "张敏",
                "--role",
                "boss",
                "--unit",
                "330402",
                "--user",
                "admin",
            ),
            "tui-crm user add",
            "boss",
        ),
        (
            ("service", "add", "1", "--kind", "chat", "--subject", "x", "--user", "counter"),
            "tui-crm service add",
            "chat",
        ),
        (
            ("report", "product", "--to", "2026/11/30", "--user", "manager"),
            "tui-crm report",
            "2026/11/30",
        ),
    ],
)
def test_bad_enum_or_date_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], usage: str, shown: str
) -> None:
    err = usage_error(capsys, *argv)
    assert err.startswith(f"usage: {usage}") and shown in err


def test_enum_codes_are_case_insensitive_where_the_service_was() -> None:
    # the reason code is checked by argparse now; upper case still passes the parser
    from tui_crm.cli import build_parser

    args = build_parser().parse_args(
        ["blacklist", "nominate", "7", "--reason", "FRAUD", "--evidence", "x", "--user", "claims"]
    )
    assert args.reason == ["fraud"]
