"""Reference-data files shipped in fixtures/ (read by the seeders of several features)."""

import csv
from collections.abc import Iterator
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def fixture_rows(name: str) -> Iterator[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)
