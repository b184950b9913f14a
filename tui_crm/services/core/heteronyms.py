"""Other readings of a name for search: a character with several readings (乐 le / yue,
行 xing / hang, 长 chang / zhang, 重 zhong / chong) makes the name findable by each.

`name_pinyin` stores the most common reading of each character (and the surname reading
of a person's surname, which has no other); `pinyin_variants` lists the others,
fewest changed characters first, at most `MAX_VARIANTS` per name and two other readings
per character, so a long company name full of such characters stays a few rows.
"""

import re
from functools import lru_cache
from itertools import combinations, product

from tui_crm.services.core.text import _char_pinyin, surname_pinyin, surname_readings

MAX_VARIANTS = 4  # other readings stored per name
MAX_OTHER_READINGS = 2  # other readings considered per character

Reading = tuple[str, str]  # (full pinyin, initials) of one piece of a name


@lru_cache(maxsize=65536)
def char_readings(ch: str) -> tuple[str, ...]:
    """The readings of one character without tones, the one `name_pinyin` uses first."""
    main = _char_pinyin(ch)
    if not main or ch.isascii():
        return (main,) if main else ()
    from pypinyin import Style, pinyin

    others = [r for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0] if r and r != main]
    return (main, *dict.fromkeys(others).keys())[: 1 + MAX_OTHER_READINGS]


def _pieces(name: str, person: bool) -> list[tuple[Reading, ...]]:
    """The name in pieces, each with its readings (the stored one first)."""
    pieces: list[tuple[Reading, ...]] = []
    if person and len(name) > 1:  # a surname has its one reading (王 wang, never yu)
        readings = surname_readings()
        size = 2 if name[:2] in readings and len(name) > 2 else 1
        if name[:size] in readings:
            pieces.append((surname_pinyin(name[:size]),))
        elif reading := _char_pinyin(name[0]):
            pieces.append(((reading, reading[0]),))
        name = name[size:]
    for word in re.findall(r"[A-Za-z0-9]+|.", name):
        if word.isascii():
            if word.isalnum():
                pieces.append(((word.lower(), word[0].lower()),))
            continue
        options = tuple((r, r[0]) for r in char_readings(word))
        if options:
            pieces.append(options)
    return pieces


@lru_cache(maxsize=65536)  # a book repeats its common names many times
def pinyin_variants(name: str, *, person: bool = False) -> tuple[Reading, ...]:
    """(full pinyin, initials) of the name's other readings, beyond `name_pinyin`'s."""
    return tuple(_variants(name, person))


def _variants(name: str, person: bool) -> list[Reading]:
    pieces = _pieces(name, person)
    ambiguous = [i for i, options in enumerate(pieces) if len(options) > 1]
    stored = tuple(options[0] for options in pieces)
    seen = {_join(stored)}
    out: list[Reading] = []
    for count in range(1, len(ambiguous) + 1):
        for chosen in combinations(ambiguous, count):
            for others in product(*(pieces[i][1:] for i in chosen)):
                reading = list(stored)
                for i, other in zip(chosen, others, strict=True):
                    reading[i] = other
                joined = _join(tuple(reading))
                if joined not in seen:
                    seen.add(joined)
                    out.append(joined)
                    if len(out) >= MAX_VARIANTS:
                        return out
    return out


def _join(pieces: tuple[Reading, ...]) -> Reading:
    return "".join(p[0] for p in pieces), "".join(p[1] for p in pieces)
