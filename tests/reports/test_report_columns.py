"""A measure or customer column reads and totals the same in every report that shows it."""

from tests.reports.book import PERIOD, build_book, reports

# (report, view) pairs covering the per-customer lists and the segment tables.
RUNS = (
    ("corporate", "overview"),
    ("corporate", "large"),
    ("customer_value", "top"),
    ("customer_value", "years"),
    ("key_customers", "contribution"),
    ("key_customers", "cross_sell"),
    ("risk_credit", "receivables"),
    ("risk_credit", "traits"),
    ("individual", "overview"),
    ("account_manager", None),
)
SHARED = (
    "customer_id",
    "name",
    "kind_label",
    "unit_code",
    "rank",
    "lines",
    "policies",
    "earned",
    "commission",
    "claims",
    "paid",
    "incurred",
    "earned_lr",
    "simple_lr",
    "balance",
)


def test_shared_columns_read_the_same_in_every_report(services) -> None:
    build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    seen: dict[str, dict[tuple, list[str]]] = {}
    written: set[str] = set()
    for name, chosen in RUNS:
        params = {**PERIOD, "view": chosen} if chosen else dict(PERIOD)
        for column in service.run(mgr, name, params).columns:
            if column.key in SHARED:
                shape = (column.zh, column.en, column.kind, column.total, column.ratio_of)
                seen.setdefault(column.key, {}).setdefault(shape, []).append(name)
            if column.key == "written":
                written.add(column.en)
    assert {"customer_id", "name", "earned", "incurred", "earned_lr"} <= set(seen)
    differing = {key: shapes for key, shapes in seen.items() if len(shapes) > 1}
    assert differing == {}
    assert written == {"Written premium"}
