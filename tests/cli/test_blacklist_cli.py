"""`tui-crm blacklist …` and `tui-crm classify`: JSON shapes, refusals with exit code 1."""

from datetime import timedelta

import pytest

from tests.factories import make_claim, make_customer, make_policy, make_user
from tui_crm.services.core.clock import Clock


@pytest.fixture
def cli(cli_services):
    services = cli_services  # the real clock, like the CLI
    for name, role, unit in [
        ("claims", "claims", "330402"),
        ("supervisor", "supervisor", "330402"),
        ("supervisor2", "supervisor", "330402"),
        ("sup_xz", "supervisor", "330411"),
        ("manager", "manager", "3304"),
        ("counter", "counter", "330402"),
    ]:
        make_user(services, name, role, unit)
    today = Clock().today()
    customer = make_customer(services, "王多赔")
    policy = make_policy(services, customer, today - timedelta(days=200), premium="1000")
    for days in (150, 100, 50):
        make_claim(services, policy, today - timedelta(days=days), paid="1000")
    return {"services": services, "customer": customer}


def test_nominate_queue_review_lift(cli, run) -> None:
    customer = str(cli["customer"])
    result = run(["blacklist", "candidates", "--user", "claims", "--json"])
    code, data = result.code, result.data
    assert code == 0 and [c["customer_id"] for c in data] == [cli["customer"]]
    assert data[0]["claims_year"] == 3 and data[0]["open_nomination_id"] is None
    result = run(
        [
            "blacklist",
            "nominate",
            customer,
            "--reason",
            "frequent_claims",
            "--reason",
            "fraud",
            "--evidence",
            "一年三次出险",
            "--user",
            "claims",
            "--json",
        ]
    )
    code, data = result.code, result.data
    assert code == 0 and data == {"id": data["id"], "status": "pending"}
    assert isinstance(data["id"], int)
    nomination = str(data["id"])
    result = run(["blacklist", "queue", "--user", "supervisor", "--json"])
    code, queue = result.code, result.data
    assert code == 0 and len(queue) == 1
    item = queue[0]
    assert {k: item[k] for k in ("id", "customer_id", "customer_name", "unit_code", "reasons",
                                  "status", "nominated_by")} == {
        "id": int(nomination),
        "customer_id": cli["customer"],
        "customer_name": "王多赔",
        "unit_code": "330402",
        "reasons": ["frequent_claims", "fraud"],
        "status": "pending",
        "nominated_by": "claims",
    }  # fmt: skip
    assert item["nominated_at"][-6:] == "+08:00"
    result = run(["blacklist", "show", nomination, "--user", "supervisor", "--json"])
    code, shown = result.code, result.data
    assert code == 0 and shown["loss_ratio"]["claims_year"] == 3
    assert shown["loss_ratio"]["incurred_year"] == "3000.00"
    result = run(
        [
            "blacklist",
            "review",
            nomination,
            "--decision",
            "approve",
            "--comment",
            "属实",
            "--user",
            "supervisor",
            "--json",
        ]
    )
    code, data = result.code, result.data
    assert code == 0 and data == {"id": int(nomination), "status": "approved"}
    result = run(["blacklist", "entries", "--user", "supervisor", "--json"])
    code, data = result.code, result.data
    assert [e["customer_id"] for e in data] == [cli["customer"]]
    result = run(
        ["blacklist", "lift", customer, "--reason", "复核误判", "--user", "supervisor2", "--json"]
    )
    code, data = result.code, result.data
    assert code == 0 and data == {"customer_id": cli["customer"], "customer_class": "standard"}
    result = run(["blacklist", "quota", "--user", "supervisor", "--json"])
    code, data = result.code, result.data
    assert data[0]["unit_code"] == "330402" and data[0]["submitted"] == 1
    assert data[0]["shortfall"] == 4


@pytest.mark.parametrize(
    ("user", "decision", "comment", "code", "message"),
    [
        ("claims", "approve", "", "wrong_role", "blacklist.review"),
        ("sup_xz", "approve", "", "out_of_scope", "超出本机构"),
        ("supervisor", "reject", "", "invalid", "请填写意见"),
    ],
)
def test_review_refusals_exit_1(cli, run, user, decision, comment, code, message) -> None:
    result = run(
        [
            "blacklist",
            "nominate",
            str(cli["customer"]),
            "--reason",
            "fraud",
            "--evidence",
            "x",
            "--user",
            "claims",
            "--json",
        ]
    )
    data = result.data
    result = run(
        [
            "blacklist",
            "review",
            str(data["id"]),
            "--decision",
            decision,
            "--comment",
            comment,
            "--user",
            user,
            "--json",
        ]
    )
    exit_code, error, err = result.code, result.data, result.err
    assert exit_code == 1
    assert error["error"]["code"] == code and message in err


def test_double_review_and_bad_reason(cli, run) -> None:
    result = run(
        ["blacklist", "nominate", str(cli["customer"]), "--reason", "rude", "--evidence", "x",
         "--user", "claims", "--json", "--lang", "en"]
    )  # fmt: skip
    code, data, err = result.code, result.data, result.err
    # an unknown reason code is a usage error, reported with the subcommand's usage
    assert code == 2 and "usage: tui-crm blacklist nominate" in err and "rude" in err
    result = run(
        ["blacklist", "nominate", str(cli["customer"]), "--reason", "fraud", "--evidence", "x",
         "--user", "claims", "--json"]
    )  # fmt: skip
    data = result.data
    nomination = str(data["id"])
    review = ["blacklist", "review", nomination, "--decision", "approve", "--json"]
    assert run([*review, "--user", "supervisor"]).code == 0
    result = run([*review, "--user", "supervisor2"])
    code, data, err = result.code, result.data, result.err
    assert code == 1 and data["error"]["code"] == "already_reviewed"
    result = run(["blacklist", "review", nomination, "--decision", "maybe", "--user", "supervisor"])
    code, data = result.code, result.data
    assert code == 2  # usage error: argparse refuses the choice


def test_classify_json_counts_and_changes(cli, run) -> None:
    make_customer(cli["services"], "游离")
    result = run(["classify", "--user", "manager", "--json"])
    code, data = result.code, result.data
    assert code == 0 and data["status"] == "done" and data["customers"] == 2
    assert data["counts"] == {
        "floating": 1,
        "prospect": 0,
        "standard": 1,
        "quality": 0,
        "key": 0,
        "blacklist": 0,
    }
    assert sorted(data["transitions"], key=lambda t: t["to"]) == [
        {"from": None, "to": "floating", "count": 1},
        {"from": None, "to": "standard", "count": 1},
    ]
    result = run(["classify", "--user", "manager", "--json"])
    code, data = result.code, result.data
    assert data["changes"] == 0 and data["transitions"] == []
    result = run(["classify", "--user", "claims", "--json"])
    code, data, err = result.code, result.data, result.err
    assert code == 1 and data["error"]["code"] == "wrong_role" and "classification.run" in err
    result = run(["classify", "--as-of", "2026-13-01", "--user", "manager", "--json"])
    code, data, err = result.code, result.data, result.err
    assert code == 2 and "usage: tui-crm classify" in err and "2026-13-01" in err
    result = run(["classes", "explain", str(cli["customer"]), "--user", "claims", "--json"])
    code, data = result.code, result.data
    assert data["customer_class"] == "standard" and data["blacklist_candidate"]
    assert [r["code"] for r in data["reasons"]][:2] == ["in_force", "candidate_claims"]
