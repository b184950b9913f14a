"""The `vehicles` extract: matched by VIN, or by plate when the row or the stored vehicle
has no VIN; the owner is a customer key of this or an earlier import."""

from collections.abc import Hashable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from tui_crm.domain import VehicleUse
from tui_crm.i18n import tr
from tui_crm.services.core.text import reverse
from tui_crm.services.imports import values as v
from tui_crm.services.imports.apply import changes, write
from tui_crm.services.imports.columns import LAYOUTS
from tui_crm.services.imports.kind import ChunkResult, Pending
from tui_crm.services.imports.lookups import VEHICLE, Context, chunks, living_customer_ids
from tui_crm.services.imports.state import table_states
from tui_crm.services.validation import validate

USES = {u.value: u.value for u in VehicleUse}
COMPARED = (
    "owner_customer_id",
    "plate",
    "vin",
    "engine_no",
    "make_model",
    "use",
    "seats",
    "displacement",
    "tonnage",
    "curb_weight",
    "first_registration",
    "new_car_price",
)


def identifier(row: dict[str, str], column: str, kind: str) -> str | None:
    raw = (row.get(column) or "").strip()
    if not raw:
        return None
    verdict = validate(kind, raw)
    if not verdict.valid:
        raise v.RowError(column, verdict.reason)
    return verdict.normalised


class Vehicles:
    layout = LAYOUTS["vehicles"]

    def parse(self, row: dict[str, str], ctx: Context) -> dict[str, Any]:
        out: dict[str, Any] = {
            "plate": identifier(row, "plate", "plate"),
            "vin": identifier(row, "vin", "vin"),
        }
        if not out["plate"] and not out["vin"]:
            raise v.RowError("plate", tr("号牌和车架号不能都为空", "Give a plate or a VIN"))
        out["owner"] = v.customer_key(row, "owner_key", today=ctx.today)
        out["use"] = v.choice(row, "use", USES)
        out["engine_no"] = v.text(row, "engine_no", 30)
        out["make_model"] = v.text(row, "make_model", 100)
        out["seats"] = v.integer(row, "seats")
        for column in ("displacement", "tonnage", "curb_weight"):
            out[column] = v.decimal(row, column)
        out["first_registration"] = v.day(row, "first_registration")
        out["new_car_price"] = v.money(row, "new_car_price")
        return out

    def key(self, values: dict[str, Any]) -> Hashable:
        return ("vin", values["vin"]) if values["vin"] else ("plate", values["plate"])

    def write(self, connection: Connection, rows: list[Pending], ctx: Context) -> ChunkResult:
        result = ChunkResult(write(connection, VEHICLE, [], []))
        owners = living_customer_ids(connection, ctx.source, [p.values["owner"] for p in rows])
        kept: list[Pending] = []
        for p in rows:
            owner = owners.get(p.values["owner"])
            if owner is None:
                result.rejected[p.number] = v.RowError(
                    "owner_key",
                    tr("未知客户 {k}", "Unknown customer {k}", k=p.values["owner"].value),
                )
                continue
            p.values["owner_customer_id"] = owner
            kept.append(p)
        current = _current(connection, kept)
        now = datetime.now(UTC)
        inserts: list[dict[str, Any]] = []
        new_rows: list[int] = []
        updates: list[tuple[int, dict[str, Any]]] = []
        unchanged = 0
        for p in kept:
            row = current.get(("vin", p.values["vin"])) or current.get(("plate", p.values["plate"]))
            if row is None:
                inserts.append(_new(p.values, now))
                new_rows.append(p.number)
                continue
            result.targets[p.number] = row["id"]
            diff = changes(row, p.values, COMPARED)
            if p.values["vin"] is None:
                diff.pop("vin", None)  # a plate-only row does not erase a known VIN
            if "plate" in diff or "vin" in diff:
                diff.update(plate_rev=reverse(p.values["plate"]), vin_rev=reverse(p.values["vin"]))
            if diff:
                updates.append((row["id"], diff))
            else:
                unchanged += 1
        result.outcome = write(
            connection, VEHICLE, inserts, updates, unchanged=unchanged, returning=True
        )
        result.targets.update(zip(new_rows, result.outcome.new_ids, strict=True))
        return result

    def states(self, connection: Connection, ids: list[int]) -> dict[int, str]:
        return table_states(connection, "vehicle", COMPARED, ids)


def _current(connection: Connection, rows: list[Pending]) -> dict[tuple[str, str], dict[str, Any]]:
    """Stored vehicles by ("vin", VIN) and by ("plate", plate) for plates without a VIN match."""
    from sqlalchemy import select

    columns = [VEHICLE.c.id, *(VEHICLE.c[c] for c in COMPARED)]
    out: dict[tuple[str, str], dict[str, Any]] = {}
    vins = [p.values["vin"] for p in rows if p.values["vin"]]
    plates = [p.values["plate"] for p in rows if p.values["plate"]]
    for name, wanted in (("plate", plates), ("vin", vins)):
        for part in chunks(sorted(set(wanted))):
            query = select(*columns).where(VEHICLE.c[name].in_(part)).order_by(VEHICLE.c.id)
            for row in connection.execute(query):
                data = dict(row._mapping)
                if name == "plate" and data["vin"]:
                    continue  # a vehicle with a VIN is matched by its VIN
                out[(name, data[name])] = data
    return out


def _new(values: dict[str, Any], now: datetime) -> dict[str, Any]:
    row = {c: values[c] for c in COMPARED}
    row.update(
        plate_rev=reverse(values["plate"]),
        vin_rev=reverse(values["vin"]),
        brand=None,
        engine_cc=None,
        special_class=None,
        fuel="petrol",
        new_energy=False,
        energy_saving=False,
        purchase_date=None,
        created_at=now,
    )
    return row
