"""The `policies` extract: upserted by policy number. Holder and insured are customer keys,
the vehicle a VIN or plate of this or an earlier import; a later extract carries a
cancellation or any other change of the policy."""

from collections.abc import Hashable
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from tui_crm.i18n import tr
from tui_crm.services.core.clock import BRANCH_TZ
from tui_crm.services.core.text import norm_identifier
from tui_crm.services.imports import values as v
from tui_crm.services.imports.apply import changes, existing_rows, write
from tui_crm.services.imports.columns import LAYOUTS
from tui_crm.services.imports.kind import ChunkResult, Pending
from tui_crm.services.imports.lookups import (
    POLICY,
    Context,
    living_customer_ids,
    policy_ids,
    vehicle_ids,
)
from tui_crm.services.imports.state import table_states
from tui_crm.services.imports.vehicles import identifier

PRODUCTS = {
    "ctpl": "ctpl",
    "commercial_motor": "motor_commercial",
    "motor_commercial": "motor_commercial",
    "property": "property",
    "liability": "liability",
    "accident": "accident",
    "health": "health",
    "home": "home",
    "cargo": "cargo",
    "engineering": "engineering",
    "other": "other",
}
STATUSES = {"in_force": "active", "active": "active", "expired": "active", "cancelled": "cancelled"}
REINSURANCE = {"none": "none", "surplus": "surplus", "facultative": "facultative"}
COMPARED = (
    "line_code",
    "customer_id",
    "insured_id",
    "vehicle_id",
    "unit_id",
    "account_manager_id",
    "intermediary_id",
    "channel",
    "is_tender",
    "start_date",
    "end_date",
    "sum_insured",
    "premium",
    "status",
    "cancelled_on",
    "renewal_of_id",
    "surplus_reinsurance",
    "facultative_reinsurance",
    "coinsurance",
)


class Policies:
    layout = LAYOUTS["policies"]

    def parse(self, row: dict[str, str], ctx: Context) -> dict[str, Any]:
        out: dict[str, Any] = {"policy_no": _number(row, "policy_no", required=True)}
        out["line_code"] = v.choice(row, "product", PRODUCTS)
        out["holder"] = v.customer_key(row, "holder_key", today=ctx.today)
        out["insured"] = v.customer_key(row, "insured_key", required=False, today=ctx.today)
        out["plate"] = identifier(row, "plate", "plate")
        out["vin"] = identifier(row, "vin", "vin")
        out["unit_id"] = ctx.unit(row.get("unit_code") or None)
        out["intermediary_id"], out["channel"] = ctx.intermediary(row.get("intermediary_code"))
        out["account_manager_id"] = ctx.staff_id(row.get("account_manager"), "account_manager")
        out["start_date"] = v.day(row, "start_date", required=True)
        out["end_date"] = v.day(row, "end_date", required=True)
        if out["end_date"] < out["start_date"]:
            raise v.RowError(
                "end_date", tr("终保日期早于起保日期", "The end date is before the start date")
            )
        issued = v.day(row, "issue_date") or out["start_date"]
        out["issued_at"] = datetime.combine(issued, time(9), BRANCH_TZ).astimezone(UTC)
        out["premium"] = v.money(row, "premium", required=True)
        out["sum_insured"] = v.money(row, "sum_insured") or Decimal(0)
        out["status"] = v.choice(row, "status", STATUSES, default="active")
        out["cancelled_on"] = v.day(row, "cancel_date")
        if out["status"] != "cancelled":
            out["cancelled_on"] = None
        out["renewal_of"] = _number(row, "renewal_of")
        out["is_tender"] = v.flag(row, "tender")
        reinsurance = v.choice(row, "reinsurance", REINSURANCE, default="none")
        out["surplus_reinsurance"] = reinsurance == "surplus"
        out["facultative_reinsurance"] = reinsurance == "facultative"
        out["coinsurance"] = v.flag(row, "coinsurance")
        return out

    def key(self, values: dict[str, Any]) -> Hashable:
        return values["policy_no"]

    def write(self, connection: Connection, rows: list[Pending], ctx: Context) -> ChunkResult:
        result = ChunkResult(write(connection, POLICY, [], []))
        keys = [p.values["holder"] for p in rows] + [
            p.values["insured"] for p in rows if p.values["insured"]
        ]
        customers = living_customer_ids(connection, ctx.source, keys)
        by_vin, by_plate = vehicle_ids(
            connection,
            [p.values["vin"] for p in rows if p.values["vin"]],
            [p.values["plate"] for p in rows if p.values["plate"]],
        )
        renewed = policy_ids(
            connection, [p.values["renewal_of"] for p in rows if p.values["renewal_of"]]
        )
        kept: list[Pending] = []
        for p in rows:
            try:
                _resolve(p.values, customers, by_vin, by_plate)
            except v.RowError as error:
                result.rejected[p.number] = error
                continue
            found = renewed.get(p.values["renewal_of"] or "")
            p.values["renewal_of_id"] = found[0] if found else None
            kept.append(p)
        current = existing_rows(
            connection, POLICY, "policy_no", [p.values["policy_no"] for p in kept], COMPARED
        )
        inserts: list[dict[str, Any]] = []
        updates: list[tuple[int, dict[str, Any]]] = []
        unchanged = 0
        new_rows: list[int] = []
        for p in kept:
            row = current.get(p.values["policy_no"])
            if row is None:
                inserts.append(_new(p.values))
                new_rows.append(p.number)
                continue
            result.targets[p.number] = row["id"]
            if diff := changes(row, p.values, COMPARED):
                updates.append((row["id"], diff))
            else:
                unchanged += 1
        result.outcome = write(
            connection, POLICY, inserts, updates, unchanged=unchanged, returning=True
        )
        result.targets.update(zip(new_rows, result.outcome.new_ids, strict=True))
        return result

    def states(self, connection: Connection, ids: list[int]) -> dict[int, str]:
        return table_states(connection, "policy", COMPARED, ids)


def _number(row: dict[str, str], column: str, *, required: bool = False) -> str | None:
    value = v.text(row, column, 30, required=required)
    return norm_identifier(value) if value else None


def _resolve(
    values: dict[str, Any],
    customers: dict[v.CustomerKey, int],
    by_vin: dict[str, int],
    by_plate: dict[str, int],
) -> None:
    holder = customers.get(values["holder"])
    if holder is None:
        raise v.RowError(
            "holder_key", tr("未知客户 {k}", "Unknown customer {k}", k=values["holder"].value)
        )
    values["customer_id"] = holder
    values["insured_id"] = None
    if values["insured"] is not None:
        values["insured_id"] = customers.get(values["insured"])
        if values["insured_id"] is None:
            raise v.RowError(
                "insured_key",
                tr("未知客户 {k}", "Unknown customer {k}", k=values["insured"].value),
            )
    values["vehicle_id"] = None
    if values["vin"] or values["plate"]:
        found = by_vin.get(values["vin"] or "") or by_plate.get(values["plate"] or "")
        if found is None:
            column = "vin" if values["vin"] else "plate"
            raise v.RowError(
                column,
                tr("未知车辆 {k}", "Unknown vehicle {k}", k=values["vin"] or values["plate"]),
            )
        values["vehicle_id"] = found


def _new(values: dict[str, Any]) -> dict[str, Any]:
    row = {c: values[c] for c in COMPARED}
    row.update(
        policy_no=values["policy_no"],
        issued_at=values["issued_at"],
        commission=Decimal(0),
        reinsurance_share=None,
        coinsurance_share=None,
        coinsurance_lead=None,
    )
    return row
