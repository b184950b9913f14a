"""Derived data fresh by increments: on a small demo book, random updates (new policies and
claims, cancellations, premium changes, claims paid and closed, a claim withdrawn or
deleted, payments, customers moved to another unit or given another industry or class, a
vehicle's use and seats) are logged by the triggers and applied by increments; every row
of the report cube (its sums per month and dimensions, its distinct customers) and of the
customer facts then equals a full rebuild — on SQLite and PostgreSQL."""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Connection, delete, func, insert, select, text, update

from tui_crm.services.demo import build_demo
from tui_crm.services.reports import refresh_derived
from tui_crm.services.reports.cube import store as cube
from tui_crm.services.reports.cube.store import (
    CUBE,
    CUBE_CUSTOMER,
    CUBE_DIMS,
    DIMENSIONS,
    MEASURES,
    SUMMARY,
)
from tui_crm.services.reports.customer_facts.read import read
from tui_crm.services.reports.customer_facts.store import COLUMNS
from tui_crm.services.reports.engine.tables import CL, C, P, R, U, V
from tui_crm.storage.db import Database
from tui_crm.storage.models import DerivedChange, Payment

AS_OF = date(2026, 11, 25)
LOG = DerivedChange.__table__  # type: ignore[attr-defined]
PAYMENT = Payment.__table__  # type: ignore[attr-defined]
DIMS = [name for name, _ in DIMENSIONS]


@pytest.fixture
def book(database: Database) -> Database:
    build_demo(database, 150, seed=11, as_of=AS_OF, replace=True)
    with database.connect() as connection:
        assert refresh_derived(connection).outcome == "rebuilt"
    return database


def cube_rows(connection: Connection) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """Every measure summed per month, cancellation month and dimensions (groups whose
    measures are all 0 left out: a change taken out leaves such a sum behind)."""
    keys = [CUBE.c.month, CUBE.c.cancel_month, *(CUBE.c[d] for d in DIMS)]
    sums = [func.sum(CUBE.c[m]) for m in MEASURES]
    rows = connection.execute(select(*keys, *sums).group_by(*keys)).all()
    found = {tuple(r[: len(keys)]): tuple(int(v) for v in r[len(keys) :]) for r in rows}
    return {k: v for k, v in found.items() if any(v)}


def repeated_or_empty_cells(connection: Connection) -> tuple[int, int]:
    """Cells (month, cancellation month, dimensions) held by more than one row, and rows
    whose measures are all 0: a compact cube has neither."""
    keys = [CUBE.c.month, CUBE.c.cancel_month, *(CUBE.c[d] for d in DIMS)]
    repeated = select(*keys).group_by(*keys).having(func.count() > 1).subquery()
    empty = select(func.count()).select_from(CUBE).where(*(CUBE.c[m] == 0 for m in MEASURES))
    return (
        int(connection.execute(select(func.count()).select_from(repeated)).scalar_one()),
        int(connection.execute(empty).scalar_one()),
    )


def summary_matches_the_cube(connection: Connection) -> bool:
    """The summary holds exactly the cube summed by month, cancellation month, unit, line
    and channel, without rows at zero."""
    keys = ["month", "cancel_month", "unit_id", "line_code", "channel"]
    sums = [func.sum(CUBE.c[m]) for m in MEASURES]
    grouped = connection.execute(select(*(CUBE.c[k] for k in keys), *sums).group_by(
        *(CUBE.c[k] for k in keys))).all()  # fmt: skip
    expected = {tuple(r[:5]): tuple(int(v) for v in r[5:]) for r in grouped}
    expected = {k: v for k, v in expected.items() if any(v)}
    stored = connection.execute(select(*(SUMMARY.c[k] for k in keys),
                                       *(SUMMARY.c[m] for m in MEASURES))).all()  # fmt: skip
    found = {tuple(r[:5]): tuple(int(v) for v in r[5:]) for r in stored}
    return bool(expected) and found == expected and len(stored) == len(found)


def cube_customers(connection: Connection) -> dict[tuple[Any, ...], set[tuple[Any, ...]]]:
    """Per (month, cancellation month): the distinct (dimensions, customer) pairs."""
    combos = {
        int(r[0]): tuple(r[1:])
        for r in connection.execute(select(CUBE_DIMS.c.dim_key, *(CUBE_DIMS.c[d] for d in DIMS)))
    }
    found: dict[tuple[Any, ...], set[tuple[Any, ...]]] = defaultdict(set)
    statement = select(CUBE_CUSTOMER.c.month, CUBE_CUSTOMER.c.cancel_month, CUBE_CUSTOMER.c.pairs)
    for month, cancel, blob in connection.execute(statement):
        for pair in np.frombuffer(bytes(blob), dtype="<i8"):
            found[(month, cancel)].add((combos[int(pair) >> 32], int(pair) & 0xFFFFFFFF))
    return {k: v for k, v in found.items() if v}


def facts_rows(connection: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every part of the customer facts, codes decoded, sorted."""
    facts = read(connection)
    parts = {"policy": facts.policy, "claim": facts.claim, "receivable": facts.receivable}
    parts["customer"] = facts.customer.customers
    found = {}
    for name, part in parts.items():
        columns = []
        for column in COLUMNS[name]:
            values = part[column]
            vocabulary = {"klass": "klass"}.get(column, column)
            if vocabulary in facts.vocab and column not in ("id", "customer"):
                values = np.asarray([facts.vocab[vocabulary][v] for v in values], dtype=object)
            columns.append(values.tolist())
        found[name] = sorted(zip(*columns, strict=True), key=repr)
    return found


def snapshot(database: Database) -> tuple[Any, ...]:
    with database.connect() as connection:
        return cube_rows(connection), cube_customers(connection), facts_rows(connection)


def ids(connection: Connection, table: Any, *where: Any) -> list[int]:
    return sorted(connection.execute(select(table.c.id).where(*where)).scalars())


def change_at_random(connection: Connection, rng: random.Random) -> None:
    policies = ids(connection, P)
    claims = ids(connection, CL)
    customers = ids(connection, C)
    for policy_id in rng.sample(policies, 6):  # new policies: copies starting a year on
        row = dict(connection.execute(select(P).where(P.c.id == policy_id)).one()._mapping)
        row.pop("id")
        row["policy_no"] = f"NEW{policy_id:010d}"
        row["start_date"] += timedelta(days=365)
        row["end_date"] += timedelta(days=365)
        row["renewal_of_id"] = policy_id
        row["customer_id"] = rng.choice(customers)
        connection.execute(insert(P).values(**row))
    for policy_id in rng.sample(policies, 5):  # cancellations, dated and not
        dated = rng.random() < 0.7
        start = connection.execute(select(P.c.start_date).where(P.c.id == policy_id)).scalar_one()
        cancelled_on = start + timedelta(days=rng.randint(0, 200)) if dated else None
        values = {"status": "cancelled", "cancelled_on": cancelled_on}
        connection.execute(update(P).where(P.c.id == policy_id).values(**values))
    for policy_id in rng.sample(policies, 5):  # premiums, dates and sales change
        premium = Decimal(rng.randint(50_000, 900_000)) / 100
        start = connection.execute(select(P.c.start_date).where(P.c.id == policy_id)).scalar_one()
        values = {"premium": premium, "start_date": start + timedelta(days=rng.randint(-40, 40))}
        connection.execute(update(P).where(P.c.id == policy_id).values(**values))
    moved = rng.sample(policies, 3)  # to another customer
    for policy_id in moved:
        connection.execute(
            update(P).where(P.c.id == policy_id).values(customer_id=rng.choice(customers))
        )
    for claim_id in rng.sample(claims, 6):  # paid and closed
        paid = Decimal(rng.randint(0, 5_000_000)) / 100
        values = {"paid": paid, "outstanding": Decimal("0.00"), "status": "closed"}
        connection.execute(update(CL).where(CL.c.id == claim_id).values(**values))
    withdrawn, dropped = rng.sample(claims, 2)
    connection.execute(update(CL).where(CL.c.id == withdrawn).values(status="withdrawn"))
    connection.execute(delete(CL).where(CL.c.id == dropped))
    for claim_id in rng.sample([c for c in claims if c not in (withdrawn, dropped)], 4):
        row = dict(connection.execute(select(CL).where(CL.c.id == claim_id)).one()._mapping)
        row.pop("id")
        row["claim_no"] = f"NEWCL{claim_id:010d}"
        row["policy_id"] = rng.choice(policies)
        row["customer_id"] = connection.execute(
            select(P.c.customer_id).where(P.c.id == row["policy_id"])
        ).scalar()
        connection.execute(insert(CL).values(**row))
    receivables = ids(connection, R, R.c.paid_amount < R.c.amount)
    for receivable_id in rng.sample(receivables, min(6, len(receivables))):  # payments
        amount = connection.execute(select(R.c.amount).where(R.c.id == receivable_id)).scalar()
        connection.execute(update(R).where(R.c.id == receivable_id).values(paid_amount=amount))
        connection.execute(
            insert(PAYMENT).values(
                receivable_id=receivable_id, paid_on=AS_OF - timedelta(days=3), amount=amount
            )
        )
    units = ids(connection, U)
    for customer_id in rng.sample(customers, 4):  # moved to another unit
        connection.execute(update(C).where(C.c.id == customer_id).values(unit_id=rng.choice(units)))
    for customer_id in rng.sample(customers, 3):  # another industry, gender and class
        connection.execute(
            update(C)
            .where(C.c.id == customer_id)
            .values(industry="制造业", gender=rng.choice(["M", "F", None]), customer_class="key")
        )
    for vehicle_id in rng.sample(ids(connection, V), 3):
        values = {"use": rng.choice(["private", "taxi", "truck"]), "seats": rng.randint(2, 40)}
        connection.execute(update(V).where(V.c.id == vehicle_id).values(**values))


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_refresh_equals_a_rebuild(book: Database, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2):  # two nights: the second applies on top of the first
        with book.connect() as connection:
            change_at_random(connection, rng)
            assert connection.execute(select(func.count()).select_from(LOG)).scalar_one() > 0
        with book.connect() as connection:
            done = refresh_derived(connection)
        assert (done.cube, done.facts) == ("incremental", "incremental")
        assert done.changes > 0 and done.policies > 0 and done.customers > 0
        with book.connect() as connection:  # the log is consumed
            assert connection.execute(select(func.count()).select_from(LOG)).scalar_one() == 0
            assert refresh_derived(connection).outcome == "fresh"
            # Changes are added to the cells in place: one row per cell, none left at zero.
            assert repeated_or_empty_cells(connection) == (0, 0)
            assert summary_matches_the_cube(connection)
    incremental = snapshot(book)
    with book.connect() as connection:
        cube_size = connection.execute(select(func.count()).select_from(CUBE)).scalar_one()
        assert refresh_derived(connection, full=True).outcome == "rebuilt"
        assert repeated_or_empty_cells(connection) == (0, 0)
        assert summary_matches_the_cube(connection)
        assert connection.execute(select(func.count()).select_from(CUBE)).scalar_one() == cube_size
    rebuilt = snapshot(book)
    assert incremental[0] == rebuilt[0]
    assert incremental[1] == rebuilt[1]
    for part in ("policy", "claim", "receivable", "customer"):
        assert incremental[2][part] == rebuilt[2][part], part


def test_an_unchanged_update_logs_nothing_and_a_large_log_rebuilds(
    book: Database, monkeypatch
) -> None:
    with book.connect() as connection:  # the same values written again: nothing logged
        connection.execute(update(P).values(premium=P.c.premium, status=P.c.status))
        assert connection.execute(select(func.count()).select_from(LOG)).scalar_one() == 0
        connection.execute(update(P).values(premium=P.c.premium + 1))
        logged = connection.execute(select(func.count()).select_from(LOG)).scalar_one()
        assert logged == connection.execute(select(func.count()).select_from(P)).scalar_one()
    with book.connect() as connection:  # every policy changed: more than SHARE of them
        done = refresh_derived(connection)
    assert (done.cube, done.facts, done.policies) == ("rebuilt", "rebuilt", 0)
    monkeypatch.setattr("tui_crm.services.reports.derived.LOG_LIMIT", 0)
    with book.connect() as connection:
        first = ids(connection, C)[0]
        connection.execute(update(C).where(C.c.id == first).values(industry="测试业"))
        assert refresh_derived(connection).outcome == "rebuilt"


def test_a_cube_of_an_older_layout_is_not_fresh_and_is_rebuilt(book: Database) -> None:
    with book.connect() as connection:  # the cube as it was before its cells had a key
        connection.execute(text("DROP INDEX ux_report_cube_cell"))
        connection.execute(text("ALTER TABLE report_cube DROP COLUMN dim_key"))
        assert not cube.is_fresh(connection)
        assert refresh_derived(connection).cube == "rebuilt"
        assert cube.is_fresh(connection)
        assert repeated_or_empty_cells(connection) == (0, 0)


def test_a_cube_without_its_summary_is_rebuilt_with_one(book: Database) -> None:
    with book.connect() as connection:  # a cube built by a release before the summary
        connection.execute(text("DROP TABLE report_cube_summary"))
        assert not cube.is_fresh(connection)
        assert refresh_derived(connection).cube == "rebuilt"
        assert cube.is_fresh(connection)
        assert summary_matches_the_cube(connection)


def test_facts_holding_too_many_replaced_rows_are_rebuilt_compact(
    book: Database, monkeypatch
) -> None:
    from tui_crm.services.reports.customer_facts.apply import dead_rows

    rng = random.Random(5)
    with book.connect() as connection:
        change_at_random(connection, rng)
    with book.connect() as connection:
        assert refresh_derived(connection).facts == "incremental"
        dead, held = dead_rows(connection)
    assert 0 < dead < held  # replaced rows are skipped: on a small book never worth a rebuild
    refresh_module = "tui_crm.services.reports.customer_facts.refresh"
    monkeypatch.setattr(f"{refresh_module}.DEAD_LIMIT", dead / held)
    monkeypatch.setattr(f"{refresh_module}.DEAD_MIN_ROWS", 0)
    with book.connect() as connection:
        change_at_random(connection, rng)
    with book.connect() as connection:
        done = refresh_derived(connection)
        assert (done.cube, done.facts) == ("incremental", "rebuilt")
        assert dead_rows(connection)[0] == 0
    compacted = facts_rows_of(book)
    with book.connect() as connection:
        assert refresh_derived(connection, full=True).facts == "rebuilt"
    assert compacted == facts_rows_of(book)


def facts_rows_of(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    with database.connect() as connection:
        return facts_rows(connection)


def test_cli_refresh_prints_what_it_applied(tmp_path, monkeypatch, capsys) -> None:
    from tests.cli.runner import run_cli

    url = f"sqlite:///{tmp_path / 'refresh.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    database = Database.from_url(url)
    build_demo(database, 60, seed=3, as_of=AS_OF)
    with database.connect() as connection:
        first, second = ids(connection, P)[:2]
        claim = ids(connection, CL)[0]
    database.dispose()
    result = run_cli(capsys, ["refresh", "--user", "manager", "--json"])
    assert result.code == 0 and (result.json["cube"], result.json["facts"]) == ("rebuilt",) * 2
    database = Database.from_url(url)
    with database.connect() as connection:
        connection.execute(update(P).where(P.c.id.in_([first, second])).values(status="expired"))
        connection.execute(update(CL).where(CL.c.id == claim).values(status="withdrawn"))
    database.dispose()
    result = run_cli(capsys, ["refresh", "--user", "manager", "--json"])
    assert result.code == 0
    assert {k: v for k, v in result.json.items() if k != "seconds"} == {
        "cube": "incremental",
        "facts": "incremental",
        "changes": 3,
        "policies": len({first, second, *_policy_of(url, claim)}),
        "claims": 1,
        "customers": len(_customers_of(url, [first, second, *_policy_of(url, claim)])),
    }
    assert isinstance(result.json["seconds"], float)
    result = run_cli(capsys, ["refresh", "--user", "manager", "--json"])
    assert (result.json["cube"], result.json["facts"], result.json["changes"]) == (
        "fresh",
        "fresh",
        0,
    )
    result = run_cli(capsys, ["--lang", "en", "refresh", "--full", "--user", "manager"])
    assert result.code == 0 and "Report cube rebuilt, customer facts rebuilt" in result.out
    assert run_cli(capsys, ["refresh"]).code == 2  # no user: a usage error


def _policy_of(url: str, claim: int) -> list[int]:
    database = Database.from_url(url)
    with database.connect() as connection:
        found = connection.execute(select(CL.c.policy_id).where(CL.c.id == claim)).scalar_one()
    database.dispose()
    return [int(found)]


def _customers_of(url: str, policies: list[int]) -> set[int]:
    database = Database.from_url(url)
    with database.connect() as connection:
        statement = select(P.c.customer_id).where(P.c.id.in_(policies))
        found = set(connection.execute(statement).scalars())
    database.dispose()
    return found
