"""Seeding the rate tables from fixtures/rates (tables.json lists each version with the
CSV of its rows and the source it transcribes); CSV lines starting with '#' are comments."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from tui_crm.services.core.fixtures import fixture_file
from tui_crm.storage.models import RateEntry, RateTable

RATES_DIR = fixture_file("rates")


def read_rate_csv(text: str) -> list[dict[str, str]]:
    """key,label,value rows; lines starting with '#' carry the source and are skipped."""
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def seed_rate_tables(session: Session) -> None:
    """Add each fixture version that the database does not have yet (first run)."""
    manifest = json.loads((RATES_DIR / "tables.json").read_text(encoding="utf-8"))
    have = {(t.code, t.region, t.effective_from) for t in session.exec(select(RateTable)).all()}
    for spec in manifest["tables"]:
        effective = date.fromisoformat(spec["effective_from"])
        if (spec["code"], spec["region"], effective) in have:
            continue
        table = RateTable(
            code=spec["code"],
            region=spec["region"],
            effective_from=effective,
            source=spec["source"],
        )
        session.add(table)
        session.flush()
        assert table.id is not None
        for row in read_rate_csv((RATES_DIR / spec["file"]).read_text(encoding="utf-8")):
            session.add(
                RateEntry(
                    table_id=table.id,
                    key=row["key"],
                    label=row["label"],
                    value=Decimal(row["value"]),
                )
            )
