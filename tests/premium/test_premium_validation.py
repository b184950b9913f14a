"""Each invalid trial input: its message, and the field it is shown next to; and the CLI
contract of `tui-crm quote` (JSON fields, exit 1 with the reason and field)."""

import json
from decimal import Decimal

import pytest

from tests.cli.runner import run_cli
from tests.factories import TODAY, make_user
from tui_crm.i18n import set_language
from tui_crm.services.container import make_services
from tui_crm.services.core.clock import FixedClock
from tui_crm.services.core.errors import Forbidden
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.db import Database

CAR = {"use": "family", "seats": "5", "displacement": "1.6", "start": "2027-01-10"}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    db = Database.from_url(f"sqlite:///{tmp_path_factory.mktemp('val') / 'p.db'}")
    ensure_ready(db)
    services = make_services(db, clock=FixedClock(TODAY), fast_hash=True)
    yield services, make_user(services, "quoter", "counter")
    db.dispose()


INVALID = [
    ({"use": "lorry"}, "use", "未知车辆使用性质“lorry”"),
    ({"seats": "abc"}, "seats", "请输入整数"),
    ({"seats": "5.5"}, "seats", "请输入整数"),
    ({"seats": "0"}, "seats", "应在 1 到 99 之间"),
    ({"seats": "12"}, "seats", "家庭自用汽车没有 12座 的费率档（费率表覆盖 1–9座）"),
    ({"seats": ""}, "seats", "家庭自用汽车需要填写此项"),
    ({"displacement": ""}, "displacement", "乘用车需要填写此项"),
    ({"displacement": "-1"}, "displacement", "应大于 0"),
    ({"displacement": "25"}, "displacement", "不能超过 20"),
    ({"start": "2026-11-24"}, "start", "保险起期不能早于今天（2026-11-25）"),
    ({"start": "2026/13/01"}, "start", "日期格式应为 YYYY-MM-DD"),
    ({"first_registration": "2027-01-11"}, "first_registration", "初次登记日期晚于保险起期"),
    (
        {"first_registration": "2026-11-01", "start": "2026-11-25", "purchase_date": "2026-11-30"},
        "purchase_date",
        "购置日期晚于保险起期",
    ),
    (
        {"claim_free_years": "2", "at_fault_claims": "1"},
        "claim_free_years",
        "上年有有责事故时连续无赔款年数应为 0",
    ),
    ({"claim_free_years": "-1"}, "claim_free_years", "应在 0 到 99 之间"),
    (
        {"fatal": "1", "claim_free_years": "1"},
        "fatal",
        "上年发生有责死亡事故时连续无赔款年数应为 0",
    ),
    ({"ncd_level": "-5"}, "ncd_level", "NCD 等级应在 -4 到 +5 之间"),
    ({"self_pricing": "1.6"}, "self_pricing", "自主定价系数应在 0.5 到 1.5 之间"),
    ({"self_pricing": "x"}, "self_pricing", "请输入数字"),
    (
        {"new_energy": "1", "energy_saving": "1"},
        "energy_saving",
        "新能源车免征车船税，不能同时选择节能车减半",
    ),
    ({"trailer": "1"}, "trailer", "挂车只能按非营业货车或营业货车录入"),
    ({"region": "mars"}, "region", "未知地区“mars”（没有该地区的费率表）"),
    (
        {"use": "tractor"},
        "use",
        "地区“zhejiang”尚未录入拖拉机交强险费率（保监产险〔2007〕53号，由管理员录入）",
    ),
    ({"use": "truck"}, "tonnage", "非营业货车需要填写此项"),
    (
        {"use": "truck", "tonnage": "3"},
        "curb_weight",
        "货车、挂车和专用作业车按整备质量计税，请填写整备质量（吨）",
    ),
    ({"use": "special", "curb_weight": "3"}, "special_class", "请填写特种车类别 1–4"),
    (
        {"use": "special", "special_class": "5", "curb_weight": "3"},
        "special_class",
        "应在 1 到 4 之间",
    ),
    ({"use": "motorcycle"}, "engine_cc", "摩托车需要填写此项"),
    ({"coverage": ["damage"]}, "new_car_price", "车损险按新车购置价计算实际价值，请填写新车购置价"),
    ({"coverage": ["glass"]}, "coverage", "未知险别“glass”"),
    ({"coverage": ["third_party"]}, "coverage", "请填写“third_party”的限额，如 third_party:10000"),
    ({"new_car_price": "0"}, "new_car_price", "应大于 0"),
]


def test_a_car_registered_after_today_up_to_the_start_is_quoted(book) -> None:
    """A new car is insured (交强险 first) before it is registered: a first registration
    after today but not after the start is accepted, and 车船税 counts from its month."""
    services, actor = book
    new_car = {**CAR, "start": "2026-12-15", "first_registration": "2026-12-10"}
    outcome = services.premium.trial(actor, new_car)
    assert outcome.errors == [] and outcome.result is not None
    assert outcome.result.tax.months == 1  # December only
    assert outcome.result.tax.amount == Decimal("25.00")  # 300 × 1 / 12


@pytest.mark.parametrize(("values", "field", "message"), INVALID)
def test_each_invalid_input_is_named_with_its_message(book, values, field, message) -> None:
    services, actor = book
    outcome = services.premium.trial(actor, {**CAR, **values})
    assert outcome.result is None
    named = {e.field: e.message for e in outcome.errors}
    assert field in named, outcome.errors
    assert named[field].startswith(message)


def test_several_problems_are_all_reported(book) -> None:
    services, actor = book
    outcome = services.premium.trial(
        actor, {**CAR, "seats": "12", "self_pricing": "3", "start": "2020-01-01"}
    )
    assert {e.field for e in outcome.errors} == {"seats", "self_pricing", "start"}


def test_english_messages(book) -> None:
    services, actor = book
    set_language("en")
    outcome = services.premium.trial(actor, {**CAR, "self_pricing": "1.6"})
    assert outcome.errors[0].message == "The self-pricing coefficient must be 0.5–1.5"


def test_roles_without_quote_are_refused(book) -> None:
    services, _ = book
    claims = make_user(services, "claimsman", "claims")
    with pytest.raises(Forbidden):
        services.premium.trial(claims, CAR)


# --- the CLI ---------------------------------------------------------------------------
@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    db = Database.from_url(f"sqlite:///{tmp_path / 'cli.db'}")
    ensure_ready(db)
    make_user(make_services(db, fast_hash=True), "counter", "counter")
    db.dispose()
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")


def test_cli_quote_json_fields(cli_env, capsys) -> None:
    code, out, _ = run_cli(
        capsys,
        [
            "quote",
            "--user",
            "counter",
            "--use",
            "family",
            "--seats",
            "5",
            "--displacement",
            "2.0",
            "--start",
            "2030-03-01",
            "--claim-free-years",
            "1",
            "--coverage",
            "third_party:1000000",
            "--coverage",
            "driver:10000",
            "--self-pricing",
            "0.9",
            "--json",
        ],
    )
    assert code == 0
    data = json.loads(out)
    assert (data["ctpl_base"], data["ctpl_level"], data["ctpl_factor"], data["ctpl_premium"]) == (
        "950.00",
        "A1",
        "0.90",
        "855.00",
    )
    assert data["vehicle_tax"] == "360.00"
    tp = data["commercial"][0]
    assert set(tp) >= {
        "coverage",
        "base_pure_premium",
        "loading",
        "ncd_level",
        "ncd_factor",
        "self_pricing",
        "premium",
    }
    # 933.33 × 0.8 × 0.9 = 671.9976 → 672.00; driver 40.00 × 0.72 = 28.80
    assert (
        tp["coverage"],
        tp["ncd_level"],
        tp["ncd_factor"],
        tp["self_pricing"],
        tp["premium"],
    ) == ("third_party", -1, "0.80", "0.90", "672.00")
    assert data["commercial"][1]["premium"] == "28.80"
    assert data["total"] == "1915.80"  # 855 + 360 + 672 + 28.80


def test_cli_quote_invalid_input_exits_1_with_field(cli_env, capsys) -> None:
    code, out, err = run_cli(
        capsys,
        [
            "quote",
            "--user",
            "counter",
            "--use",
            "family",
            "--seats",
            "12",
            "--displacement",
            "1.6",
            "--json",
        ],
    )
    assert code == 1
    assert json.loads(out) == {
        "error": {
            "code": "invalid",
            "field": "seats",
            "message": "--seats: 家庭自用汽车没有 12座 的费率档（费率表覆盖 1–9座）",
        }
    }
    assert "--seats" in err
    code, _, err = run_cli(
        capsys,
        [
            "quote",
            "--user",
            "counter",
            "--use",
            "family",
            "--seats",
            "5",
            "--displacement",
            "1.6",
            "--self-pricing",
            "2",
            "--lang",
            "en",
        ],
    )
    assert (
        code == 1 and err.strip() == "--self-pricing: The self-pricing coefficient must be 0.5–1.5"
    )


def test_cli_quote_table_output(cli_env, capsys) -> None:
    code, out, _ = run_cli(
        capsys,
        [
            "quote",
            "--user",
            "counter",
            "--use",
            "truck",
            "--tonnage",
            "3",
            "--curb-weight",
            "2.5",
            "--trailer",
            "--start",
            "2030-01-05",
        ],
    )
    assert code == 0
    assert "441.00" in out and "75.00" in out and "516.00" in out  # 1470×0.3; 30×2.5


def test_cli_proposal_and_vehicle_price_and_rate_table(cli_env, capsys, tmp_path) -> None:
    code, out, _ = run_cli(
        capsys,
        [
            "proposal",
            "--user",
            "counter",
            "--use",
            "family",
            "--seats",
            "5",
            "--displacement",
            "1.6",
            "--out",
            str(tmp_path / "forms"),
            "--format",
            "xlsx",
            "--json",
        ],
    )
    data = json.loads(out)
    assert code == 0 and data["txt"] is None and data["service_contact_id"] is None
    assert data["xlsx"].endswith(".xlsx") and data["total"] == "1250.00"
    code, out, _ = run_cli(
        capsys, ["vehicle-price", "search", "朗逸", "--user", "counter", "--json"]
    )
    assert (code, json.loads(out)) == (0, [])
    code, out, err = run_cli(
        capsys,
        [
            "rate-table",
            "set",
            "--user",
            "counter",
            "--code",
            "ncd",
            "--key",
            "level:0",
            "--value",
            "1",
            "--from",
            "2030-01-01",
            "--json",
        ],
    )
    assert (
        code == 1 and json.loads(out)["error"]["code"] == "wrong_role" and "rate_table.edit" in err
    )
