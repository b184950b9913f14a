"""`tui-crm registry import|prospects|conflicts` through the real entry point."""

from tests.factories import make_user
from tests.registry.book import EXPECTED, build, write_csv, write_zh
from tui_crm.cli.cmd_registry import SORTS as CLI_SORTS
from tui_crm.services.registry import SORTS


def test_import_prospects_conflicts(run, cli_services, tmp_path):
    build(cli_services)
    make_user(cli_services, "adm", "admin", "3304")
    make_user(cli_services, "mgr", "manager", "3304")
    path = write_csv(tmp_path / "registry.csv")
    first = run(["registry", "import", str(path), "--snapshot", "2026-11-25", "--user", "adm",
                 "--json"])  # fmt: skip
    assert first.code == 0, first.err
    assert set(first.json) == {"batch_id", *EXPECTED}
    assert {k: first.json[k] for k in EXPECTED} == EXPECTED
    again = run(["registry", "import", str(path), "--snapshot", "2026-11-25", "--user", "adm",
                 "--json"])  # fmt: skip
    assert {k: again.json[k] for k in EXPECTED} == EXPECTED
    out = tmp_path / "prospects.csv"
    listed = run(["registry", "prospects", "--unit", "330411", "--sort", "owner", "--out",
                  str(out), "--user", "mgr", "--json"])  # fmt: skip
    assert listed.code == 0, listed.err
    assert {p["plate"] for p in listed.json} == {"浙F60001", "浙F60002", "浙F60003"}
    assert out.exists()
    conflicts = run(["registry", "conflicts", "--user", "mgr", "--json"])
    assert {c["kind"] for c in conflicts.json} >= {
        "vehicle_two_units",
        "prospect_insured_elsewhere",
    }
    refused = run(["registry", "import", str(path), "--user", "mgr", "--json"])
    assert refused.code == 1 and refused.json["error"]["code"] == "wrong_role"
    missing = run(["registry", "import", str(tmp_path / "nope.csv"), "--user", "adm", "--json"])
    assert missing.code == 1 and missing.json["error"]["field"] == "file"


def test_import_with_the_chinese_header_profile(run, cli_services, tmp_path):
    build(cli_services)
    make_user(cli_services, "adm", "admin", "3304")
    path = write_zh(tmp_path / "社会车辆.csv")
    refused = run(["registry", "import", str(path), "--user", "adm", "--json"])
    assert refused.code == 1 and refused.json["error"]["field"] == "file"
    done = run(["registry", "import", str(path), "--profile", "registry_zh", "--snapshot",
                "2026-11-25", "--user", "adm", "--json"])  # fmt: skip
    assert done.code == 0, done.err
    assert {k: done.json[k] for k in EXPECTED} == EXPECTED
    unknown = run(["registry", "import", str(path), "--profile", "nope", "--user", "adm"])
    assert unknown.code == 1 and "registry_zh" in unknown.err


def test_cli_sorts_follow_the_service():
    assert CLI_SORTS == SORTS
