"""Reading search fragments: which field each could mean, how it compares, its rank tier."""

from tui_crm.services.search.query import (
    CLAIM_NO,
    CREDIT_CODE,
    EXACT,
    ID_NUMBER,
    NAME,
    PHONE,
    PINYIN_FULL,
    PINYIN_INITIALS,
    PLATE,
    POLICY_NO,
    PREFIX,
    SUFFIX,
    TIER_EXACT,
    VIN,
    parse,
    token_probes,
)


def kinds(text: str) -> set[tuple[str, str]]:
    return {(p.field, p.mode) for p in token_probes(text)}


def test_full_resident_id_is_exact_and_opens_directly() -> None:
    parsed = parse("33040219900101123x")
    probe = parsed.direct_open
    assert probe is not None and probe.field == ID_NUMBER and probe.mode == EXACT
    assert probe.value == "33040219900101123X"


def test_eleven_digit_mobile_is_exact_phone() -> None:
    assert (PHONE, EXACT) in kinds("13812345678")
    assert parse("138 1234 5678").whole is not None
    assert parse("138 1234 5678").direct_open.value == "13812345678"  # type: ignore[union-attr]


def test_four_digits_mean_phone_id_and_plate_tails() -> None:
    assert kinds("5678") == {(PHONE, SUFFIX), (ID_NUMBER, SUFFIX), (PLATE, SUFFIX)}


def test_six_digits_add_id_prefix_and_vin_tail() -> None:
    assert {(ID_NUMBER, PREFIX), (ID_NUMBER, SUFFIX), (VIN, SUFFIX)} <= kinds("330402")


def test_plate_with_and_without_province_any_case() -> None:
    assert kinds("浙f12345") == {(PLATE, EXACT)}
    assert (PLATE, SUFFIX) in kinds("f12345")
    whole = parse("浙F 12345").whole
    assert whole is not None and whole.probes[0].field == PLATE
    assert whole.probes[0].value == "浙F12345"


def test_vin_and_credit_code_and_policy_number() -> None:
    assert (VIN, EXACT) in kinds("lsvab2bj4en123456")
    assert (CREDIT_CODE, EXACT) in kinds("91330402MA2B3C4D5E")
    policy = kinds("PDAA202533040200000001")
    assert {(POLICY_NO, EXACT), (CLAIM_NO, EXACT), (POLICY_NO, PREFIX)} <= policy
    assert (POLICY_NO, SUFFIX) in kinds("00000001")


def test_letters_are_pinyin_initials_and_full_pinyin() -> None:
    assert {(PINYIN_INITIALS, PREFIX), (PINYIN_FULL, PREFIX)} <= kinds("ZS")
    assert all(p.value == "zs" for p in token_probes("ZS"))
    whole = parse("zhang san").whole
    assert whole is not None and (PINYIN_FULL, PREFIX) in {(p.field, p.mode) for p in whole.probes}


def test_chinese_fragments_are_name_prefix_end_then_inside() -> None:
    probes = token_probes("王")
    assert [(p.field, p.mode) for p in probes] == [
        (NAME, PREFIX),
        (NAME, SUFFIX),
        (NAME, "contains"),
    ]
    assert probes[2].is_scan
    probes = token_probes("王建国")
    assert [(p.field, p.mode) for p in probes] == [(NAME, PREFIX), (NAME, "contains")]
    assert not probes[1].is_scan


def test_mixed_query_splits_into_anded_tokens() -> None:
    parsed = parse("张 5678")
    assert parsed.whole is None
    assert [t.text for t in parsed.tokens] == ["张", "5678"]
    driver = min(parsed.tokens, key=lambda t: t.cost)
    assert driver.text == "5678"  # the selective token drives


def test_exact_identifiers_rank_first() -> None:
    probes = token_probes("13812345678")
    assert probes[0].tier == TIER_EXACT


def test_too_short_digits_have_no_reading_and_a_hint() -> None:
    parsed = parse("12")
    assert not parsed.searchable
    assert parsed.hints == ("12",)


def test_control_characters_and_full_width_are_cleaned() -> None:
    assert "\x1b" not in parse("张\x1b三").text
    parsed = parse("１３８１２３４５６７８")
    assert parsed.direct_open is not None and parsed.direct_open.value == "13812345678"
