"""Rate tables as data, on both databases: seeded with their sources, effective-dated
edits that apply only from their date, audited, imports all-or-nothing, ceilings kept."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from tests.factories import make_user
from tui_crm.services.core.errors import Forbidden, ValidationFailed
from tui_crm.services.premium.rate_tables import ImportRefused
from tui_crm.services.setup.seed import seed_reference_data
from tui_crm.storage.models import AuditLog, RateTable

FAMILY = {"use": "family", "seats": "5", "displacement": "1.6"}


def test_seeded_tables_cite_their_source_and_seeding_is_idempotent(services) -> None:
    admin = make_user(services, "root", "admin")
    before = services.rate_tables.versions(admin)
    seed_reference_data(services.database)
    after = services.rate_tables.versions(admin)
    assert len(before) == len(after) >= 11
    assert all(v.source and v.entries for v in after)
    codes = {(v.code, v.region) for v in after}
    assert {
        ("ctpl_base", "national"),
        ("ctpl_floating", "zhejiang"),
        ("ctpl_floating", "national"),
        ("vehicle_tax", "zhejiang"),
        ("ncd", "national"),
        ("commercial_base", "national"),
        ("depreciation", "national"),
        ("commercial_params", "zhejiang"),
    } <= codes


def test_a_change_applies_only_from_its_effective_date(services) -> None:
    admin = make_user(services, "root", "admin")
    clerk = make_user(services, "clerk", "counter")
    version = services.rate_tables.set_entry(
        admin,
        code="ctpl_base",
        region="national",
        key="family:seats:[1~6)",
        value="1000",
        effective_from="2027-01-01",
    )
    assert version.effective_from == date(2027, 1, 1) and version.entries == 39
    before = services.premium.quote(clerk, {**FAMILY, "start": "2026-12-31"})
    on_day = services.premium.quote(clerk, {**FAMILY, "start": "2027-01-01"})
    assert before.ctpl.base == Decimal("950.00") and on_day.ctpl.base == Decimal("1000.00")
    # the other rows were carried into the new version unchanged
    seven = services.premium.quote(clerk, {**FAMILY, "seats": "7", "start": "2027-01-01"})
    assert seven.ctpl.base == Decimal("1100.00")
    rows = (
        services.database.session()
        .exec(select(AuditLog).where(AuditLog.action == "rate_table.edit"))
        .all()
    )
    assert len(rows) == 1 and rows[0].actor_username == "root"
    assert '"value": "950"' in (rows[0].before or "") and '"value": "1000"' in (rows[0].after or "")


def test_a_later_edit_on_the_same_date_changes_that_version(services) -> None:
    admin = make_user(services, "root", "admin")
    first = services.rate_tables.set_entry(
        admin,
        code="ncd",
        region="national",
        key="level:-4",
        value="0.45",
        effective_from="2027-03-01",
    )
    second = services.rate_tables.set_entry(
        admin,
        code="ncd",
        region="national",
        key="level:-3",
        value="0.55",
        effective_from="2027-03-01",
    )
    assert first.id == second.id
    entries = {e.key: e.value for e in services.rate_tables.entries(admin, second.id)}
    assert entries["level:-4"] == Decimal("0.45") and entries["level:-3"] == Decimal("0.55")


def test_versions_in_force_are_never_changed(services) -> None:
    admin = make_user(services, "root", "admin")
    with pytest.raises(ValidationFailed) as caught:
        services.rate_tables.set_entry(
            admin,
            code="ctpl_base",
            region="national",
            key="family:seats:[1~6)",
            value="1000",
            effective_from="2020-01-01",
        )
    assert caught.value.field == "effective_from"


def test_loading_cannot_exceed_its_ceiling(services) -> None:
    admin = make_user(services, "root", "admin")
    with pytest.raises(ValidationFailed) as caught:
        services.rate_tables.set_entry(
            admin,
            code="commercial_params",
            region="zhejiang",
            key="loading",
            value="0.30",
            effective_from="2027-01-01",
        )
    assert (caught.value.field, caught.value.message) == ("value", "附加费用率不能超过上限 0.25")
    lower = services.rate_tables.set_entry(
        admin,
        code="commercial_params",
        region="zhejiang",
        key="loading",
        value="0.20",
        effective_from="2027-01-01",
    )
    clerk = make_user(services, "clerk", "counter")
    item = services.premium.quote(
        clerk,
        {**FAMILY, "start": "2027-02-01", "ncd_level": "0", "coverage": ["third_party:1000000"]},
    ).commercial[0]
    assert lower.entries == 4 and item.base_premium == Decimal("875.00")  # 700 / 0.80


def test_only_administrators_edit_tables(services) -> None:
    clerk = make_user(services, "clerk", "counter")
    with pytest.raises(Forbidden):
        services.rate_tables.set_entry(
            clerk,
            code="ncd",
            region="national",
            key="level:0",
            value="1",
            effective_from="2027-01-01",
        )


def test_importing_a_regional_tractor_rate_makes_tractors_quotable(services) -> None:
    admin = make_user(services, "root", "admin")
    clerk = make_user(services, "clerk", "counter")
    tractor = {"use": "tractor", "start": "2027-01-10", "power_kw": "12"}
    assert services.premium.trial(clerk, tractor).errors[0].field == "use"
    services.rate_tables.import_version(
        admin,
        code="ctpl_base",
        region="zhejiang",
        effective_from="2027-01-01",
        source="保监产险〔2007〕53号 浙江拖拉机费率（测试）",
        rows=[
            {"key": "tractor:kw:(0~14.7]", "label": "拖拉机 14.7kW及以下", "value": "100"},
            {"key": "tractor:kw:(14.7~)", "label": "拖拉机 14.7kW以上", "value": "210"},
        ],
    )
    result = services.premium.quote(clerk, tractor)
    assert (result.ctpl.base, result.tax.amount) == (Decimal("100.00"), Decimal("0.00"))
    assert services.premium.quote(clerk, {**tractor, "power_kw": "14.7"}).ctpl.base == Decimal(
        "100.00"
    )
    assert services.premium.quote(clerk, {**tractor, "power_kw": "14.8"}).ctpl.base == Decimal(
        "210.00"
    )
    assert services.premium.trial(clerk, {**tractor, "power_kw": ""}).errors[0].field == "power_kw"
    # family cars in Zhejiang still read the national base premiums
    assert services.premium.quote(clerk, {**FAMILY, "start": "2027-01-10"}).ctpl.base == Decimal(
        "950.00"
    )


def test_an_import_with_bad_rows_is_refused_whole(services) -> None:
    admin = make_user(services, "root", "admin")
    count = len(services.database.session().exec(select(RateTable)).all())
    with pytest.raises(ImportRefused) as caught:
        services.rate_tables.import_version(
            admin,
            code="ctpl_floating",
            region="beijing",
            effective_from="2027-01-01",
            source="test",
            rows=[
                {"key": "A1", "value": "-0.30"},
                {"key": "A2", "value": "abc"},
                {"key": "A1", "value": "-0.4"},
                {"key": "bad key", "value": "1"},
                {"key": "A6", "value": "-1.5"},
            ],
        )
    assert [(e.row, e.field) for e in caught.value.row_errors] == [
        (3, "value"),
        (4, "key"),
        (5, "key"),
        (6, "value"),
    ]
    assert caught.value.message == "第 3 行：请输入数字"
    assert len(services.database.session().exec(select(RateTable)).all()) == count


def test_another_regions_scheme_is_data(services) -> None:
    admin = make_user(services, "root", "admin")
    clerk = make_user(services, "clerk", "counter")
    scheme_a = [
        ("A0", "0"),
        ("A1", "-0.30"),
        ("A2", "-0.40"),
        ("A3", "-0.50"),
        ("A4", "0"),
        ("A5", "0.10"),
        ("A6", "0.30"),
    ]
    services.rate_tables.import_version(
        admin,
        code="ctpl_floating",
        region="xizang",
        effective_from="2027-01-01",
        source="方案A（测试）",
        rows=[{"key": k, "value": v} for k, v in scheme_a],
    )
    services.rate_tables.import_version(
        admin,
        code="vehicle_tax",
        region="xizang",
        effective_from="2027-01-01",
        source="test",
        rows=[{"key": "car:litres:(0~)", "value": "200"}],
    )
    result = services.premium.quote(
        clerk, {**FAMILY, "region": "xizang", "start": "2027-02-01", "claim_free_years": "3"}
    )
    assert (result.ctpl.level, result.ctpl.premium, result.tax.amount) == (
        "A3",
        Decimal("475.00"),
        Decimal("200.00"),
    )
    unknown = services.premium.trial(clerk, {**FAMILY, "region": "mars"})
    assert unknown.errors[0].field == "region"
