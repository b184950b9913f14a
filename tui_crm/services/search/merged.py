"""A merged customer's keys lead to the record that survived the merge.

The merged record keeps its ID number, phones and name (so that an unmerge restores it),
so a probe may still find it; its hits are shown as the survivor's, once.
"""

from collections.abc import Callable
from typing import Any

from tui_crm.services.search.sql import Sql, id_list

ACTIVE = "SELECT merged_id, survivor_id FROM customer_merge WHERE unmerged_at IS NULL"
DEPTH = 5  # merges of merges followed at most


def survivors(run: Callable[[Sql], list[Any]], ids: list[int]) -> dict[int, int]:
    """merged id → the survivor it now lives on, for those of `ids` that were merged."""
    out: dict[int, int] = {}
    pending = list(ids)
    for _ in range(DEPTH):
        if not pending:
            break
        rows = run(Sql(f"{ACTIVE} AND merged_id IN ({id_list(pending)})"))
        step = {int(m): int(s) for m, s in rows}
        for original, current in list(out.items()):
            out[original] = step.get(current, current)
        for merged, survivor in step.items():
            out.setdefault(merged, survivor)
        pending = list(set(step.values()))
    return out


def resolve_ids(run: Callable[[Sql], list[Any]], ids: list[int]) -> list[int]:
    """`ids` with merged records replaced by their survivors, each once, in order."""
    mapping = survivors(run, ids) if ids else {}
    if not mapping:
        return ids
    return list(dict.fromkeys(mapping.get(i, i) for i in ids))


def resolve_found(run: Callable[[Sql], list[Any]], matches: dict[int, list[Any]]) -> None:
    """The same for a search's found ids and what each matched on (changed in place)."""
    mapping = survivors(run, list(matches)) if matches else {}
    if not mapping:
        return
    items = list(matches.items())
    matches.clear()
    for customer_id, matched in items:
        matches.setdefault(mapping.get(customer_id, customer_id), []).extend(matched)
