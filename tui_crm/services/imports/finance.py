"""The `claims` and `receivables` extracts, both naming a policy by its number.

A claim is upserted by claim number (a later extract pays or closes it: the day it is
first seen closed is kept). A receivable is upserted by policy and due date; a rise of the
paid amount is also recorded as a payment, so the payment history stays."""

from collections.abc import Hashable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, select

from tui_crm.domain import ClaimStatus
from tui_crm.i18n import tr
from tui_crm.services.imports import values as v
from tui_crm.services.imports.apply import changes, existing_rows, write
from tui_crm.services.imports.columns import LAYOUTS
from tui_crm.services.imports.kind import ChunkResult, Pending
from tui_crm.services.imports.lookups import Context, chunks, policy_ids
from tui_crm.services.imports.policies import _number
from tui_crm.services.imports.state import table_states
from tui_crm.storage.models import Claim, Payment, Receivable

CLAIM = Claim.__table__  # type: ignore[attr-defined]
RECEIVABLE = Receivable.__table__  # type: ignore[attr-defined]
PAYMENT = Payment.__table__  # type: ignore[attr-defined]
CLAIM_STATUSES = {s.value: s.value for s in ClaimStatus}
CLAIM_COMPARED = (
    "loss_date",
    "report_date",
    "status",
    "paid",
    "outstanding",
    "cause",
    "fraud_suspected",
    "hard_to_settle",
    "handler_id",
)

CLAIM_STATE = (*CLAIM_COMPARED, "policy_id", "customer_id", "closed_on")
RECEIVABLE_STATE = ("policy_id", "customer_id", "due_date", "amount", "paid_amount", "settled_on")


def _policies(connection: Connection, rows: list[Pending], result: ChunkResult) -> list[Pending]:
    """The rows whose policy is known (policy and customer ids set); the others rejected."""
    found = policy_ids(connection, [p.values["policy_no"] for p in rows])
    kept = []
    for p in rows:
        hit = found.get(p.values["policy_no"])
        if hit is None:
            result.rejected[p.number] = v.RowError(
                "policy_no",
                tr("未知保单 {n}", "Unknown policy {n}", n=p.values["policy_no"]),
            )
            continue
        p.values["policy_id"], p.values["customer_id"] = hit
        kept.append(p)
    return kept


class Claims:
    layout = LAYOUTS["claims"]

    def parse(self, row: dict[str, str], ctx: Context) -> dict[str, Any]:
        out: dict[str, Any] = {
            "claim_no": _number(row, "claim_no", required=True),
            "policy_no": _number(row, "policy_no", required=True),
            "loss_date": v.day(row, "loss_date", required=True),
            "report_date": v.day(row, "reported_date", required=True),
        }
        if out["report_date"] < out["loss_date"]:
            raise v.RowError(
                "reported_date", tr("报案日期早于出险日期", "Reported before the loss date")
            )
        out["status"] = v.choice(row, "status", CLAIM_STATUSES)
        out["paid"] = v.money(row, "paid", required=True)
        out["outstanding"] = v.money(row, "outstanding") or Decimal(0)
        out["cause"] = v.text(row, "cause", 30) or "other"
        out["fraud_suspected"] = v.flag(row, "fraud")
        out["hard_to_settle"] = v.flag(row, "hard_to_settle")
        out["handler_id"] = ctx.staff_id(row.get("adjuster"), "adjuster")
        return out

    def key(self, values: dict[str, Any]) -> Hashable:
        return values["claim_no"]

    def write(self, connection: Connection, rows: list[Pending], ctx: Context) -> ChunkResult:
        result = ChunkResult(write(connection, CLAIM, [], []))
        kept = _policies(connection, rows, result)
        current = existing_rows(
            connection,
            CLAIM,
            "claim_no",
            [p.values["claim_no"] for p in kept],
            (*CLAIM_COMPARED, "policy_id", "closed_on"),
        )
        now = datetime.now(UTC)
        inserts: list[dict[str, Any]] = []
        updates: list[tuple[int, dict[str, Any]]] = []
        unchanged = 0
        new_rows: list[int] = []
        for p in kept:
            row = current.get(p.values["claim_no"])
            closed = p.values["status"] != ClaimStatus.OPEN
            if row is None:
                inserts.append(_new_claim(p.values, ctx.today if closed else None, now))
                new_rows.append(p.number)
                continue
            result.targets[p.number] = row["id"]
            diff = changes(row, p.values, (*CLAIM_COMPARED, "policy_id"))
            if diff and "status" in diff:
                diff["closed_on"] = (row["closed_on"] or ctx.today) if closed else None
            if diff:
                updates.append((row["id"], diff))
            else:
                unchanged += 1
        result.outcome = write(
            connection, CLAIM, inserts, updates, unchanged=unchanged, returning=True
        )
        result.targets.update(zip(new_rows, result.outcome.new_ids, strict=True))
        return result

    def states(self, connection: Connection, ids: list[int]) -> dict[int, str]:
        return table_states(connection, "claim", CLAIM_STATE, ids)


def _new_claim(values: dict[str, Any], closed_on: Any, now: datetime) -> dict[str, Any]:
    row = {c: values[c] for c in CLAIM_COMPARED}
    row.update(
        claim_no=values["claim_no"],
        policy_id=values["policy_id"],
        customer_id=values["customer_id"],
        closed_on=closed_on,
        description=None,
        at_fault=True,
        fatal=False,
        catastrophe_event_id=None,
        created_at=now,
    )
    return row


class Receivables:
    layout = LAYOUTS["receivables"]

    def parse(self, row: dict[str, str], ctx: Context) -> dict[str, Any]:
        out: dict[str, Any] = {
            "policy_no": _number(row, "policy_no", required=True),
            "due_date": v.day(row, "due_date", required=True),
            "amount": v.money(row, "amount", required=True),
            "paid_amount": v.money(row, "paid_amount") or Decimal(0),
            "paid_date": v.day(row, "paid_date"),
        }
        if out["paid_amount"] > out["amount"]:
            raise v.RowError(
                "paid_amount", tr("实收大于应收", "The paid amount exceeds the amount due")
            )
        settled = out["amount"] and out["paid_amount"] >= out["amount"]
        out["settled_on"] = (out["paid_date"] or ctx.today) if settled else None
        return out

    def key(self, values: dict[str, Any]) -> Hashable:
        return (values["policy_no"], values["due_date"])

    def write(self, connection: Connection, rows: list[Pending], ctx: Context) -> ChunkResult:
        result = ChunkResult(write(connection, RECEIVABLE, [], []))
        kept = _policies(connection, rows, result)
        current: dict[tuple[int, Any], dict[str, Any]] = {}
        columns = [
            RECEIVABLE.c[c]
            for c in ("id", "policy_id", "due_date", "amount", "paid_amount", "settled_on")
        ]
        for part in chunks(sorted({p.values["policy_id"] for p in kept})):
            query = select(*columns).where(RECEIVABLE.c.policy_id.in_(part))
            for found in connection.execute(query):
                current[(found.policy_id, found.due_date)] = dict(found._mapping)
        inserts: list[dict[str, Any]] = []
        updates: list[tuple[int, dict[str, Any]]] = []
        payments: list[tuple[int | None, int, Decimal, Any]] = []  # (id, index, amount, day)
        new_rows: list[int] = []
        unchanged = 0
        for p in kept:
            values = p.values
            row = current.get((values["policy_id"], values["due_date"]))
            paid_before = row["paid_amount"] if row else Decimal(0)
            if row and row["settled_on"] and values["settled_on"] and not values["paid_date"]:
                values["settled_on"] = row["settled_on"]  # settled on an earlier night
            if row is None:
                inserts.append(_new_receivable(values))
                new_rows.append(p.number)
            else:
                result.targets[p.number] = row["id"]
                if diff := changes(row, values, ("amount", "paid_amount", "settled_on")):
                    updates.append((row["id"], diff))
                else:
                    unchanged += 1
            if values["paid_amount"] > paid_before:
                target = row["id"] if row else None
                index = len(inserts) - 1 if row is None else -1
                day = values["paid_date"] or ctx.today
                payments.append((target, index, values["paid_amount"] - paid_before, day))
        result.outcome = write(
            connection, RECEIVABLE, inserts, updates, unchanged=unchanged, returning=True
        )
        result.targets.update(zip(new_rows, result.outcome.new_ids, strict=True))
        if payments:
            ids = result.outcome.new_ids
            connection.execute(
                insert(PAYMENT),
                [
                    {
                        "receivable_id": target if target is not None else ids[index],
                        "paid_on": day,
                        "amount": amount,
                        "method": "transfer",
                    }
                    for target, index, amount, day in payments
                ],
            )
        return result

    def states(self, connection: Connection, ids: list[int]) -> dict[int, str]:
        return table_states(connection, "receivable", RECEIVABLE_STATE, ids)


def _new_receivable(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "policy_id": values["policy_id"],
        "customer_id": values["customer_id"],
        "due_date": values["due_date"],
        "amount": values["amount"],
        "paid_amount": values["paid_amount"],
        "settled_on": values["settled_on"],
    }
