"""Bringing the customer facts up to date: nothing when fresh; else the new rows appended
and the rows of the customers a logged change concerns replaced; everything rebuilt when
the facts are missing, when replaced rows have come to make up more than `DEAD_LIMIT` of
what is held (and at least `DEAD_MIN_ROWS`), or when no list of changes is given while
the log holds some (`store` holds the tables and their signature, `load` reads the base
tables into them, `apply` replaces changed customers)."""

from dataclasses import fields
from typing import Any

import numpy as np
from sqlalchemy import Connection, insert

from tui_crm.i18n import tr
from tui_crm.services.reports.customer_facts.store import (
    FORMAT,
    PART,
    STATE,
    Signature,
    built,
    current,
    ensure_schema,
)
from tui_crm.storage import change_log

# Replaced rows beyond this share of the rows held (and this many: a small book's views
# do not notice them) make the refresh rebuild the facts compact.
DEAD_LIMIT = 0.3
DEAD_MIN_ROWS = 200_000


def refresh(
    connection: Connection,
    *,
    full: bool = False,
    customers: np.ndarray | None = None,
    progress: Any = None,
) -> str:
    """Bring the facts up to date; returns "fresh", "incremental" or "rebuilt".
    `customers`: those the logged changes concern (None: rebuild if any change is logged)."""
    from tui_crm.services.reports.customer_facts import apply, load  # pandas: when loading

    ensure_schema(connection)
    now = current(connection)
    found = None if full else built(connection)
    if found is not None and customers is None and change_log.pending(connection):
        found = None
    outcome, after = "rebuilt", {"policy": 0, "claim": 0, "receivable": 0, "customer": 0}
    changed = customers if customers is not None else np.zeros(0, dtype=np.int64)
    if found is not None:
        then, customer_max = found
        if then == now and not len(changed):
            return "fresh"
        outcome = "incremental"
        after = {
            "policy": then.policy_max,
            "claim": then.claim_max,
            "receivable": then.receivable_max,
            "customer": customer_max,
        }
    if outcome == "rebuilt":
        connection.execute(PART.delete())
    upto = {"policy": now.policy_max, "claim": now.claim_max, "receivable": now.receivable_max}
    customer_max = load.load(connection, after, upto, progress=progress)
    if outcome == "incremental" and len(changed):
        if progress is not None:
            progress(0, 1, tr("正在整理客户数据", "Preparing the customer data"))
        apply.apply(connection, changed, upto, customer_max)
        dead, held = apply.dead_rows(connection)
        if dead > max(DEAD_LIMIT * held, DEAD_MIN_ROWS):
            # Years of nightly changes would leave the views skipping more and more
            # replaced rows: past the limit the facts are written again, compact.
            connection.execute(PART.delete())
            outcome = "rebuilt"
            nothing = {"policy": 0, "claim": 0, "receivable": 0, "customer": 0}
            customer_max = load.load(connection, nothing, upto, progress=progress)
    connection.execute(STATE.delete())
    values = {f.name: getattr(now, f.name) for f in fields(Signature)}
    state = insert(STATE).values(id=1, customer_max=customer_max, format=FORMAT, **values)
    connection.execute(state)
    return outcome
