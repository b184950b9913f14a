"""`tui-crm campaign`: build from a file of ids, preview, skipped, queue, progress."""

from tests.campaigns.book import crowd
from tests.cli.runner import run_cli
from tests.factories import make_user


def test_build_queue_and_follow_a_campaign(cli_services, tmp_path, capsys) -> None:
    make_user(cli_services, "am", "account_manager")
    ids = crowd(cli_services, 6, opted_out={2})
    listing = tmp_path / "ids.txt"
    listing.write_text("\n".join(map(str, ids)) + "\n", encoding="utf-8")
    argv = ["campaign", "build", "--name", "回馈", "--template", "offer", "--value", "offer=礼品"]
    built = run_cli(capsys, [*argv, "--customers", str(listing), "--user", "am", "--json"])
    assert built.code == 0, built.err
    preview = built.json
    assert (preview["to_send"], preview["skipped"], len(preview["samples"])) == (
        5,
        {"opted_out": 1},
        3,
    )
    cid = str(preview["id"])
    skipped = run_cli(capsys, ["campaign", "skipped", cid, "--user", "am", "--json"]).json
    assert skipped == [{"customer_id": ids[2], "customer_name": "群发00002", "reason": "opted_out"}]
    queued = run_cli(capsys, ["campaign", "queue", cid, "--user", "am", "--json"]).json
    assert queued["by_status"] == {"queued": 5}
    again = run_cli(capsys, ["campaign", "queue", cid, "--user", "am", "--json"])
    assert again.code == 1 and again.json["error"]["field"] == "campaign"
    text = run_cli(capsys, ["campaign", "preview", cid, "--user", "am"])
    assert "已退订: 1" in text.out


def test_a_bad_list_is_refused(cli_services, tmp_path, capsys) -> None:
    make_user(cli_services, "am", "account_manager")
    listing = tmp_path / "ids.txt"
    listing.write_text("12\nabc\n", encoding="utf-8")
    argv = ["campaign", "build", "--name", "x", "--template", "offer", "--customers", str(listing)]
    result = run_cli(capsys, [*argv, "--user", "am", "--json"])
    assert result.code == 1 and result.json["error"]["field"] == "customers"
    assert "abc" in result.err
