"""Normalising what people type or import: identifiers for search, names for pinyin, and
stripping control characters so customer text can never act as a terminal escape."""

import csv
import importlib.util
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from tui_crm.services.core.fixtures import fixture_file

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """NFC, no control or bidi characters, single spaces, trimmed."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value)
    value = _CONTROL.sub("", value.replace("\t", " ").replace("\n", " ").replace("\r", " "))
    return _SPACES.sub(" ", value).strip()


_UNPRINTABLE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def printable(value: str) -> str:
    """Text safe to put on a terminal: control, escape and bidi characters shown as
    \\xNN / \\uNNNN instead of acting (a typed ESC must not recolour or retitle it)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode(), value)


def within(value: str, limit: int, *, field: str, label: tuple[str, str]) -> str:
    """`value` unchanged if it is at most `limit` characters; else a refusal that names
    the field and the limit (input is never cut short without a word)."""
    if len(value) <= limit:
        return value
    from tui_crm.i18n import tr
    from tui_crm.services.core.errors import ValidationFailed

    raise ValidationFailed(
        tr(
            "{f}过长：最多 {n} 个字符（现为 {m} 个）",
            "{f} is too long: at most {n} characters ({m} given)",
            f=tr(*label),
            n=limit,
            m=len(value),
        ),
        field=field,
    )


_ID_SEPARATORS = re.compile(r"[\s\-]")
_NON_DIGITS = re.compile(r"\D")
_PLATE_SEPARATORS = re.compile(r"[\s\-·.]")
_WORDS = re.compile(r"[A-Za-z0-9]+|.")


def to_halfwidth(value: str) -> str:
    """Full-width ASCII (ＡＢ１２) typed by Chinese IMEs → half-width."""
    if value.isascii():  # nothing to convert (most identifiers, every import)
        return value
    return "".join(
        chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else (" " if ch == "\u3000" else ch)
        for ch in value
    )


def norm_identifier(value: str | None) -> str:
    """ID numbers, VINs, credit codes, policy numbers: half-width, upper case, no spaces."""
    if not value:
        return ""
    return _ID_SEPARATORS.sub("", to_halfwidth(value)).upper()


def norm_phone(value: str | None) -> str:
    """Digits only; a leading +86 / 0086 country code dropped."""
    digits = _NON_DIGITS.sub("", to_halfwidth(value or ""))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def norm_plate(value: str | None) -> str:
    """'浙f 12345' → '浙F12345'; a plate typed without its province stays without it."""
    return _PLATE_SEPARATORS.sub("", to_halfwidth(value or "")).upper()


def reverse(value: str | None) -> str | None:
    """Reversed copy for suffix search ('last 4 digits') through an ordinary index."""
    return value[::-1] if value else None


@lru_cache(maxsize=65536)
def _char_pinyin(ch: str) -> str:
    if not ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"):
        return ch.lower() if ch.isalnum() and ch.isascii() else ""
    return _first_readings().get(ord(ch), "")


def _toneless(syllable: str) -> str:
    """`lǜ` → `lv`, `zhōng` → `zhong`: pypinyin's NORMAL style."""
    syllable = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")
    return "".join(c for c in syllable if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _first_readings() -> dict[int, str]:
    """Each character's first reading without tones, from pypinyin's character table
    alone — the same answers as `lazy_pinyin(ch, style=NORMAL)` for one character, without
    importing pypinyin, whose phrase table costs every TUI session about 45 MiB."""
    spec = importlib.util.find_spec("pypinyin")
    assert spec is not None and spec.origin is not None, "pypinyin is a dependency"
    table = Path(spec.origin).parent / "pinyin_dict.json"
    readings = json.loads(table.read_text(encoding="utf-8"))
    return {int(code): _toneless(text.split(",")[0]) for code, text in readings.items()}


def preload_tables() -> None:
    """Load the reading tables now (the session server shares them with its sessions)."""
    _first_readings()
    surname_readings()


SURNAME_READINGS = fixture_file("surname_pinyin.csv")


@lru_cache(maxsize=1)
def surname_readings() -> dict[str, tuple[str, ...]]:
    """Surname → its syllables as a surname (曾 zeng, 单 shan, 尉迟 yu chi), where that
    differs from the characters' everyday reading."""
    with SURNAME_READINGS.open("r", encoding="utf-8") as handle:
        return {row["surname"]: tuple(row["pinyin"].split()) for row in csv.DictReader(handle)}


def surname_pinyin(surname: str) -> tuple[str, str]:
    """(full pinyin, initials) of a surname read as a surname: 曾 → ('zeng', 'z')."""
    syllables = surname_readings().get(surname)
    if syllables is None:
        return name_pinyin(surname)
    return "".join(syllables), "".join(s[0] for s in syllables)


def name_pinyin(name: str, *, person: bool = False) -> tuple[str, str]:
    """(full pinyin, initials) for search: 张三 → ('zhangsan', 'zs'); ASCII letters kept.

    Per character with a cache (fast on a million names); polyphones take pypinyin's
    most common reading, and latin words contribute themselves and their first letter.
    A person's name opens with the surname, read as a surname: 曾超斌 → zengchaobin.
    """
    if person:
        readings = surname_readings()
        for size in (2, 1):
            if name[:size] in readings and len(name) > size:
                surname_full, surname_initials = surname_pinyin(name[:size])
                rest_full, rest_initials = name_pinyin(name[size:])
                return surname_full + rest_full, surname_initials + rest_initials
    full: list[str] = []
    initials: list[str] = []
    for word in _WORDS.findall(name):
        if word.isascii():
            if word.isalnum():
                full.append(word.lower())
                initials.append(word[0].lower())
            continue
        syllable = _char_pinyin(word)
        if syllable:
            full.append(syllable)
            initials.append(syllable[0])
    return "".join(full), "".join(initials)
