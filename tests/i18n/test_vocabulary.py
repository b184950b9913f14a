"""Every code the product stores or shows has its words in both languages, in one place."""

import csv
import json
import re
from pathlib import Path

import pytest

from tui_crm import domain
from tui_crm.i18n import set_language
from tui_crm.i18n.vocabulary import VOCABULARIES, label, labels

FIXTURES = Path(__file__).resolve().parents[2] / "tui_crm" / "fixtures"
CJK = re.compile(r"[\u4e00-\u9fff]")

ENUMS = {
    "unit_level": domain.UnitLevel,
    "role": domain.Role,
    "customer_kind": domain.CustomerKind,
    "customer_class": domain.CustomerClass,
    "id_type": domain.IdType,
    "contact_kind": domain.ContactKind,
    "relation": domain.RelationKind,
    "vehicle_use": domain.VehicleUse,
    "fuel": domain.Fuel,
    "channel": domain.Channel,
    "intermediary_kind": domain.IntermediaryKind,
    "policy_status": domain.PolicyStatus,
    "claim_status": domain.ClaimStatus,
    "nomination_status": domain.NominationStatus,
    "blacklist_reason": domain.BlacklistReason,
    "service_kind": domain.ServiceKind,
    "customer_source": domain.CustomerSource,
    "prospect_fact": domain.ProspectFactKind,
}


@pytest.mark.parametrize("kind", sorted(ENUMS))
def test_every_domain_code_has_words(kind: str) -> None:
    codes = {member.value for member in ENUMS[kind]}
    assert codes <= set(VOCABULARIES[kind]), codes - set(VOCABULARIES[kind])


def _csv(name: str, column: str) -> set[str]:
    with open(FIXTURES / name, encoding="utf-8") as file:
        return {row[column] for row in csv.DictReader(file)}


def test_fixture_and_demo_codes_have_words() -> None:
    from tui_crm.services.demo.claims import DESCRIPTIONS

    assert _csv("permissions.csv", "role") <= set(VOCABULARIES["role"])
    assert _csv("org_units.csv", "level") <= set(VOCABULARIES["unit_level"])
    with open(FIXTURES / "product_lines.csv", encoding="utf-8") as file:
        lines = {row["code"]: (row["name_zh"], row["name_en"]) for row in csv.DictReader(file)}
    assert lines == dict(VOCABULARIES["product_line"])  # the seeded table and the words agree
    assert set(DESCRIPTIONS) <= set(VOCABULARIES["cause_of_loss"])
    tables = json.loads((FIXTURES / "rates" / "tables.json").read_text(encoding="utf-8"))
    regions = {entry["region"] for entry in tables["tables"]}
    assert regions and regions <= set(VOCABULARIES["region"])


def test_coverages_of_the_trial_have_words() -> None:
    from tui_crm.widgets.trial_form import COVERAGE_FIELDS

    codes = {name.removeprefix("cov_") for name in COVERAGE_FIELDS}
    assert codes <= set(VOCABULARIES["coverage"])


@pytest.mark.parametrize("kind", sorted(VOCABULARIES))
def test_words_are_chinese_and_english(kind: str) -> None:
    for code, (zh, en) in VOCABULARIES[kind].items():
        assert zh.strip() and en.strip(), (kind, code)
        assert CJK.search(zh) or (zh.isascii() and zh[:1].isdigit()) or zh == "VIN", (kind, code)
        assert en.isascii() and not CJK.search(en), (kind, code)


def test_label_follows_the_language() -> None:
    assert label("customer_class", "floating") == "游离客户"
    assert label("customer_kind", "corporate") == "企业"
    assert labels("blacklist_reason", "fraud,other") == "欺诈倾向、其他"
    assert label("fuel", "martian") == "martian"  # an unknown code from an import: shown as is
    assert label("fuel", None) == ""
    set_language("en")
    assert label("customer_class", "floating") == "Floating"
    assert label("customer_kind", "corporate") == "Company"
    assert labels("blacklist_reason", ["fraud", "other"]) == "Fraud tendency, Other"
