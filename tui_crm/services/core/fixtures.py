"""Reference-data files shipped inside the package (`tui_crm/fixtures/`), read through
`importlib.resources` so an installed wheel finds them as well as a checkout does."""

import csv
from collections.abc import Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable

FIXTURES: Traversable = files("tui_crm") / "fixtures"


def fixture_file(*parts: str) -> Traversable:
    """One file (or folder) under `tui_crm/fixtures/`, e.g. `fixture_file("rates", "ncd.csv")`."""
    item = FIXTURES
    for part in parts:
        item = item / part
    return item


def fixture_rows(*parts: str) -> Iterator[dict[str, str]]:
    with fixture_file(*parts).open("r", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)
