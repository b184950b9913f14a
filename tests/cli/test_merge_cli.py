"""`tui-crm customer duplicates|merge|unmerge` through the real entry point."""

from sqlmodel import select

from tests.duplicates.book import build, snapshot
from tests.factories import make_user
from tui_crm.cli.cmd_merge import MERGE_FIELDS as CLI_FIELDS
from tui_crm.services.duplicates import MERGE_FIELDS
from tui_crm.storage.models import CustomerMerge

SIGN_INS = frozenset({"staff_user"})  # each CLI call signs in: last sign-in changes


def test_duplicates_merge_unmerge(run, cli_services):
    book = build(cli_services)
    make_user(cli_services, "sup", "supervisor", "330402")
    listed = run(["customer", "duplicates", "--unit", "330402", "--user", "sup", "--json"])
    assert listed.code == 0
    pairs = {tuple(c["id"] for c in p["customers"]): p for p in listed.json}
    assert pairs[(book.old, book.new)]["reasons"] == ["id_15_18"]
    assert pairs[(book.old, book.new)]["score"] == 95
    assert all("*" in (c["id_number_masked"] or "*") for p in listed.json for c in p["customers"])

    before = snapshot(cli_services, SIGN_INS)
    merged = run(
        [
            "customer",
            "merge",
            str(book.new),
            str(book.old),
            "--take",
            "note",
            "--user",
            "sup",
            "--json",
        ]
    )
    assert merged.code == 0, merged.err
    assert merged.json["moved"]["policy.customer_id"] == 1
    with cli_services.database.session() as session:
        assert session.exec(select(CustomerMerge.merged_id)).all() == [book.old]

    again = run(["customer", "merge", str(book.birth_a), str(book.old), "--user", "sup", "--json"])
    assert again.code == 1 and again.json["error"]["code"] == "already_merged"

    undone = run(["customer", "unmerge", str(book.old), "--user", "sup", "--json"])
    assert undone.code == 0, undone.err
    assert snapshot(cli_services, SIGN_INS) == before


def test_merge_refusals(run, cli_services):
    book = build(cli_services)
    make_user(cli_services, "ctr", "counter", "330402")
    refused = run(["customer", "merge", str(book.new), str(book.old), "--user", "ctr", "--json"])
    assert refused.code == 1 and refused.json["error"]["code"] == "wrong_role"
    bad = run(["customer", "merge", "1", "2", "--take", "colour", "--user", "ctr"])
    assert bad.code == 2


def test_cli_offers_the_service_fields():
    assert CLI_FIELDS == MERGE_FIELDS
