"""Customer search service on both databases: every fragment kind, combined fragments,
ranking, broad queries, scope, masking per role, Enter on a full ID or phone."""

from datetime import date

import pytest

from tests.factories import make_claim, make_customer, make_policy, make_user, make_vehicle
from tui_crm.services.core.errors import Forbidden
from tui_crm.services.search import service as search_module

ROLES = ("counter", "underwriter", "claims", "supervisor", "account_manager", "manager", "admin")


@pytest.fixture
def book(services):
    ids = {
        "zhangsan": make_customer(
            services, "张三", id_number="330402199001011234", phone="13812345678"
        ),
        "zhangsanfeng": make_customer(services, "张三丰", phone="13611112222"),
        "lizhangsan": make_customer(services, "李张三", id_number="33040219800202567X"),
        "wang": make_customer(services, "王建国", phone="13912345678"),
        "company": make_customer(
            services, "嘉兴市南湖机械有限公司", kind="corporate", id_number="91330402MA2B3C4D5E"
        ),
        "xiuzhou": make_customer(
            services,
            "张伟",
            unit_code="330411",
            id_number="330411198803031234",
            phone="13700005678",
        ),
    }
    make_vehicle(services, ids["zhangsan"], "浙F12345", "LSVAB2BJ4EN123456")
    make_vehicle(services, ids["wang"], "浙FD56789", "LFV3A23C8K3098765")
    policy = make_policy(
        services, ids["company"], date(2025, 3, 1), policy_no="PDAA202533040200001234"
    )
    make_claim(services, policy, date(2025, 6, 1), paid="5000", claim_no="RDAA202533040200000777")
    return ids


@pytest.fixture
def counter(services):
    return make_user(services, "counter", "counter")


def names(page) -> list[str]:
    return [h.name for h in page.hits]


def test_single_character_name_finds_prefix_then_end_then_inside(services, book, counter) -> None:
    page = services.search.search(counter, "张")
    assert names(page) == ["张三", "张三丰"]  # name prefix, in name order, from the index
    assert "张伟" not in names(page)  # another county
    assert all(h.matched_on == ["name"] for h in page.hits)
    assert page.pending and page.total_label == "2+"  # a deeper look could add more
    deep = services.search.search(counter, "张", deep=True)
    assert names(deep) == ["张三", "张三丰", "李张三"]  # then names containing it
    assert deep.hits[2].name_spans == [(1, 2)]
    assert not deep.pending and deep.total_label == "3"


def test_one_or_two_characters_find_given_names(services, book, counter) -> None:
    assert names(services.search.search(counter, "三")) == ["张三", "李张三"]  # the end
    assert names(services.search.search(counter, "建国")) == ["王建国"]
    assert names(services.search.search(counter, "三", deep=True)) == ["张三", "李张三", "张三丰"]


def test_two_character_name_exact_before_longer_before_contains(services, book, counter) -> None:
    assert names(services.search.search(counter, "张三")) == ["张三", "张三丰", "李张三"]
    assert names(services.search.search(counter, "机械")) == []
    assert names(services.search.search(counter, "机械", deep=True)) == ["嘉兴市南湖机械有限公司"]


def test_three_characters_and_more_use_the_trigram_index(services, book, counter) -> None:
    assert names(services.search.search(counter, "南湖机械")) == ["嘉兴市南湖机械有限公司"]
    assert names(services.search.search(counter, "王建国")) == ["王建国"]


@pytest.mark.parametrize(
    ("query", "expected", "code"),
    [
        ("zs", ["张三", "张三丰"], "pinyin_initials"),
        ("ZSF", ["张三丰"], "pinyin_initials"),
        ("zhangsan", ["张三", "张三丰"], "pinyin_full"),
        ("zhang san", ["张三", "张三丰"], "pinyin_full"),
        ("jxs", ["嘉兴市南湖机械有限公司"], "pinyin_initials"),
    ],
)
def test_pinyin(services, book, counter, query, expected, code) -> None:
    page = services.search.search(counter, query)
    assert names(page) == expected
    assert page.hits[0].matched_on == [code]


def test_resident_id_full_first_digits_and_last_digits(services, book, counter) -> None:
    full = services.search.search(counter, "330402199001011234")
    assert names(full) == ["张三"] and full.hits[0].matched_on == ["id_number"]
    assert names(services.search.search(counter, "33040219800202567x")) == ["李张三"]
    assert set(names(services.search.search(counter, "33040219"))) == {"张三", "李张三"}
    assert names(services.search.search(counter, "02567X")) == ["李张三"]


def test_four_digits_match_phone_id_and_plate_tails_together(services, book, counter) -> None:
    page = services.search.search(counter, "5678")
    assert set(names(page)) == {"张三", "王建国"}  # 张伟 (5678) is in another county
    by_name = {h.name: h for h in page.hits}
    assert by_name["张三"].matched_on == ["phone"]
    assert by_name["张三"].matched_value == "138****5678"
    page = services.search.search(counter, "1234")
    assert {h.name: h.matched_on for h in page.hits} == {"张三": ["id_number"]}
    page = services.search.search(counter, "2345")
    assert {h.name: h.matched_on for h in page.hits} == {"张三": ["plate"]}


def test_full_phone(services, book, counter) -> None:
    page = services.search.search(counter, "139 1234 5678")
    assert names(page) == ["王建国"] and page.hits[0].matched_on == ["phone"]


@pytest.mark.parametrize("query", ["F12345", "f12345", "浙F12345", "浙f 12345", "浙F 123 45"])
def test_plate_with_or_without_province(services, book, counter, query) -> None:
    page = services.search.search(counter, query)
    assert names(page) == ["张三"]
    assert page.hits[0].matched_on == ["plate"] and page.hits[0].matched_value == "浙F12345"


def test_new_energy_plate_and_vin(services, book, counter) -> None:
    assert names(services.search.search(counter, "FD56789")) == ["王建国"]
    assert names(services.search.search(counter, "LSVAB2BJ4EN123456")) == ["张三"]
    page = services.search.search(counter, "098765")
    assert names(page) == ["王建国"] and page.hits[0].matched_on == ["vin"]


def test_policy_and_claim_numbers_full_or_distinctive_part(services, book, counter) -> None:
    company = ["嘉兴市南湖机械有限公司"]
    page = services.search.search(counter, "pdaa202533040200001234")
    assert names(page) == company and page.hits[0].matched_on == ["policy_no"]
    assert names(services.search.search(counter, "PDAA20253304")) == company
    assert names(services.search.search(counter, "00001234")) == company
    page = services.search.search(counter, "RDAA202533040200000777")
    assert names(page) == company and page.hits[0].matched_on == ["claim_no"]


def test_credit_code_is_shown_in_full_for_companies(services, book, counter) -> None:
    page = services.search.search(counter, "91330402ma2b3c4d5e")
    assert names(page) == ["嘉兴市南湖机械有限公司"]
    assert page.hits[0].matched_on == ["credit_code"]
    assert page.hits[0].id_number_masked == "91330402MA2B3C4D5E"


def test_fragments_combine_with_and(services, book, counter) -> None:
    page = services.search.search(counter, "张 5678")
    assert names(page) == ["张三"]
    assert set(page.hits[0].matched_on) == {"name", "phone"}
    assert names(services.search.search(counter, "王 5678")) == ["王建国"]
    assert names(services.search.search(counter, "zs 1234")) == ["张三"]
    assert names(services.search.search(counter, "张 9999")) == []


def test_exact_identifier_ranks_before_name_matches(services, book, counter) -> None:
    other = make_customer(services, "F12345 车行", kind="corporate")
    page = services.search.search(counter, "F12345")
    assert names(page)[0] == "张三"  # plate (exact identifier) first
    assert other in [h.id for h in page.hits]


@pytest.mark.parametrize("role", ROLES)
def test_masked_for_every_role(services, book, role) -> None:
    actor = make_user(
        services, f"u_{role}", role, "3304" if role in ("manager", "admin") else "330402"
    )
    hit = services.search.search(actor, "330402199001011234").hits[0]
    assert hit.id_number_masked == "330402********1234"
    assert hit.phone_masked == "138****5678"
    assert hit.plate == "浙F12345"


def test_scope_and_outside_scope_hint(services, book, counter) -> None:
    page = services.search.search(counter, "330411198803031234")
    assert page.hits == []
    assert page.hint and "秀洲" in page.hint and "张伟" not in page.hint
    manager = make_user(services, "boss", "manager", "3304")
    assert names(services.search.search(manager, "330411198803031234")) == ["张伟"]
    xiuzhou = make_user(services, "counter_xz", "counter", "330411")
    assert names(services.search.search(xiuzhou, "张", deep=True)) == ["张伟"]


def test_direct_open_on_full_id_or_phone(services, book, counter) -> None:
    hit = services.search.open_direct(counter, "330402199001011234")
    assert hit is not None and hit.customer_id == book["zhangsan"]
    assert services.search.open_direct(counter, "13912345678").customer_id == book["wang"]
    assert services.search.open_direct(counter, "张三") is None
    outside = services.search.open_direct(counter, "13700005678")
    assert outside is not None and outside.customer_id is None and "秀洲" in (outside.message or "")
    make_customer(services, "张三妻", phone="13812345678")
    shared = services.search.open_direct(counter, "13812345678")
    assert shared is not None and shared.customer_id is None and shared.count == 2


def test_broad_query_pages_and_caps_the_count(services, book, counter, monkeypatch) -> None:
    for i in range(7):
        make_customer(services, f"王{i}号")
    monkeypatch.setattr(search_module, "COUNT_CAP", 5)
    first = services.search.search(counter, "王", limit=3)
    assert len(first.hits) == 3 and first.has_more
    assert first.total_capped and first.total_label == "5+"
    second = services.search.search(counter, "王", offset=3, limit=3)
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    monkeypatch.setattr(search_module, "COUNT_CAP", 1000)
    everything = services.search.search(counter, "王", deep=True)
    assert everything.total == 8 and not everything.total_capped
    assert everything.total_label == "8"


def test_my_book_filter(services, book) -> None:
    am = make_user(services, "am", "account_manager")
    mine = make_customer(services, "张小明", account_manager_id=am.id)
    page = services.search.search(am, "张", mine=True)
    assert [h.id for h in page.hits] == [mine]
    assert page.hits[0].account_manager == "am"


def test_short_digits_ask_for_more(services, book, counter) -> None:
    page = services.search.search(counter, "12")
    assert page.hits == [] and page.hint and "4" in page.hint
    assert services.search.search(counter, "   ").hits == []


def test_search_needs_read_permission(services, book) -> None:
    from dataclasses import replace

    actor = make_user(services, "nobody", "counter")
    with pytest.raises(Forbidden):
        services.search.search(replace(actor, permissions=frozenset()), "张")


def test_broad_fragment_outside_scope_is_bounded_then_deepened(
    services, counter, monkeypatch
) -> None:
    for i in range(4):
        make_customer(services, f"秀洲{i}号机械厂", kind="corporate", unit_code="330411")
    ours = make_customer(services, "南湖机械厂", kind="corporate")
    monkeypatch.setattr(search_module, "FTS_BOUND", 2)
    quick = services.search.search(counter, "机械厂")
    if services.database.is_sqlite:  # only the first 2 trigram matches were checked
        assert quick.hits == [] and quick.pending
    deep = services.search.search(counter, "机械厂", deep=True)
    assert [h.id for h in deep.hits] == [ours]


def test_a_newer_keystroke_stops_the_deep_scan(services, book, counter) -> None:
    stopped = services.search.search(counter, "张", deep=True, cancelled=lambda: True)
    assert names(stopped) == ["张三", "张三丰"]  # the index paths, not the scan
    assert stopped.total_capped
