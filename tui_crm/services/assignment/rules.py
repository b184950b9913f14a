"""How a departing account manager's customers are spread over the ones taking them over.

- `even`: in turn, in customer-number order (the same input, the same split);
- `balance`: each to whoever then has the smallest book, counting what they already hold;
- `unit`: each to the taker serving the customer's unit (the nearest unit above it), and
  customers of a unit none of them serves spread evenly over all.
"""

from collections.abc import Sequence
from dataclasses import dataclass

RULES = ("even", "balance", "unit")


@dataclass(frozen=True)
class Taker:
    id: int
    unit_path: str
    book: int  # customers already held


def spread(
    rule: str, customers: Sequence[tuple[int, str]], takers: Sequence[Taker]
) -> dict[int, int]:
    """customer id → taker id, for (customer id, unit path) pairs in customer-id order."""
    ordered = sorted(customers)
    if rule == "balance":
        return _balance(ordered, takers)
    if rule == "unit":
        return _by_unit(ordered, takers)
    return {c: takers[i % len(takers)].id for i, (c, _) in enumerate(ordered)}


def _balance(customers: Sequence[tuple[int, str]], takers: Sequence[Taker]) -> dict[int, int]:
    load = {t.id: t.book for t in takers}
    order = {t.id: i for i, t in enumerate(takers)}
    out = {}
    for customer_id, _ in customers:
        taker = min(load, key=lambda t: (load[t], order[t]))
        out[customer_id] = taker
        load[taker] += 1
    return out


def _by_unit(customers: Sequence[tuple[int, str]], takers: Sequence[Taker]) -> dict[int, int]:
    out: dict[int, int] = {}
    rest: list[tuple[int, str]] = []
    for customer_id, path in customers:
        serving = [t for t in takers if path.startswith(t.unit_path)]
        if serving:
            # The nearest unit above the customer's; on a tie, the first taker named.
            nearest = max(len(t.unit_path) for t in serving)
            out[customer_id] = next(t.id for t in serving if len(t.unit_path) == nearest)
        else:
            rest.append((customer_id, path))
    for i, (customer_id, _) in enumerate(rest):
        out[customer_id] = takers[i % len(takers)].id
    return out
