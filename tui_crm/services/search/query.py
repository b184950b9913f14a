"""What a search fragment could be: tokenising and routing, without any SQL.

A query becomes tokens (ANDed); each token becomes the probes it could mean (ORed): a
full ID number, the last four digits of a phone, a plate without its province, the
start of a name, pinyin initials... Each probe names the field it looks in (the
`matched_on` code of the CLI contract), how it compares (exact, prefix, suffix,
contains), its rank tier and a rough cost, so the search can drive from the most
selective token and rank exact identifiers first.
"""

import re
from dataclasses import dataclass, field, replace

from tui_crm.services.core.text import clean_text, norm_identifier, norm_phone, to_halfwidth

# matched_on codes (docs/cli.md)
NAME = "name"
PINYIN_INITIALS = "pinyin_initials"
PINYIN_FULL = "pinyin_full"
ID_NUMBER = "id_number"
CREDIT_CODE = "credit_code"
PHONE = "phone"
PLATE = "plate"
VIN = "vin"
POLICY_NO = "policy_no"
CLAIM_NO = "claim_no"
MATCH_CODES = (
    NAME,
    PINYIN_INITIALS,
    PINYIN_FULL,
    ID_NUMBER,
    PHONE,
    PLATE,
    VIN,
    POLICY_NO,
    CLAIM_NO,
    CREDIT_CODE,
)

# comparison modes
EXACT = "exact"
PREFIX = "prefix"
SUFFIX = "suffix"
CONTAINS = "contains"  # names only: trigram index for 3+ characters, a bounded scan below

# rank tiers: exact identifiers, then name (and pinyin) prefix, then the rest
TIER_EXACT, TIER_PREFIX, TIER_OTHER = 0, 1, 2

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
HOME_PROVINCE = "浙"  # a plate typed without its province is taken as a local one
MAX_QUERY = 100
MAX_TOKENS = 6

_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_FULL = re.compile(r"^0\d{9,11}$")
_PLATE_FULL = re.compile(rf"^[{PROVINCES}][A-Z][A-Z0-9]{{4,6}}[挂学警]?$")
_PLATE_PART = re.compile(rf"^[{PROVINCES}][A-Z][A-Z0-9]{{0,5}}$")
_PLATE_BODY = re.compile(r"^[A-Z][A-Z0-9]{4,6}$")  # plate without the province
_PLATE_START = re.compile(r"^[A-HJ-NP-Z][A-HJ-NP-Z0-9]*\d[A-HJ-NP-Z0-9]*$")  # F5, FDF53
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_ALNUM = re.compile(r"^[A-Z0-9]+$")
_DOC_NO = re.compile(r"^[A-Z]{2,}[A-Z0-9]*\d[A-Z0-9]*$")  # policy / claim numbers


@dataclass(frozen=True)
class Probe:
    """One reading of a token: look in `field` for `value` compared by `mode`."""

    field: str
    mode: str
    value: str
    tier: int
    cost: int  # rough matches on a million-customer book; picks the driving token
    variant: bool = False  # pinyin: the names' other readings (table customer_pinyin)

    @property
    def is_scan(self) -> bool:
        """One or two characters inside a name: no index can find them (bounded scan)."""
        return self.field == NAME and self.mode == CONTAINS and len(self.value) < 3

    @property
    def is_identifier(self) -> bool:
        return self.field not in (NAME, PINYIN_INITIALS, PINYIN_FULL)


@dataclass(frozen=True)
class Token:
    text: str
    probes: tuple[Probe, ...]

    @property
    def cost(self) -> int:
        return sum(p.cost for p in self.probes) if self.probes else 10**9


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # cleaned query
    compact: str  # spaces removed
    tokens: tuple[Token, ...]  # ANDed
    whole: Token | None = None  # the spaces-removed query read as one identifier
    hints: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not self.tokens and self.whole is None

    @property
    def searchable(self) -> bool:
        return any(t.probes for t in self.tokens) or bool(self.whole and self.whole.probes)

    @property
    def direct_open(self) -> Probe | None:
        """A full resident ID number or mobile number: Enter opens the one customer."""
        candidate = self.whole or (self.tokens[0] if len(self.tokens) == 1 else None)
        if candidate is None:
            return None
        for probe in candidate.probes:
            if probe.mode == EXACT and probe.field in (ID_NUMBER, PHONE, CREDIT_CODE):
                return probe
        return None


def is_name_text(token: str) -> bool:
    return any(not ch.isascii() for ch in token)


def _digit_probes(d: str) -> list[Probe]:
    n = len(d)
    probes: list[Probe] = []
    if n == 18 or n == 15:
        probes.append(Probe(ID_NUMBER, EXACT, d, TIER_EXACT, 1))
    if _MOBILE.match(d) or _LANDLINE_FULL.match(d):
        probes.append(Probe(PHONE, EXACT, d, TIER_EXACT, 1))
    if 4 <= n <= 6:
        probes.append(Probe(PLATE, SUFFIX, d, TIER_OTHER, 10 ** (6 - n) * 2))
        probes.append(Probe(ID_NUMBER, SUFFIX, d, TIER_OTHER, 10 ** (6 - n)))
    if 4 <= n <= 10:
        probes.append(Probe(PHONE, SUFFIX, d, TIER_OTHER, max(1, 10 ** (6 - n) * 2)))
    if 6 <= n <= 17 and n != 15:
        probes.append(Probe(ID_NUMBER, PREFIX, d, TIER_OTHER, max(1, 10 ** (11 - n))))
    if 6 <= n <= 16:
        probes.append(Probe(VIN, SUFFIX, d, TIER_OTHER, max(1, 10 ** (6 - n) * 3)))
    if n >= 8:
        probes.append(Probe(POLICY_NO, SUFFIX, d, TIER_OTHER, 5))
        probes.append(Probe(CLAIM_NO, SUFFIX, d, TIER_OTHER, 2))
    return probes


def _alnum_probes(t: str) -> list[Probe]:
    """Letters and digits mixed (upper case): IDs ending in X, credit codes, VINs,
    plates without province, policy and claim numbers."""
    return _alnum_id_probes(t) + _alnum_plate_probes(t) + _alnum_document_probes(t)


def _alnum_id_probes(t: str) -> list[Probe]:
    """Whole ID numbers, credit codes and VINs, and ID numbers ending in X."""
    n = len(t)
    probes: list[Probe] = []
    if _RESIDENT_ID.match(t):
        probes.append(Probe(ID_NUMBER, EXACT, t, TIER_EXACT, 1))
    elif n == 18:
        probes.append(Probe(CREDIT_CODE, EXACT, t, TIER_EXACT, 1))
    if _VIN.match(t):
        probes.append(Probe(VIN, EXACT, t, TIER_EXACT, 1))
    if re.fullmatch(r"\d{3,5}X", t):  # the last digits of an ID number ending in X
        probes.append(Probe(ID_NUMBER, SUFFIX, t, TIER_OTHER, 10 ** (6 - n)))
    elif re.fullmatch(r"\d{5,16}X", t):
        probes.append(Probe(ID_NUMBER, PREFIX, t, TIER_OTHER, 1))
    return probes


def _alnum_plate_probes(t: str) -> list[Probe]:
    n = len(t)
    probes: list[Probe] = []
    if _PLATE_BODY.match(t):
        probes.append(Probe(PLATE, SUFFIX, t, TIER_EXACT, 2))
    elif 4 <= n <= 5:
        probes.append(Probe(PLATE, SUFFIX, t, TIER_OTHER, 20))
    if n <= 7 and _PLATE_START.match(t):  # the start of a local plate: fdf53 → 浙FDF53…
        local = HOME_PROVINCE + t
        probes.append(Probe(PLATE, PREFIX, local, TIER_OTHER, 10 ** max(0, 7 - len(local))))
    return probes


def _alnum_document_probes(t: str) -> list[Probe]:
    """Parts of VINs and credit codes, policy and claim numbers, latin company names."""
    n = len(t)
    probes: list[Probe] = []
    if 6 <= n <= 16:
        probes.append(Probe(VIN, SUFFIX, t, TIER_OTHER, 2))
    if 8 <= n < 18 and t[0].isdigit():
        probes.append(Probe(CREDIT_CODE, PREFIX, t, TIER_OTHER, 10))
    if n >= 6 and _DOC_NO.match(t):
        probes.append(Probe(POLICY_NO, EXACT, t, TIER_EXACT, 1))
        probes.append(Probe(CLAIM_NO, EXACT, t, TIER_EXACT, 1))
        probes.append(Probe(POLICY_NO, PREFIX, t, TIER_OTHER, 50))
        probes.append(Probe(CLAIM_NO, PREFIX, t, TIER_OTHER, 20))
    if n >= 3:  # latin letters and digits in a company name ("3M", "ABB")
        probes.append(Probe(NAME, CONTAINS, t, TIER_OTHER, 100))
    return probes


def _letter_probes(word: str) -> list[Probe]:
    low = word.lower()
    n = len(low)
    initials = Probe(PINYIN_INITIALS, PREFIX, low, TIER_PREFIX, max(5, 200_000 // 8 ** (n - 1)))
    full = Probe(PINYIN_FULL, PREFIX, low, TIER_PREFIX, max(5, 200_000 // 4 ** (n - 1)))
    probes = [initials, full] if n <= 3 else [full, initials]
    # the other readings of names with characters read more than one way (乐 le / yue)
    probes += [replace(p, cost=max(1, p.cost // 20), variant=True) for p in probes]
    if n >= 3:
        probes.append(Probe(NAME, CONTAINS, word, TIER_OTHER, 100))
    return probes


def _name_probes(text: str) -> list[Probe]:
    """Names: the start (surnames, whole names) through the name index; for one or two
    characters also the end (given names: 建国 finds 王建国) through an expression index,
    and — only when asked for more — a bounded scan for the middle; three characters and
    more through the trigram index."""
    n = len(text)
    prefix = Probe(NAME, PREFIX, text, TIER_PREFIX, {1: 70_000, 2: 2_000}.get(n, 50))
    if n >= 3:
        return [prefix, Probe(NAME, CONTAINS, text, TIER_OTHER, 200)]
    return [
        prefix,
        Probe(NAME, SUFFIX, text, TIER_OTHER, 20_000 if n == 1 else 1_000),
        Probe(NAME, CONTAINS, text, TIER_OTHER, 100_000 if n == 1 else 5_000),
    ]


def token_probes(raw: str, *, identifiers_only: bool = False) -> tuple[Probe, ...]:
    """Every reading of one fragment, in rank order (tier, then as listed)."""
    text = raw.strip()
    if not text:
        return ()
    ident = norm_identifier(text)
    probes: list[Probe] = []
    if ident.isdigit():
        probes = _digit_probes(ident)
    elif _PLATE_FULL.match(ident):
        probes = [Probe(PLATE, EXACT, ident, TIER_EXACT, 1)]
    elif _PLATE_PART.match(ident) and len(ident) >= 2:  # 浙F, 浙FD5: the start of a plate
        probes = [Probe(PLATE, PREFIX, ident, TIER_OTHER, 10 ** max(0, 7 - len(ident)))]
    elif _ALNUM.match(ident):
        if ident.isalpha():
            probes = _letter_probes(text.replace(" ", ""))
            if identifiers_only:
                probes = [p for p in probes if p.field != NAME]
        else:
            probes = _alnum_probes(ident)
            if identifiers_only:
                probes = [p for p in probes if p.field != NAME]
    elif is_name_text(text) and not identifiers_only:
        probes = _name_probes(text)
    if len(ident) >= 7 and re.fullmatch(r"[\d+\-() ]+", text) and not ident.isdigit():
        phone = norm_phone(text)
        if _MOBILE.match(phone) or _LANDLINE_FULL.match(phone):
            probes.insert(0, Probe(PHONE, EXACT, phone, TIER_EXACT, 1))
    return tuple(sorted(probes, key=lambda p: p.tier))


def parse(query: str) -> ParsedQuery:
    """Tokens of a query; with spaces, also the whole query read as one identifier
    (`浙F 12345`, `138 1234 5678`, `zhang san`), which the search tries first."""
    text = clean_text(to_halfwidth(query or ""))[:MAX_QUERY]
    compact = text.replace(" ", "")
    if not compact:
        return ParsedQuery(text, compact, ())
    parts = text.split(" ")
    hints: list[str] = []
    if len(parts) > MAX_TOKENS:
        parts = [*parts[: MAX_TOKENS - 1], "".join(parts[MAX_TOKENS - 1 :])]
    tokens = tuple(Token(p, token_probes(p)) for p in parts)
    whole = None
    if len(parts) > 1:
        probes = token_probes(compact, identifiers_only=True)
        if probes:
            whole = Token(compact, probes)
    for token in tokens:
        if not token.probes:
            hints.append(token.text)
    return ParsedQuery(text, compact, tokens, whole, tuple(hints))


def upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix` (for an index
    range `col >= prefix AND col < upper_bound(prefix)` in binary / C collation)."""
    return prefix + "\U0010ffff"
