"""`tui-crm prospect|group` and `customer source|link|unlink` through the real entry point,
on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.cli.runner import run_cli
from tests.factories import make_customer, make_user
from tui_crm.services.container import make_services
from tui_crm.storage.models import Customer, ProspectFact


@pytest.fixture
def book(committed_database, monkeypatch, tmp_path):
    services = make_services(committed_database, fast_hash=True)
    make_user(services, "ctr", "counter")
    make_user(services, "am", "account_manager")
    make_user(services, "xz", "counter", "330411")
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", committed_database.cli_url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    monkeypatch.delenv("TUI_CRM_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    return services


@pytest.fixture
def run(capsys):
    return lambda argv: run_cli(capsys, argv)


def test_prospect_intent_lost_and_list(book, run):
    customer = make_customer(book, "周八")
    day = (date.today() - timedelta(days=3)).isoformat()
    intent = run(["prospect", "intent", str(customer), "--date", day, "--note", "下月到期",
                  "--user", "ctr", "--json"])  # fmt: skip
    assert intent.code == 0, intent.err
    [row] = intent.json
    assert (row["kind"], row["fact_date"], row["customer_class"]) == ("intent", day, "prospect")
    lost = run(["prospect", "lost", str(customer), "--competitor", "平安", "--reason", "价格",
                "--user", "ctr", "--json"])  # fmt: skip
    assert lost.code == 0, lost.err
    listed = run(["prospect", "list", "--unit", "330402", "--user", "ctr", "--json"])
    assert [r["kind"] for r in listed.json] == ["lost", "intent"]
    assert listed.json[0]["competitor"] == "平安"
    only = run(["prospect", "list", "--customer", str(customer), "--kind", "intent",
                "--user", "ctr", "--json"])  # fmt: skip
    assert [r["note"] for r in only.json] == ["下月到期"]
    text = run(["prospect", "list", "--user", "ctr"])
    assert "流失至竞争对手" in text.out and "准客户" in text.out


def test_prospect_refusals(book, run):
    customer = make_customer(book, "周八")
    future = (date.today() + timedelta(days=2)).isoformat()
    late = run(["prospect", "intent", str(customer), "--date", future, "--user", "ctr",
                "--json"])  # fmt: skip
    assert late.code == 1 and late.json["error"]["field"] == "date"
    empty = run(["prospect", "lost", str(customer), "--user", "ctr", "--json"])
    assert empty.code == 1 and empty.json["error"]["field"] == "competitor"
    other = run(["prospect", "intent", str(customer), "--user", "xz", "--json"])
    assert other.code == 1 and other.json["error"]["code"] == "out_of_scope"
    with book.database.session() as session:
        assert session.exec(select(ProspectFact)).all() == []


def test_customer_source(book, run):
    customer = make_customer(book, "王五")
    done = run(["customer", "source", str(customer), "--source", "dealer", "--list",
                "4S 店客户", "--list-date", "2026-03-01", "--user", "ctr", "--json"])  # fmt: skip
    assert done.code == 0, done.err
    assert done.json == {"customer_id": customer, "source": "dealer",
                         "list_name": "4S 店客户", "list_date": "2026-03-01"}  # fmt: skip
    bad = run(["customer", "source", str(customer), "--source", "rumour", "--user", "ctr"])
    assert bad.code == 2
    again = run(["customer", "source", str(customer), "--source", "dealer", "--user", "ctr",
                 "--json"])  # fmt: skip
    assert again.code == 1 and again.json["error"]["code"] == "unchanged"


def test_groups_and_links(book, run):
    head = make_customer(book, "嘉兴钢铁集团", kind="corporate")
    child = make_customer(book, "嘉兴钢铁物流", kind="corporate")
    saved = run(["group", "save", "嘉兴钢铁", "--head", str(head), "--user", "am", "--json"])
    assert saved.code == 0, saved.err
    group_id = saved.json[0]["id"]
    added = run(["group", "add", str(group_id), str(child), "--user", "am", "--json"])
    assert added.json[0]["members"] == 2
    members = run(["group", "list", "--group", str(group_id), "--user", "am", "--json"])
    assert {(m["customer_id"], m["head"]) for m in members.json} == {(head, True), (child, False)}
    linked = run(["customer", "link", str(head), str(child), "--user", "am", "--json"])
    assert linked.code == 0 and linked.json[0]["parent_id"] == head
    cycle = run(["customer", "link", str(child), str(head), "--user", "am", "--json"])
    assert cycle.code == 1 and cycle.json["error"]["field"] == "child"
    refused = run(["group", "save", "X", "--head", str(head), "--user", "ctr", "--json"])
    assert refused.code == 1 and refused.json["error"]["code"] == "wrong_role"
    assert run(["customer", "unlink", str(child), "--user", "am"]).code == 0
    removed = run(["group", "remove", str(group_id), str(child), "--user", "am", "--json"])
    assert removed.json[0]["members"] == 1
    listed = run(["group", "list", "--user", "am"])
    assert "嘉兴钢铁" in listed.out
    with book.database.session() as session:
        row = session.get(Customer, child)
        assert (row.group_id, row.parent_customer_id) == (None, None)
