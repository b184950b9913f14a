"""The verdict every identifier check returns, and the region names of division codes."""

import csv
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

from tui_crm.services.core.fixtures import fixture_file

DIVISIONS = fixture_file("divisions")


@dataclass
class Verdict:
    kind: str
    value: str
    valid: bool
    normalised: str
    reason: str
    warnings: list[str] = field(default_factory=list)

    def facts(self) -> dict[str, Any]:
        """The fields a kind adds (birth date, region...), for JSON and display."""
        base = {f.name for f in fields(Verdict)}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in base}

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "value": self.value,
            "valid": self.valid,
            "normalised": self.normalised,
            "reason": self.reason,
            "warnings": list(self.warnings),
        }
        data.update(self.facts())
        return data


# ---------------------------------------------------------------- region codes


@lru_cache(maxsize=1)
def division_names() -> dict[str, str]:
    """Code → name of every province (2 digits), city (4) and county (6) in fixtures/divisions."""
    names: dict[str, str] = {}
    for name, key in (("provinces.csv", 2), ("cities.csv", 4), ("county_areas.csv", 6)):
        with (DIVISIONS / name).open("r", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if len(row["code"]) == key:
                    names[row["code"]] = row["name"]
    return names


def region_name(code: str) -> tuple[str, bool]:
    """('浙江省嘉兴市南湖区', True) for a current six-digit code; a partial name and False
    when only the province or city is known (retired or unknown county code)."""
    names = division_names()
    parts = [names.get(code[:2], "")]
    city = names.get(code[:4], "")
    if city and city not in ("市辖区", "县", "省直辖县级行政区划"):
        parts.append(city)
    county = names.get(code[:6])
    if county:
        parts.append(county)
    return "".join(parts), county is not None
