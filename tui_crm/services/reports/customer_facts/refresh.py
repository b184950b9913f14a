"""Bringing the customer facts up to date: nothing when fresh, the new rows appended when
only rows were added, everything rebuilt otherwise (`store` holds the tables and their
signature, `load` reads the base tables into them)."""

from dataclasses import fields
from typing import Any

from sqlalchemy import Connection, insert

from tui_crm.services.reports.customer_facts.store import (
    FORMAT,
    PART,
    STATE,
    Signature,
    built,
    current,
    ensure_schema,
)


def refresh(connection: Connection, *, full: bool = False, progress: Any = None) -> str:
    """Bring the facts up to date; returns "fresh", "incremental" (new rows added, or only
    the receivables read again) or "rebuilt"."""
    from tui_crm.services.reports.customer_facts import load  # pandas: only when loading

    ensure_schema(connection)
    now = current(connection)
    found = None if full else built(connection)
    outcome, after = "rebuilt", {"policy": 0, "claim": 0, "receivable": 0, "customer": 0}
    if found is not None:
        then, customer_max = found
        if then == now:
            return "fresh"
        if (then.change, then.facts_change) == (now.change, now.facts_change):
            outcome = "incremental"
            after = {
                "policy": then.policy_max,
                "claim": then.claim_max,
                "receivable": then.receivable_max,
                "customer": customer_max,
            }
            if then.receivable_change != now.receivable_change:  # a payment, say
                connection.execute(PART.delete().where(PART.c.part == "receivable"))
                after["receivable"] = 0
    if outcome == "rebuilt":
        connection.execute(PART.delete())
    upto = {"policy": now.policy_max, "claim": now.claim_max, "receivable": now.receivable_max}
    customer_max = load.load(connection, after, upto, progress=progress)
    connection.execute(STATE.delete())
    values = {f.name: getattr(now, f.name) for f in fields(Signature)}
    state = insert(STATE).values(id=1, customer_max=customer_max, format=FORMAT, **values)
    connection.execute(state)
    return outcome
