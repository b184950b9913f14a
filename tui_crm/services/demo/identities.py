"""Valid identifiers in bulk: resident IDs, credit codes, VINs and plates (numpy, vectorised).

Check digits are computed column-wise; strings are assembled as code-point matrices and
viewed as fixed-width unicode, so a million identifiers take a fraction of a second.
"""

import numpy as np

from tui_crm.services.validation.identifiers import USCC_ALPHABET
from tui_crm.services.validation.vehicle import VIN_WEIGHTS

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
USCC_WEIGHTS = np.array(
    [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64
)
ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
DIGITS = "0123456789"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"  # no I, O, Q
VIN_VALUES = dict(
    zip(
        VIN_CHARS,
        [*range(10), 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9],
        strict=True,
    )
)
VIN_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY"  # 2010 → A ... 2030 → Y


def join_chars(codes: np.ndarray) -> list[str]:
    """An (n, k) array of code points → n strings of k characters."""
    width = codes.shape[1]
    flat = np.ascontiguousarray(codes, dtype=np.uint32)
    return flat.view(f"<U{width}").ravel().tolist()


_FOUR_DIGITS = np.array([[ord(c) for c in f"{i:04d}"] for i in range(10_000)], dtype=np.uint32)


def digit_codes(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers → (n, width) code points of their zero-padded decimal digits."""
    rest = np.asarray(values, dtype=np.int64)
    blocks = []
    for _ in range((width + 3) // 4):
        blocks.append(_FOUR_DIGITS[rest % 10_000])
        rest = rest // 10_000
    codes = np.concatenate(blocks[::-1], axis=1)
    return np.ascontiguousarray(codes[:, codes.shape[1] - width :])


def weighted_sum(codes: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ digit × weight per row, through a float matrix product (exact for these sizes)."""
    return np.rint((codes.astype(np.float32) - ord("0")) @ weights.astype(np.float32)).astype(
        np.int64
    )


# ---------------------------------------------------------------- resident ID


def resident_ids(
    region: np.ndarray, birth_ymd: np.ndarray, sequence: np.ndarray
) -> tuple[list[str], list[str]]:
    """ID numbers and their reversals from region codes (6 digits), birth dates as
    YYYYMMDD integers and 3-digit sequence numbers (odd for men)."""
    body = region.astype(np.int64) * 10**11 + birth_ymd.astype(np.int64) * 1000 + sequence
    digits = digit_codes(body, 17)
    total = weighted_sum(digits, ID_WEIGHTS)
    check = np.frombuffer("10X98765432".encode("utf-32-le"), dtype=np.uint32)[total % 11]
    codes = np.concatenate([digits, check[:, None]], axis=1)
    return join_chars(codes), join_chars(np.ascontiguousarray(codes[:, ::-1]))


class IdSequencer:
    """Unique sequence numbers per (region, birth date) across the whole build."""

    def __init__(self) -> None:
        self.used: dict[int, int] = {}

    def assign(self, region: np.ndarray, birth_ymd: np.ndarray, male: np.ndarray) -> np.ndarray:
        keys = region.astype(np.int64) * 10**8 + birth_ymd
        used = self.used
        counts: list[int] = []
        append = counts.append
        for key in keys.tolist():
            count = used.get(key, 0)
            used[key] = count + 1
            append(count)
        # spread the numbers over the 3 digits deterministically, parity = sex
        base = (np.array(counts, dtype=np.int64) * 37 + (keys % 23) * 2) % 500
        return base * 2 + male.astype(np.int64)


# ---------------------------------------------------------------- credit code


def credit_codes(
    region: np.ndarray, rng: np.random.Generator, *, registrant: str = "91"
) -> list[str]:
    """Unified social credit codes: registrant, region, a GB 11714 organisation code with
    its check digit, and the GB 32100 check character."""
    n = len(region)
    alphabet = np.array([ord(c) for c in USCC_ALPHABET], dtype=np.uint32)
    org = np.empty((n, 8), dtype=np.int64)  # indices into the alphabet (0–30)
    new_style = rng.random(n) < 0.6
    org[:, 0] = np.where(new_style, USCC_ALPHABET.index("M"), rng.integers(1, 10, n))
    org[:, 1] = np.where(new_style, USCC_ALPHABET.index("A"), rng.integers(0, 10, n))
    org[:, 2:] = np.where(
        new_style[:, None], rng.integers(0, 31, (n, 6)), rng.integers(0, 10, (n, 6))
    )
    org_values = np.array([int(c, 36) for c in USCC_ALPHABET], dtype=np.int64)[org]
    c = 11 - (org_values * ORG_WEIGHTS).sum(axis=1) % 11
    org_check = np.where(c == 10, USCC_ALPHABET.index("X"), np.where(c == 11, 0, c))
    head = np.array([USCC_ALPHABET.index(ch) for ch in registrant], dtype=np.int64)
    region_digits = digit_codes(region.astype(np.int64), 6) - ord("0")
    body = np.concatenate(
        [np.tile(head, (n, 1)), region_digits.astype(np.int64), org, org_check[:, None]], axis=1
    )
    check = (31 - (body * USCC_WEIGHTS).sum(axis=1) % 31) % 31
    codes = np.concatenate([body, check[:, None]], axis=1)
    return join_chars(alphabet[codes])


# ---------------------------------------------------------------- VIN


def vins(wmi_vds: np.ndarray, year: np.ndarray, plant: np.ndarray, serial: np.ndarray) -> list[str]:
    """VINs from 8-character WMI+VDS strings, model years, plant letters and serials."""
    n = len(wmi_vds)
    head = np.asarray(wmi_vds.tolist(), dtype="<U8").view(np.uint32).reshape(n, 8)
    year_code = np.array([ord(c) for c in VIN_YEAR_CODES], dtype=np.uint32)[
        np.clip(year - 2010, 0, len(VIN_YEAR_CODES) - 1)
    ]
    codes = np.concatenate(
        [
            head,
            np.zeros((n, 1), dtype=np.uint32),
            year_code[:, None],
            np.asarray(plant.tolist(), dtype="<U1").view(np.uint32).reshape(n, 1),
            digit_codes(serial % 10**6, 6),
        ],
        axis=1,
    )
    lookup = np.zeros(128, dtype=np.int64)
    for ch, value in VIN_VALUES.items():
        lookup[ord(ch)] = value
    total = (lookup[codes] * np.array(VIN_WEIGHTS, dtype=np.int64)).sum(axis=1) % 11
    codes[:, 8] = np.where(total == 10, ord("X"), total + ord("0"))
    return join_chars(codes)


# ---------------------------------------------------------------- plates

# Five-character patterns of ordinary plates: D digit, L letter.
_FUEL_PATTERNS = ["DDDDD", "LDDDD", "DLDDD", "DDLDD", "DDDLD", "DDDDL", "LLDDD"]
_SIZES = {"D": 10, "L": 24}


def _pattern_size(pattern: str) -> int:
    size = 1
    for kind in pattern:
        size *= _SIZES[kind]
    return size


FUEL_CAPACITY = sum(_pattern_size(p) for p in _FUEL_PATTERNS)
NEV_SMALL_CAPACITY = 2 * 34 * 10**4  # D/F, a letter or digit, four digits
NEV_LARGE_CAPACITY = 2 * 10**5  # five digits, D/F
_PERMUTE = 7_368_787  # a prime, coprime with both capacities


def _permute(index: np.ndarray, capacity: int) -> np.ndarray:
    return (index.astype(np.int64) % capacity * _PERMUTE + 12_345) % capacity


def fuel_plates(index: np.ndarray, city: str = "浙F") -> list[str]:
    """Distinct ordinary plates for distinct indices below FUEL_CAPACITY."""
    p = _permute(index, FUEL_CAPACITY)
    out = np.empty((len(p), 7), dtype=np.uint32)
    out[:, 0], out[:, 1] = ord(city[0]), ord(city[1])
    letters = np.array([ord(c) for c in PLATE_LETTERS], dtype=np.uint32)
    start = 0
    for pattern in _FUEL_PATTERNS:
        size = _pattern_size(pattern)
        mask = (p >= start) & (p < start + size)
        rest = p[mask] - start
        for pos in range(4, -1, -1):
            base = _SIZES[pattern[pos]]
            value = rest % base
            rest = rest // base
            out[mask, pos + 2] = letters[value] if pattern[pos] == "L" else value + ord("0")
        start += size
    return join_chars(out)


def nev_plates(index: np.ndarray, large: np.ndarray, city: str = "浙F") -> list[str]:
    """New-energy plates: small cars D/F + 5, large vehicles 5 digits + D/F."""
    small_chars = np.array([ord(c) for c in DIGITS + PLATE_LETTERS], dtype=np.uint32)
    out = np.empty((len(index), 8), dtype=np.uint32)
    out[:, 0], out[:, 1] = ord(city[0]), ord(city[1])
    p = _permute(index, NEV_SMALL_CAPACITY)
    out[:, 2] = np.where(p % 2 == 0, ord("D"), ord("F"))
    out[:, 3] = small_chars[p // 2 % 34]
    out[:, 4:] = digit_codes(p // 68, 4)
    q = _permute(index, NEV_LARGE_CAPACITY)
    out[large, 2:7] = digit_codes(q[large] // 2, 5)
    out[large, 7] = np.where(q[large] % 2 == 0, ord("D"), ord("F"))
    return join_chars(out)


def reverse_all(values: list[str]) -> list[str]:
    return [v[::-1] for v in values]
