"""`init` on an empty database, `unit import`, `import`, `import-batch` and `nightly`
through the real entry point."""

from sqlmodel import select

from tests.factories import make_user
from tests.imports.night import write_night
from tui_crm.storage.db import Database
from tui_crm.storage.models import AuditLog, OrgUnit, StaffUser


def test_init_makes_the_first_administrator_and_refuses_a_second_time(run, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "first-pass-1")
    done = run(["init", "--admin", "root", "--unit", "330402", "--json"])
    assert done.code == 0, done.err
    assert done.json == {"admin": "root", "unit_code": "330402", "unit_name": "南湖支公司"}
    assert run(["whoami", "--user", "root", "--json"]).json["role"] == "admin"
    again = run(["init", "--admin", "other"])
    assert again.code == 1 and "已有用户" in again.err
    database = Database.from_url(url)
    with database.session() as session:
        assert [u.username for u in session.exec(select(StaffUser)).all()] == ["root"]
        assert session.exec(select(AuditLog.action).where(AuditLog.action == "init")).all()
    database.dispose()


def test_init_refuses_a_short_password(run, tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "short")
    refused = run(["init", "--admin", "root"])
    assert refused.code == 1 and "8" in refused.err


def test_unit_import_adds_and_renames_units(run, cli_services, tmp_path):
    make_user(cli_services, "admin", "admin", "3304")
    file = tmp_path / "units.csv"
    file.write_text(
        "code,name,level,parent_code\n3304,嘉兴市中心支公司,centre,\n"
        "330402-09,南湖新区营销服务部,department,330402\n",
        encoding="utf-8",
    )
    done = run(["unit", "import", str(file), "--user", "admin", "--json"])
    assert done.json == {"read": 2, "inserted": 1, "updated": 1, "unchanged": 0}
    with cli_services.database.session() as session:
        unit = session.exec(select(OrgUnit).where(OrgUnit.code == "330402-09")).one()
        assert unit.path == "3304/330402/330402-09/"
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent_code\nX1,某,centre,NOPE\n", encoding="utf-8")
    refused = run(["unit", "import", str(bad), "--user", "admin"])
    assert refused.code == 1 and "第 2 行" in refused.err


def test_import_prints_the_batch_and_exits_1_on_rejects(run, cli_services, tmp_path):
    make_user(cli_services, "admin", "admin", "3304")
    night = write_night(tmp_path / "night")
    done = run(["import", "customers", str(night / "customers.csv"), "--user", "admin", "--json"])
    assert done.code == 1
    data = done.json
    assert set(data) == {
        "batch_id", "kind", "read", "inserted", "updated", "unchanged", "rejected",
        "rejects_file", "seconds",
    }  # fmt: skip
    assert (data["kind"], data["read"], data["inserted"], data["rejected"]) == (
        "customers",
        7,
        4,
        3,
    )
    assert data["rejects_file"].endswith("customers.rejects.csv")
    assert "备注" in done.err  # the unknown column, reported once
    wrong = run(["import", "claims", str(night / "customers.csv"), "--user", "admin"])
    assert wrong.code == 1 and "customers" in wrong.err


def test_nightly_imports_refreshes_classifies_and_reports_rejects(run, cli_services, tmp_path):
    make_user(cli_services, "admin", "admin", "3304")
    night = write_night(tmp_path / "night")
    done = run(["nightly", str(night), "--profile", "core_zh", "--user", "admin", "--json"])
    assert done.code == 1  # rows were rejected
    data = done.json
    assert [i["kind"] for i in data["imports"]] == [
        "customers", "vehicles", "policies", "claims", "receivables",
    ]  # fmt: skip
    assert data["rejected"] == 9 and data["refresh"] in ("incremental", "rebuilt")
    assert data["classification"]["status"] == "done"
    assert data["classification"]["customers"] == 4
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "receivables.csv").write_text(
        (night / "receivables.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    ok = run(["import-batch", str(clean), "--user", "admin", "--json"])
    assert ok.code == 0 and ok.json["ok"] and ok.json["imports"][0]["unchanged"] == 2
