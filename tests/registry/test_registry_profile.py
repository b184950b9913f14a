"""Registry extracts with their own headers: the shipped Chinese-header profile on a
GB18030 file, a branch's own profile file, and the refusals."""

import csv
from datetime import date

import pytest
from sqlmodel import select

from tests.factories import make_user
from tests.registry.book import EXPECTED, ROWS, build, write_zh
from tui_crm.services.core import NotFound, ValidationFailed
from tui_crm.services.registry import load_profile, shipped_profiles
from tui_crm.storage.models import RegistryRecord


@pytest.fixture
def admin(services):
    return make_user(services, "adm", "admin", "3304")


def _records(services) -> dict[str, RegistryRecord]:
    with services.database.session() as session:
        return {r.plate or r.vin: r for r in session.exec(select(RegistryRecord)).all()}


def test_chinese_headers_in_gb18030_with_the_shipped_profile(services, admin, tmp_path):
    build(services)
    path = write_zh(tmp_path / "社会车辆.csv")
    result = services.registry.import_file(admin, path, profile="registry_zh")
    assert {k: v for k, v in result.as_json().items() if k != "batch_id"} == EXPECTED
    records = _records(services)
    assert len(records) == 8
    new = records["浙F60003"]
    assert (new.use, new.make_model, new.owner_name) == ("truck", "大众 朗逸 1.5L", "孙六")
    assert new.registration_date == date(2024, 11, 30)
    assert records["浙F22222"].matched_on == "plate" and records["浙F22222"].status == "lapsed"
    assert records["浙F11111"].use == "family"
    again = services.registry.import_file(admin, path, profile="registry_zh")
    assert again.changed == 0


def test_without_the_profile_the_chinese_file_is_refused_naming_the_columns(
    services, admin, tmp_path
):
    path = write_zh(tmp_path / "社会车辆.csv")
    with pytest.raises(ValidationFailed) as refused:
        services.registry.import_file(admin, path)
    assert "plate" in refused.value.message and refused.value.field == "file"
    with pytest.raises(ValidationFailed) as named:
        services.registry.import_rows(
            admin, [{"号牌号码": "浙F1"}], name="x", profile=load_profile("registry_zh")
        )
    assert "号牌号码" in named.value.message and "车辆识别代号" in named.value.message
    assert _records(services) == {}


def test_a_branch_profile_file(services, admin, tmp_path):
    build(services)
    profile = tmp_path / "jiaxing.toml"
    profile.write_text(
        'name = "jiaxing"\n[headers]\n"HPHM" = "plate"\n"CLSBDH" = "vin"\n"SYR" = "owner_name"\n'
        '"SFZMHM" = "owner_id"\n"CCDJRQ" = "registration_date"\n"SYXZ" = "use"\n'
        '"XZQH" = "district_code"\n[values.use]\n"A" = "family"\n"H" = "truck"\n',
        encoding="utf-8",
    )
    path = tmp_path / "jx.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["HPHM", "CLSBDH", "SYR", "SFZMHM", "CCDJRQ", "SYXZ", "XZQH"])
        for plate, vin, name, owner, registered, use, district in ROWS:
            code = "A" if use == "family" else "H"
            writer.writerow([plate, vin, name, owner, registered.replace("-", ""), code,
                             district])  # fmt: skip
    result = services.registry.import_file(admin, path, profile=str(profile))
    assert {k: v for k, v in result.as_json().items() if k != "batch_id"} == EXPECTED
    assert _records(services)["浙F60003"].use == "truck"


def test_unknown_missing_or_malformed_profiles_are_refused(services, admin, tmp_path):
    path = write_zh(tmp_path / "社会车辆.csv")
    with pytest.raises(NotFound) as unknown:
        services.registry.import_file(admin, path, profile="nope")
    assert "registry_zh" in unknown.value.message and unknown.value.field == "profile"
    with pytest.raises(NotFound):
        services.registry.import_file(admin, path, profile=str(tmp_path / "none.toml"))
    bad = tmp_path / "bad.toml"
    bad.write_text("[headers\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as malformed:
        services.registry.import_file(admin, path, profile=str(bad))
    assert malformed.value.field == "profile"
    assert "registry_zh" in shipped_profiles()
    assert _records(services) == {}
