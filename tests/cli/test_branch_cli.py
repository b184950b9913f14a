"""`tui-crm intermediary|permission|disaster` through the real entry point."""

from tests.factories import make_user
from tui_crm.cli.cmd_disaster import KINDS as CLI_DISASTER_KINDS
from tui_crm.cli.cmd_intermediary import KINDS as CLI_INTERMEDIARY_KINDS
from tui_crm.cli.cmd_permission import ROLES
from tui_crm.domain import IntermediaryKind, Role
from tui_crm.services.disasters import KINDS


def test_intermediary_save_and_list(run, cli_services):
    make_user(cli_services, "mgr", "manager", "3304")
    saved = run(["intermediary", "save", "AG-001", "--name", "嘉兴代理", "--kind", "agency",
                 "--unit", "330402", "--commission-rate", "0.15",
                 "--user", "mgr", "--json"])  # fmt: skip
    assert saved.code == 0, saved.err
    assert saved.json["commission_rate"] == "0.15"
    listed = run(["intermediary", "list", "--user", "mgr", "--json"])
    assert [r["code"] for r in listed.json] == ["AG-001"]
    bad = run(["intermediary", "save", "AG-002", "--name", "x", "--kind", "broker", "--unit",
               "330402", "--commission-rate", "15", "--user", "mgr", "--json"])  # fmt: skip
    assert bad.code == 1 and bad.json["error"]["field"] == "commission_rate"


def test_permission_grant_revoke(run, cli_services):
    make_user(cli_services, "adm", "admin", "3304")
    granted = run(["permission", "grant", "supervisor", "customer.assign", "--user", "adm",
                   "--json"])  # fmt: skip
    assert granted.code == 0 and granted.json["granted"] is True
    listed = run(["permission", "list", "--user", "adm", "--json"])
    assert "customer.assign" in listed.json["roles"]["supervisor"]
    again = run(["permission", "grant", "supervisor", "customer.assign", "--user", "adm"])
    assert again.code == 1
    revoked = run(["permission", "revoke", "supervisor", "customer.assign", "--user", "adm"])
    assert revoked.code == 0
    make_user(cli_services, "mgr", "manager", "3304")
    refused = run(["permission", "list", "--user", "mgr", "--json"])
    assert refused.code == 1 and refused.json["error"]["code"] == "wrong_role"


def test_disaster_add_list_affected(run, cli_services):
    make_user(cli_services, "mgr", "manager", "3304")
    added = run(["disaster", "add", "--name", "台风", "--kind", "typhoon", "--start",
                 "2026-07-25", "--end", "2026-07-27", "--district", "330402", "--district",
                 "330411", "--user", "mgr", "--json"])  # fmt: skip
    assert added.code == 0, added.err
    assert added.json["districts"] == ["330402", "330411"]
    listed = run(["disaster", "list", "--user", "mgr", "--json"])
    assert listed.json[0]["start_date"] == "2026-07-25"
    edited = run(["disaster", "edit", str(added.json["id"]), "--name", "台风", "--kind",
                  "typhoon", "--start", "2026-07-25", "--end", "2026-07-24", "--district",
                  "330402", "--user", "mgr", "--json"])  # fmt: skip
    assert edited.code == 1 and edited.json["error"]["field"] == "end_date"
    affected = run(["disaster", "affected", str(added.json["id"]), "--user", "mgr", "--json"])
    assert affected.code == 0 and affected.json == []


def test_cli_choices_follow_the_services():
    assert CLI_DISASTER_KINDS == KINDS
    assert set(CLI_INTERMEDIARY_KINDS) == set(IntermediaryKind)
    assert set(ROLES) == set(Role)


def test_policy_marks(run, cli_services):
    from datetime import date

    from tests.factories import make_customer, make_policy
    from tui_crm.storage.models import Policy

    make_user(cli_services, "uw", "underwriter")
    policy_id = make_policy(cli_services, make_customer(cli_services, "孙七"), date(2026, 3, 1))
    with cli_services.database.session() as session:
        policy_no = session.get(Policy, policy_id).policy_no
    done = run(["policy", "marks", policy_no, "--surplus", "yes", "--reinsurance-share", "0.3",
                "--user", "uw", "--json"])  # fmt: skip
    assert done.code == 0, done.err
    assert done.json["surplus_reinsurance"] is True and done.json["reinsurance_share"] == "0.3"
    nothing = run(["policy", "marks", policy_no, "--user", "uw", "--json"])
    assert nothing.code == 1 and nothing.json["error"]["field"] == "marks"
