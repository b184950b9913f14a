"""Every CLI subcommand fed hostile input: huge ids, 100,000-character text, control and
escape characters, Rich markup, impossible dates, 3-decimal money, NaN, SQL-looking text
and NUL. Each run ends with exit 1 (refused) or 2 (usage), a one-line reason, no
traceback, no control byte on the terminal and nothing half-written. In-process calls of
the real entry point on a small book."""

import argparse
import re
from datetime import date

import pytest
from sqlalchemy import text

from tests.factories import make_claim, make_customer, make_policy, make_user
from tui_crm.cli import build_parser, main
from tui_crm.services.container import make_services

HUGE = "99999999999999999999"
CORPUS = {
    "huge_id": HUGE,
    "long": "张" * 100_000,
    "escape": "\x1b[31mRED\x1b]0;pwned\x07\x1b[2J",
    "markup": "[@click=app.quit]x[/]",
    "bad_date": "2026-02-30",
    "money_3dp": "150000.005",
    "nan": "NaN",
    "sql": "'; DROP TABLE customer; --",
    "nul": "a\x00b",
}
X = object()  # where the hostile value goes

C, M, CL, SU, AD = "counter", "manager", "claims", "supervisor", "admin"
SHIFT = ["--unit", "330402", "--from", "2026-12-01 08:00", "--to", "2026-12-01 20:00"]
# Who runs each command: a role's user, None (no --user) or X (the hostile value as user).
TEMPLATES: list[tuple[object, list[object]]] = [
    (C, ["customer", "show", X]),
    (C, ["customer", "add", "--kind", "individual", "--name", X]),
    (C, ["customer", "add", "--kind", "individual", "--name", "王五", "--phone", X]),
    (C, ["customer", "add", "--kind", "individual", "--name", "王五", "--birth-date", X]),
    (C, ["customer", "add", "--kind", "company", "--name", "某公司", "--credit-code", X]),
    (M, ["customer", "move", X, "--unit", "330411"]),
    (M, ["customer", "move", "1", "--unit", X]),
    (C, ["search", X]),
    (C, ["search", "王", "--limit", X]),
    (C, ["service", "add", "1", "--kind", "visit", "--subject", X]),
    (C, ["service", "add", "1", "--kind", "visit", "--subject", "回访", "--notes", X]),
    (C, ["service", "add", X, "--kind", "visit", "--subject", "回访"]),
    (C, ["service", "list", X]),
    (C, ["service", "resolve", X, "--resolution", "已处理"]),
    (C, ["service", "summary", "--from", X, "--to", "2026-11-30"]),
    (C, ["sms", "send", X, "--template", "renewal_notice"]),
    (C, ["sms", "send", "1", "--template", X]),
    (C, ["sms", "preview", X, "--template", "renewal_notice"]),
    (C, ["sms", "inbox", "--limit", X]),
    (SU, ["renewals", "--days", X]),
    (SU, ["renewal", "status", X, "quoted"]),
    (SU, ["renewal", "call", X]),
    (SU, ["renewal", "sms", X]),
    (SU, ["task", "done", X]),
    (SU, ["complaint", "assign", X, "--to", "supervisor", "--cause", "other"]),
    (SU, ["complaint", "confirm", X]),
    (SU, ["complaint", "analysis", "--from", X, "--to", "2026-11-30"]),
    (SU, ["campaign", "preview", X]),
    (SU, ["campaign", "skipped", X]),
    (SU, ["campaign", "approve", X]),
    (SU, ["campaign", "queue", X]),
    (SU, ["campaign", "progress", X]),
    (SU, ["campaign", "cancel", X]),
    (SU, ["campaign", "build", "--name", "n", "--template", "offer", "--from-renewals", X]),
    (SU, ["warning", "warn", X]),
    (
        SU,
        [
            "warning",
            "declare",
            "--name",
            "n",
            "--kind",
            "flood",
            "--district",
            "330402",
            "--from",
            X,
            "--to",
            "2026-07-02",
        ],
    ),
    (None, ["validate", "id", X]),
    (None, ["doctor", "--config", X]),
    (X, ["login"]),
    (None, ["validate", X, "1"]),
    (C, ["quote", "--use", X]),
    (C, ["quote", "--use", "family", "--seats", "5", "--new-car-price", X]),
    (C, ["quote", "--use", "family", "--seats", X]),
    (C, ["quote", "--use", "family", "--seats", "5", "--coverage", X]),
    (C, ["quote", "--use", "family", "--unit", X]),
    (C, ["quote", "--customer", X]),
    (C, ["quote", "--use", "family", "--first-registration", X]),
    (C, ["vehicle-price", "search", X]),
    (
        AD,
        [
            "vehicle-price",
            "add",
            "--brand",
            X,
            "--make-model",
            "M",
            "--year",
            "2020",
            "--price",
            "100000",
        ],
    ),
    (
        AD,
        [
            "vehicle-price",
            "add",
            "--brand",
            "B",
            "--make-model",
            "M",
            "--year",
            "2020",
            "--price",
            X,
        ],
    ),
    (C, ["rate-table", "show", X]),
    (AD, ["rate-table", "import", X, "--code", "ctpl", "--from", "2026-01-01", "--source", "s"]),
    (AD, ["vehicle-price", "import", X]),
    (AD, ["rate-table", "set", "--code", "ctpl", "--key", X, "--value", X, "--from", X]),
    (M, ["report", X]),
    (M, ["report", "product", "--from", X, "--to", "2026-11-30"]),
    (M, ["report", "product", "--unit", X]),
    (M, ["classify", "--as-of", X]),
    (C, ["classes", "explain", X]),
    (C, ["classes", "history", X]),
    (M, ["classes", "counts", "--from", X, "--to", "2026-11-30"]),
    (CL, ["blacklist", "nominate", X, "--reason", "fraud", "--evidence", "录音"]),
    (CL, ["blacklist", "nominate", "1", "--reason", "fraud", "--evidence", X]),
    (CL, ["blacklist", "nominate", "1", "--reason", X, "--evidence", "录音"]),
    (CL, ["blacklist", "nominate", "1", "--reason", "fraud", "--evidence", "e", "--claim", X]),
    (SU, ["blacklist", "show", X]),
    (SU, ["blacklist", "review", X, "--decision", "approve"]),
    (SU, ["blacklist", "review", "1", "--decision", X]),
    (CL, ["blacklist", "resubmit", X]),
    (SU, ["blacklist", "lift", X, "--reason", "误报"]),
    (SU, ["blacklist", "lift", "1", "--reason", X]),
    (SU, ["blacklist", "queue", "--unit", X]),
    (SU, ["blacklist", "quota", "--year", X]),
    (AD, ["audit", "--limit", X]),
    (AD, ["user", "add", X, "--name", "张敏", "--role", "counter", "--unit", "330402"]),
    (AD, ["user", "unlock", X]),
    (AD, ["threshold", "set", X, "1"]),
    (AD, ["threshold", "set", "auth.max_failures", X]),
    (X, ["whoami"]),
    (X, ["refresh"]),
    (None, ["demo", "--customers", X]),
    (None, ["db", "upgrade", "--revision", X]),
    (
        M,
        ["campaign", "build", "--name", X, "--template", "renewal_notice", "--from-renewals", "60"],
    ),
    (M, ["campaign", "build", "--name", "续保", "--template", X, "--from-renewals", "60"]),
    (
        M,
        [
            "campaign",
            "build",
            "--name",
            "续保",
            "--template",
            "renewal_notice",
            "--from-renewals",
            X,
        ],
    ),
    (M, ["campaign", "preview", X]),
    (SU, ["campaign", "approve", X]),
    (M, ["campaign", "queue", X]),
    (M, ["campaign", "cancel", X]),
    (M, ["campaign", "progress", X]),
    (M, ["campaign", "skipped", X]),
    (SU, ["complaint", "assign", X, "--to", C, "--cause", "service"]),
    (SU, ["complaint", "assign", "1", "--to", X, "--cause", "service"]),
    (SU, ["complaint", "confirm", X]),
    (SU, ["complaint", "analysis", "--from", X, "--to", "2026-11-30"]),
    (C, ["renewal", "call", X]),
    (C, ["renewal", "call", "1", "--notes", X]),
    (C, ["renewal", "status", "1", "lost", "--competitor", X]),
    (C, ["renewal", "status", X, "contacted"]),
    (C, ["renewal", "sms", X]),
    (C, ["renewals", "--days", X]),
    (C, ["renewals", "--manager", X]),
    (C, ["task", "done", X]),
    (C, ["task", "done", "1", "--notes", X]),
    (C, ["sms", "inbox", "--limit", X]),
    (AD, ["sms", "dispatch", "--once", "--rate", X]),
    (AD, ["sms", "serve", "--host", X]),
    (AD, ["sms", "serve", "--port", X]),
    (
        SU,
        [
            "warning",
            "declare",
            "--name",
            X,
            "--kind",
            "flood",
            "--district",
            "330402",
            "--from",
            "2026-07-01",
            "--to",
            "2026-07-02",
        ],
    ),
    (
        SU,
        [
            "warning",
            "declare",
            "--name",
            "暴雨",
            "--kind",
            "flood",
            "--district",
            X,
            "--from",
            "2026-07-01",
            "--to",
            "2026-07-02",
        ],
    ),
    (SU, ["warning", "warn", X]),
    (None, ["init", "--admin", X]),
    (None, ["init", "--admin", "root2", "--unit", X]),
    (AD, ["unit", "import", X]),
    (AD, ["import", "customers", X]),
    (AD, ["import", X, "customers.csv"]),
    (AD, ["import", "customers", "customers.csv", "--profile", X]),
    (AD, ["import-batch", X]),
    (AD, ["nightly", X]),
    (None, ["restore", X]),
    (SU, ["customer", "duplicates", "--unit", X]),
    (SU, ["customer", "merge", X, "1"]),
    (SU, ["customer", "merge", "1", "2", "--reason", X]),
    (SU, ["customer", "unmerge", X]),
    (M, ["customer", "assign", X, "--to", C]),
    (M, ["customer", "assign", "1", "--to", X]),
    (M, ["customer", "handover", "--from", X, "--to", C]),
    (M, ["customer", "handover", "--from", C, "--to", X]),
    (M, ["intermediary", "save", "AG-1", "--name", "代理", "--kind", "agency", "--unit", X]),
    (
        M,
        [
            "intermediary",
            "save",
            "AG-1",
            "--name",
            "代理",
            "--kind",
            "agency",
            "--unit",
            "330402",
            "--commission-rate",
            X,
        ],
    ),
    (AD, ["permission", "grant", "counter", X]),
    (AD, ["permission", "revoke", X, "customer.read"]),
    (
        M,
        [
            "disaster",
            "add",
            "--name",
            "台风",
            "--kind",
            "typhoon",
            "--start",
            X,
            "--end",
            "2026-07-27",
            "--district",
            "330402",
        ],
    ),
    (
        M,
        [
            "disaster",
            "add",
            "--name",
            "台风",
            "--kind",
            "typhoon",
            "--start",
            "2026-07-25",
            "--end",
            "2026-07-27",
            "--district",
            X,
        ],
    ),
    (
        M,
        [
            "disaster",
            "edit",
            X,
            "--name",
            "台风",
            "--kind",
            "typhoon",
            "--start",
            "2026-07-25",
            "--end",
            "2026-07-27",
            "--district",
            "330402",
        ],
    ),
    (M, ["disaster", "affected", X]),
    (AD, ["registry", "import", X]),
    (AD, ["registry", "import", "r.csv", "--profile", X]),
    (M, ["registry", "prospects", "--unit", X]),
    (M, ["registry", "prospects", "--manager", X]),
    (M, ["policy", "marks", X, "--surplus", "yes"]),
    (M, ["policy", "marks", "P1", "--reinsurance-share", X]),
    (C, ["prospect", "intent", X]),
    (C, ["prospect", "intent", "1", "--date", X]),
    (C, ["prospect", "intent", "1", "--note", X]),
    (C, ["prospect", "lost", X, "--competitor", "平安"]),
    (C, ["prospect", "lost", "1", "--competitor", X]),
    (C, ["prospect", "lost", "1", "--competitor", "平安", "--reason", X]),
    (C, ["prospect", "lost", "1", "--competitor", "平安", "--date", X]),
    (C, ["prospect", "list", "--unit", X]),
    (C, ["prospect", "list", "--customer", X]),
    (C, ["prospect", "list", "--limit", X]),
    (C, ["customer", "source", X, "--source", "walk_in"]),
    (C, ["customer", "source", "1", "--source", X]),
    (C, ["customer", "source", "1", "--source", "walk_in", "--list", X]),
    (C, ["customer", "source", "1", "--source", "dealer", "--list", "L", "--list-date", X]),
    (M, ["group", "list", "--group", X]),
    (M, ["group", "save", X, "--head", "1"]),
    (M, ["group", "save", "集团", "--head", X]),
    (M, ["group", "save", "集团", "--head", "1", "--group", X]),
    (M, ["group", "add", X, "1"]),
    (M, ["group", "add", "1", X]),
    (M, ["group", "remove", X, "1"]),
    (M, ["group", "remove", "1", X]),
    (M, ["customer", "link", X, "1"]),
    (M, ["customer", "link", "1", X]),
    (M, ["customer", "unlink", X]),
    (SU, ["adjuster", "list", "--unit", X]),
    (SU, ["adjuster", "list", "--since", X]),
    (SU, ["adjuster", "add", "--name", X, "--phone", "13800001111", *SHIFT]),
    (SU, ["adjuster", "add", "--name", "李", "--phone", X, *SHIFT]),
    (SU, ["adjuster", "add", "--staff", X, *SHIFT]),
    (SU, ["adjuster", "add", "--name", "李", "--phone", "13800001111", "--unit", X,
          "--from", "2026-12-01 08:00", "--to", "2026-12-01 20:00"]),
    (SU, ["adjuster", "add", "--name", "李", "--phone", "13800001111", "--unit", "330402",
          "--from", X, "--to", "2026-12-01 20:00"]),
    (SU, ["adjuster", "edit", X, "--name", "李", "--phone", "13800001111", *SHIFT]),
    (SU, ["adjuster", "remove", X]),
    (SU, ["adjuster", "on-duty", "--at", X]),
    (SU, ["adjuster", "on-duty", "--unit", X]),
    (SU, ["adjuster", "service-phone", X, "--phone", "057382001234"]),
    (SU, ["adjuster", "service-phone", "330402", "--phone", X]),
    (AD, ["staff", "phone", X, "--phone", "13912345678"]),
    (AD, ["staff", "phone", CL, "--phone", X]),
]  # fmt: skip
# Values some commands may take as they are (a name of SQL-looking text is just a name).
ACCEPTED = {"markup", "sql", "escape"}
FREE_TEXT_OPTIONS = {
    "--competitor",
    "--brand",
    "--make-model",
    "--phone",
    "--name",
    "--subject",
    "--notes",
    "--evidence",
    "--resolution",
    "--comment",
    "--reason",
    "--note",
    "--list",
}
TABLES = (
    "customer",
    "contact",
    "service_contact",
    "blacklist_nomination",
    "sms_message",
    "staff_user",
    "threshold",
    "rate_table",
    "vehicle_price",
    "customer_unit_move",
    "adjuster_shift",
    "unit_service_phone",
    "staff_sms_phone",
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> set[str]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {" ".join(path)}
    found: set[str] = set()
    for name, sub in subs[0].choices.items():
        found |= leaf_commands(sub, (*path, name))
    return found


@pytest.fixture
def book(committed_database, monkeypatch, tmp_path):
    services = make_services(committed_database, fast_hash=True)
    for user in (C, M, CL, SU, AD):
        make_user(services, user, user if user != AD else "admin",
                  "3304" if user in (M, AD) else "330402")  # fmt: skip
    customer = make_customer(services, "王多赔", phone="13800138000")
    make_claim(services, make_policy(services, customer, date(2026, 3, 1)), date(2026, 4, 1))
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", committed_database.cli_url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    monkeypatch.setenv("TUI_CRM_PIN", "2468")
    monkeypatch.delenv("TUI_CRM_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    return committed_database


def counts(database) -> dict[str, int]:
    with database.connect() as connection:
        return {
            t: int(connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
            for t in TABLES
        }


def run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as done:
        return int(done.code or 0) if not isinstance(done.code, str) else 1
    return 0


def test_every_subcommand_is_in_the_corpus_run() -> None:
    covered = {" ".join(str(w) for w in words[:2] if w is not X and not str(w).startswith("-"))
               for _, words in TEMPLATES}  # fmt: skip
    names = {" ".join(n.split()[:2]) for n in leaf_commands(build_parser())}
    untested = {n for n in names if n not in covered and n.split()[0] not in covered}
    # Listing commands take no free input; schema writes a file; the rest is covered.
    assert untested <= {
        "schema", "user list", "user passwd", "threshold list", "service complaints",
        "sms templates", "sms receive", "proposal", "vehicle-price export", "rate-table list",
        "customer recent", "db current", "db history",
        "logout",
        "backup", "campaign list", "customer managers", "disaster list", "intermediary list",
        "permission list", "registry conflicts", "task list", "task generate", "complaint queue",
        "warning list",
        "classes flows", "blacklist candidates", "blacklist entries",
        "sms dispatch",
        "server",  # runs until stopped; its socket path: tests/ops/test_session_server.py
    }, untested  # fmt: skip


def free_text(argv: list[str], value: str) -> bool:
    """The value went where any text is data (a name, subject, note, evidence, search)."""
    where = argv.index(value)
    return (
        argv[where - 1] in FREE_TEXT_OPTIONS
        or argv[:1] == ["search"]
        or argv[:2] == ["vehicle-price", "search"]
    )


@pytest.mark.parametrize("kind", list(CORPUS))
def test_hostile_input_is_refused_in_one_clean_line(book, capsys, kind: str) -> None:
    value = CORPUS[kind]
    if not book.is_sqlite and kind not in ("huge_id", "nul", "long"):
        pytest.skip("PostgreSQL runs the values its driver treats differently")
    before = counts(book)
    problems = []
    for user, words in TEMPLATES:
        argv = [value if w is X else str(w) for w in words]
        if user is X:
            argv += ["--user", value]
        elif user is not None:
            argv += ["--user", str(user)]
        code = run(argv)
        out = capsys.readouterr()
        problem = judge(kind, argv, value, user, code, out.out, out.err)
        if problem is None and code != 0 and counts(book) != before:
            problem = "wrote something although refused"
        if problem:
            problems.append(f"{kind}: {' '.join(a[:30] for a in argv)} → {code}: {problem}")
        before = counts(book)
    assert not problems, "\n".join(problems)


def judge(kind: str, argv: list[str], value: str, user: object, code: int, out: str, err: str):
    if "Traceback" in err:
        return "traceback: " + err[-300:]
    if CONTROL.search(out + err):
        return "control bytes on the terminal"
    if code == 3 and user is X:
        return None  # no such user: the sign-in refusal, exit 3
    if code == 0:
        if kind in ACCEPTED or (free_text(argv, value) and kind != "long"):
            return None
        return "accepted: " + out[:150]
    if code not in (1, 2):
        return "exit code " + err[-200:]
    lines = [line for line in err.splitlines() if line.strip()]
    if not lines:
        return "no message"
    if code == 1 and (len(lines) != 1 or len(lines[0]) > 400):
        return "not one short line: " + err[:300]
    return None


def test_help_of_every_subcommand(capsys) -> None:
    for name in sorted(leaf_commands(build_parser())):
        assert run([*name.split(), "--help"]) == 0, name
        assert "usage:" in capsys.readouterr().out, name


def test_report_help_says_the_default_period_the_code_uses(capsys) -> None:
    assert run(["report", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "12 whole months before the current month" in help_text
    assert "last day of last month" in help_text
    assert "up to today" not in help_text and "(default: today)" not in help_text
