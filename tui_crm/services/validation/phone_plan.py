"""The numbering plan the phone check needs: how many digits a local number has behind
each area code (data in fixtures/divisions/area_codes.csv), and the nationwide service
prefixes (400 / 800) that companies list as their contact number."""

import csv
from functools import lru_cache

from tui_crm.services.validation.verdict import DIVISIONS

SERVICE_PREFIXES = ("400", "800")
SERVICE_LENGTH = 10  # 400-xxx-xxxx


@lru_cache(maxsize=1)
def local_lengths() -> dict[str, int]:
    """Area code → digits of the local number, for the cities in the table."""
    with (DIVISIONS / "area_codes.csv").open("r", encoding="utf-8") as handle:
        return {row["area_code"]: int(row["local_digits"]) for row in csv.DictReader(handle)}


def lengths_for(area_code: str) -> tuple[int, ...]:
    """Local-number lengths allowed behind an area code: the table's one where the city is
    known; otherwise the national rule (8 behind 0[12]x, 7 or 8 behind the others)."""
    known = local_lengths().get(area_code)
    if known:
        return (known,)
    return (8,) if len(area_code) == 3 else (7, 8)


def is_service_number(digits: str) -> bool:
    return len(digits) == SERVICE_LENGTH and digits.startswith(SERVICE_PREFIXES)
