"""`tui-crm adjuster …` and `tui-crm staff phone` through the real entry point."""

from sqlmodel import select

from tests.cli.runner import run_cli
from tests.factories import make_user
from tui_crm.storage.models import AdjusterShift, StaffSmsPhone, UnitServicePhone

SHIFT = ["--unit", "330402", "--from", "2026-12-01 08:00", "--to", "2026-12-01 20:00"]


def test_adjuster_commands(cli_services, capsys) -> None:
    make_user(cli_services, "boss", "supervisor")
    make_user(cli_services, "clerk", "counter")
    added = run_cli(capsys, ["adjuster", "add", "--name", "李查勘", "--phone", "13800001111",
                             *SHIFT, "--user", "boss", "--json"])  # fmt: skip
    assert added.code == 0, added.err
    assert added.json["starts_at"] == "2026-12-01T08:00:00+08:00"
    shift_id = str(added.json["id"])
    clash = run_cli(capsys, ["adjuster", "add", "--name", "李查勘", "--phone", "13800001111",
                             "--unit", "330402", "--from", "2026-12-01 19:00", "--to",
                             "2026-12-02 07:00", "--user", "boss", "--json"])  # fmt: skip
    assert clash.code == 1 and clash.json["error"]["field"] == "starts_at"
    refused = run_cli(capsys, ["adjuster", "add", "--name", "孙", "--phone", "13800002222",
                               *SHIFT, "--user", "clerk"])  # fmt: skip
    assert refused.code == 1 and "adjuster.edit" in refused.err
    bad_time = run_cli(capsys, ["adjuster", "on-duty", "--at", "2026-12-01", "--user", "clerk"])
    assert bad_time.code == 2
    edited = run_cli(capsys, ["adjuster", "edit", shift_id, "--name", "李查勘", "--phone",
                              "13800003333", *SHIFT, "--user", "boss", "--json"])  # fmt: skip
    assert edited.code == 0 and edited.json["phone"] == "13800003333"
    on = run_cli(capsys, ["adjuster", "on-duty", "--at", "2026-12-01 12:00", "--unit",
                          "330402-01", "--user", "clerk", "--json"])  # fmt: skip
    assert [s["name"] for s in on.json] == ["李查勘"]
    listed = run_cli(capsys, ["adjuster", "list", "--since", "2026-12-01", "--user", "clerk"])
    assert listed.code == 0 and "李查勘" in listed.out and "2026-12-01 08:00" in listed.out
    phone = run_cli(capsys, ["adjuster", "service-phone", "330402", "--phone", "0573-82009999",
                             "--user", "boss", "--json"])  # fmt: skip
    assert phone.json == {"unit": "330402", "phone": "057382009999"}
    removed = run_cli(capsys, ["adjuster", "remove", shift_id, "--user", "boss", "--json"])
    assert removed.json == {"id": int(shift_id), "removed": True}
    with cli_services.database.session() as session:
        assert session.exec(select(AdjusterShift)).all() == []
        assert [r.phone for r in session.exec(select(UnitServicePhone)).all()] == ["057382009999"]


def test_staff_phone_takes_the_pin_from_the_environment(cli_services, capsys, monkeypatch):
    me = make_user(cli_services, "adj", "claims")
    monkeypatch.delenv("TUI_CRM_PIN", raising=False)
    argv = ["staff", "phone", "adj", "--phone", "13912345678", "--user", "adj", "--json"]
    missing = run_cli(capsys, argv)
    assert missing.code == 1 and "TUI_CRM_PIN" in missing.err
    monkeypatch.setenv("TUI_CRM_PIN", "2468")
    done = run_cli(capsys, argv)
    assert done.code == 0 and done.json == {"user": "adj", "phone": "139****5678"}
    with cli_services.database.session() as session:
        row = session.get(StaffSmsPhone, me.id)
    assert row is not None and row.phone == "13912345678"
