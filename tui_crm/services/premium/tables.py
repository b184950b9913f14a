"""The rate tables in force on a date, read from tables rate_table / rate_entry.

Each table code has effective-dated versions per region. A trial uses, for every code,
the version with the latest `effective_from` on or before the policy start date.
National versions and the region's versions are merged (the region's keys win), so a
region adds what only it has (tractor rates) or overrides a national value — except for
codes that are regional by nature (`REGIONAL_ONLY`: the floating scheme and the vehicle
tax amounts), where a region without its own version has no rate at all.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from tui_crm.services.premium.money import tidy
from tui_crm.storage.models import RateEntry, RateTable

NATIONAL = "national"

CTPL_BASE = "ctpl_base"
CTPL_FLOATING = "ctpl_floating"
CTPL_LIMITS = "ctpl_limits"
VEHICLE_TAX = "vehicle_tax"
NCD = "ncd"
COMMERCIAL_PARAMS = "commercial_params"
COMMERCIAL_BASE = "commercial_base"
DEPRECIATION = "depreciation"

TRIAL_CODES = (
    CTPL_BASE,
    CTPL_FLOATING,
    CTPL_LIMITS,
    VEHICLE_TAX,
    NCD,
    COMMERCIAL_PARAMS,
    COMMERCIAL_BASE,
    DEPRECIATION,
)
REGIONAL_ONLY = frozenset({CTPL_FLOATING, VEHICLE_TAX})


@dataclass(frozen=True)
class VersionRef:
    id: int
    code: str
    region: str
    effective_from: date
    source: str


@dataclass
class Table:
    code: str
    entries: dict[str, Decimal] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    versions: list[VersionRef] = field(default_factory=list)

    def get(self, key: str) -> Decimal | None:
        return self.entries.get(key)

    def label(self, key: str) -> str:
        return self.labels.get(key) or key

    def __bool__(self) -> bool:
        return bool(self.versions)


@dataclass
class RateBook:
    region: str
    on: date
    tables: dict[str, Table]

    def table(self, code: str) -> Table:
        return self.tables.get(code) or Table(code)

    def versions(self) -> list[VersionRef]:
        return [v for t in self.tables.values() for v in t.versions]


def known_regions(session: Session) -> list[str]:
    rows = session.exec(select(RateTable.region).distinct()).all()
    return sorted(set(rows))


def versions_in_force(
    session: Session, codes: tuple[str, ...], regions: set[str], on: date
) -> dict[tuple[str, str], RateTable]:
    """(code, region) → the version in force on `on`."""
    rows = session.exec(
        select(RateTable)
        .where(col(RateTable.code).in_(codes))
        .where(col(RateTable.region).in_(sorted(regions)))
        .where(RateTable.effective_from <= on)
        .order_by(col(RateTable.effective_from), col(RateTable.id))
    ).all()
    chosen: dict[tuple[str, str], RateTable] = {}
    for row in rows:  # ascending, so the last one seen per key is the latest
        chosen[(row.code, row.region)] = row
    return chosen


def load_book(
    session: Session, region: str, on: date, codes: tuple[str, ...] = TRIAL_CODES
) -> RateBook:
    chosen = versions_in_force(session, codes, {NATIONAL, region}, on)
    ids = [t.id for t in chosen.values() if t.id is not None]
    entries_by_table: dict[int, list[RateEntry]] = {i: [] for i in ids}
    if ids:
        for entry in session.exec(select(RateEntry).where(col(RateEntry.table_id).in_(ids))).all():
            entries_by_table[entry.table_id].append(entry)
    tables: dict[str, Table] = {}
    for code in codes:
        table = Table(code)
        layers = [] if code in REGIONAL_ONLY and region != NATIONAL else [NATIONAL]
        if region != NATIONAL:
            layers.append(region)
        for layer in layers:
            version = chosen.get((code, layer))
            if version is None or version.id is None:
                continue
            table.versions.append(
                VersionRef(version.id, code, layer, version.effective_from, version.source)
            )
            for entry in entries_by_table[version.id]:
                table.entries[entry.key] = tidy(entry.value)
                table.labels[entry.key] = entry.label
        tables[code] = table
    return RateBook(region=region, on=on, tables=tables)
