"""`tui-crm customer assign|handover|managers` through the real entry point."""

from sqlmodel import select

from tests.factories import make_customer, make_user
from tui_crm.cli.cmd_assign import RULES as CLI_RULES
from tui_crm.services.assignment import RULES
from tui_crm.storage.models import Customer


def test_handover_and_assign(run, cli_services):
    leaver = make_user(cli_services, "am_old", "account_manager")
    make_user(cli_services, "am_a", "account_manager")
    make_user(cli_services, "am_b", "account_manager")
    make_user(cli_services, "mgr", "manager", "3304")
    ids = [make_customer(cli_services, f"客户{i}", account_manager_id=leaver.id) for i in range(4)]

    listed = run(["customer", "managers", "--user", "mgr", "--json"])
    assert listed.json[0]["username"] == "am_old" and listed.json[0]["customers"] == 4

    dry = run(["customer", "handover", "--from", "am_old", "--to", "am_a", "--to", "am_b",
               "--dry-run", "--user", "mgr", "--json"])  # fmt: skip
    assert dry.code == 0 and dry.json["by_taker"] == {"am_a": 2, "am_b": 2}
    done = run(["customer", "handover", "--from", "am_old", "--to", "am_a", "--to", "am_b",
                "--user", "mgr", "--json"])  # fmt: skip
    assert done.code == 0 and done.json["moved"] == 4 and not done.json["dry_run"]
    with cli_services.database.session() as session:
        managers = session.exec(select(Customer.account_manager_id)).all()
    assert leaver.id not in managers

    one = run(["customer", "assign", str(ids[0]), "--to", "am_b", "--user", "mgr", "--json"])
    assert one.code == 0 and one.json == {"id": ids[0], "account_manager": "am_b"}
    refused = run(["customer", "assign", str(ids[0]), "--to", "nobody", "--user", "mgr", "--json"])
    assert refused.code == 1 and refused.json["error"]["field"] == "to"
    bad_rule = run(["customer", "handover", "--from", "am_a", "--to", "am_b", "--rule", "x",
                    "--user", "mgr"])  # fmt: skip
    assert bad_rule.code == 2


def test_cli_offers_the_service_rules():
    assert CLI_RULES == RULES
