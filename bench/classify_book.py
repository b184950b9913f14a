"""A synthetic book at scale for the classification benchmark (numpy, bulk inserts).

Deterministic for a seed. Shape: 20% of customers never insured (some declared an
intention), the rest hold yearly renewal chains since 2018 (motor: CTPL + commercial each
year, others one line), some lapse; ~1% corporates with large premiums, a few tenders,
~1% cancellations; claims ~0.15 per policy (3% withdrawn/declined, 0.1% fraud flags);
receivables on 10% of policies, a fifth of them unpaid; 1% of customers in groups.
Used only when no demo book (`tui-crm demo`) is at hand.
"""

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import text

from tui_crm.storage.db import Database

EPOCH = np.datetime64("1970-01-01")
AS_OF = date(2026, 11, 25)


def _dates(day_numbers: np.ndarray) -> list[str]:
    return list((EPOCH + day_numbers.astype("timedelta64[D]")).astype(str))


def _bulk(database: Database, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    with database.connect() as connection:
        raw: Any = connection.connection.driver_connection
        if database.is_sqlite:
            cursor = raw.cursor()
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
            cursor.close()
        else:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)


def build(database: Database, customers: int, seed: int = 7) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    sqlite = database.is_sqlite
    now: Any = (
        datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ") if sqlite else datetime.now(UTC)
    )
    with database.connect() as connection:
        units = [
            r[0] for r in connection.execute(text("SELECT id FROM org_unit ORDER BY id")).all()
        ]
        (base,) = connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM customer")).one()
    n = customers
    ids = np.arange(base + 1, base + n + 1)
    unit = rng.choice(units, n)
    insured = rng.random(n) < 0.8
    intention = ~insured & (rng.random(n) < 0.1)
    competitor = insured & (rng.random(n) < 0.01)
    grouped = rng.random(n) < 0.01
    groups = max(1, n // 500)
    database_rows = [
        (
            int(ids[i]),
            "corporate" if grouped[i] else "individual",
            f"客户{ids[i]}",
            int(unit[i]),
            "core",
            bool(intention[i]),
            bool(competitor[i]),
            f"kehu{ids[i]}",
            "kh",
            "floating",
            False,
            False,
            False,
            1,
            now,
            now,
            None,
        )
        for i in range(n)
    ]
    with database.connect() as connection:
        for g in range(groups):
            connection.execute(
                text("INSERT INTO corporate_group (name) VALUES (:n)"), {"n": f"集团{g}"}
            )
        group_ids = [r[0] for r in connection.execute(text("SELECT id FROM corporate_group"))]
    group_of = rng.choice(group_ids, n)
    database_rows = [
        (*r[:-1], int(group_of[i]) if grouped[i] else None) for i, r in enumerate(database_rows)
    ]
    _bulk(
        database,
        "customer",
        [
            "id",
            "kind",
            "name",
            "unit_id",
            "source",
            "intention_declared",
            "lapsed_to_competitor",
            "name_pinyin",
            "name_initials",
            "customer_class",
            "flag_key",
            "flag_blacklist",
            "flag_renewal_due",
            "version",
            "created_at",
            "updated_at",
            "group_id",
        ],
        database_rows,
    )
    del database_rows
    # renewal chains: first year 2018..2026, length up to the as-of year
    holders = np.flatnonzero(insured)
    first_year = rng.integers(2018, 2027, len(holders))
    # 70% still renewing up to the as-of year, the rest lapsed at some point
    lapsed = rng.random(len(holders)) < 0.3
    length = np.where(
        lapsed, 1 + (rng.random(len(holders)) * (2027 - first_year)).astype(int), 2027 - first_year
    )
    length = np.minimum(length, 2027 - first_year)
    month = rng.integers(1, 13, len(holders))
    day = rng.integers(1, 29, len(holders))
    motor = rng.random(len(holders)) < 0.85
    big = grouped[holders] | (rng.random(len(holders)) < 0.01)
    rep = np.repeat(np.arange(len(holders)), length)
    year = first_year[rep] + (np.arange(len(rep)) - np.repeat(np.cumsum(length) - length, length))
    lines_per = np.where(motor[rep], 2, 1)
    rep2 = np.repeat(np.arange(len(rep)), lines_per)
    second = np.r_[False, rep2[1:] == rep2[:-1]]
    h = rep[rep2]
    cust = ids[holders][h]
    start = (
        np.array(
            [
                f"{y:04d}-{m:02d}-{d:02d}"
                for y, m, d in zip(year[rep2], month[h], day[h], strict=True)
            ]
        )
        .astype("datetime64[D]")
        .astype("int64")
    )
    end_years = (
        np.array(
            [
                f"{y + 1:04d}-{m:02d}-{d:02d}"
                for y, m, d in zip(year[rep2], month[h], day[h], strict=True)
            ]
        )
        .astype("datetime64[D]")
        .astype("int64")
    )
    end = end_years - 1
    count = len(cust)
    with database.connect() as connection:
        pid_base = 1 + int(
            connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM policy")).scalar() or 0
        )
    pids = np.arange(pid_base, pid_base + count)
    line = np.where(motor[h], np.where(second, "motor_commercial", "ctpl"), "property")
    premium = np.where(
        line == "ctpl", 95000, (rng.lognormal(np.log(3000), 0.5, count) * 100).astype(np.int64)
    )
    premium = np.where(big[h] & (line != "ctpl"), premium * 15, premium)
    tender = big[h] & (rng.random(count) < 0.05)
    cancelled = rng.random(count) < 0.01
    cancel_day = start + rng.integers(10, 300, count)
    prev_same = np.full(count, -1)
    # renewal link: previous year's same line of the same holder
    key = h * 4 + np.where(line == "motor_commercial", 1, 0)
    order = np.lexsort((year[rep2], key))
    same = np.r_[False, key[order][1:] == key[order][:-1]]
    prev_same[order[same]] = pids[order[np.flatnonzero(same) - 1]]
    unit_of = dict(zip(ids, unit, strict=True))
    s_dates, e_dates, c_dates = _dates(start), _dates(end), _dates(cancel_day)
    policy_rows = [
        (
            int(pids[i]),
            f"P{pids[i]:012d}",
            str(line[i]),
            int(cust[i]),
            int(unit_of[cust[i]]),
            "direct",
            bool(tender[i]),
            s_dates[i],
            e_dates[i],
            int(premium[i]) * 100,
            int(premium[i]),
            0,
            "cancelled" if cancelled[i] else "active",
            c_dates[i] if cancelled[i] else None,
            int(prev_same[i]) if prev_same[i] > 0 else None,
            False,
            False,
            False,
            now,
        )
        for i in range(count)
    ]
    _bulk(
        database,
        "policy",
        [
            "id",
            "policy_no",
            "line_code",
            "customer_id",
            "unit_id",
            "channel",
            "is_tender",
            "start_date",
            "end_date",
            "sum_insured",
            "premium",
            "commission",
            "status",
            "cancelled_on",
            "renewal_of_id",
            "surplus_reinsurance",
            "facultative_reinsurance",
            "coinsurance",
            "issued_at",
        ],
        policy_rows,
    )
    del policy_rows
    as_of = int(np.datetime64(AS_OF.isoformat()).astype("int64"))
    # claims
    per = rng.poisson(0.15, count)
    cp = np.repeat(np.arange(count), per)
    span = np.maximum(1, np.minimum(end[cp], as_of) - start[cp])
    report = start[cp] + (rng.random(len(cp)) * span).astype(np.int64)
    keep = report <= as_of
    cp, report = cp[keep], report[keep]
    status = rng.choice(
        ["closed", "open", "withdrawn", "declined"], len(cp), p=[0.8, 0.17, 0.02, 0.01]
    )
    amount = (rng.lognormal(np.log(4000), 1.0, len(cp)) * 100).astype(np.int64)
    paid = np.where(status == "closed", amount, np.where(status == "open", amount // 3, 0))
    outstanding = np.where(status == "open", amount - amount // 3, 0)
    fraud = rng.random(len(cp)) < 0.001
    r_dates = _dates(report)
    claim_rows = [
        (
            f"C{i + 1:012d}",
            int(pids[cp[i]]),
            int(cust[cp[i]]),
            r_dates[i],
            r_dates[i],
            "collision",
            int(paid[i]),
            int(outstanding[i]),
            str(status[i]),
            True,
            False,
            bool(fraud[i]),
            False,
            now,
        )
        for i in range(len(cp))
    ]
    _bulk(
        database,
        "claim",
        [
            "claim_no",
            "policy_id",
            "customer_id",
            "loss_date",
            "report_date",
            "cause",
            "paid",
            "outstanding",
            "status",
            "at_fault",
            "fatal",
            "fraud_suspected",
            "hard_to_settle",
            "created_at",
        ],
        claim_rows,
    )
    del claim_rows
    # receivables
    rp = np.flatnonzero(rng.random(count) < 0.1)
    unpaid = rng.random(len(rp)) < 0.2
    due = start[rp] + 30
    d_dates = _dates(due)
    receivable_rows = [
        (
            int(pids[rp[i]]),
            int(cust[rp[i]]),
            d_dates[i],
            int(premium[rp[i]]),
            0 if unpaid[i] else int(premium[rp[i]]),
            None if unpaid[i] else d_dates[i],
        )
        for i in range(len(rp))
    ]
    _bulk(
        database,
        "receivable",
        ["policy_id", "customer_id", "due_date", "amount", "paid_amount", "settled_on"],
        receivable_rows,
    )
    if not sqlite:
        with database.connect() as connection:
            for table in ("customer", "policy"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT MAX(id) FROM {table}))"
                    )
                )
            connection.execute(text("ANALYZE"))
    else:
        with database.connect() as connection:
            connection.execute(text("ANALYZE"))
    return {
        "customers": n,
        "policies": count,
        "claims": len(cp),
        "receivables": len(rp),
    }


def replicate(database: Database, times: int) -> dict[str, int]:
    """Copy the book already in the database `times` − 1 more times (new ids, numbers
    suffixed), in SQL: a demo book of N customers becomes one of N × times with the same
    shape. Bench databases only (the SQLite search trigger is paused during the copy)."""
    from tui_crm.storage.models import Claim, Customer, Policy, Receivable

    shifts = {
        "customer": {"id": "c", "parent_customer_id": "c"},
        "policy": {"id": "p", "customer_id": "c", "insured_id": "c", "renewal_of_id": "p"},
        "claim": {"id": "k", "policy_id": "p", "customer_id": "c"},
        "receivable": {"id": "r", "policy_id": "p", "customer_id": "c"},
    }
    suffixed = {"policy": "policy_no", "claim": "claim_no"}
    models = {"customer": Customer, "policy": Policy, "claim": Claim, "receivable": Receivable}
    with database.connect() as connection:
        if database.is_sqlite:
            # A self-reference (customer.parent_customer_id) makes SQLite look for children
            # of every inserted customer; off for the copy, back on with the next connection.
            connection.execute(text("PRAGMA foreign_keys=OFF"))
        tables = (("c", "customer"), ("p", "policy"), ("k", "claim"), ("r", "receivable"))
        top = {
            key: int(connection.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar())
            for key, table in tables
        }
        if database.is_sqlite:
            connection.execute(text("DROP TRIGGER IF EXISTS customer_fts_ai"))
        indexes = _secondary_indexes(connection, list(models), database.is_sqlite)
        for name, _ in indexes:
            connection.execute(text(f"DROP INDEX {name}"))
        for copy in range(1, times):
            for table, model in models.items():
                columns = [c.name for c in model.__table__.columns]  # type: ignore[attr-defined]
                values = []
                for name in columns:
                    if name in shifts[table]:
                        values.append(f"{name} + {copy * top[shifts[table][name]]}")
                    elif suffixed.get(table) == name:
                        values.append(f"{name} || '-{copy}'")
                    else:
                        values.append(name)
                bound = top[shifts[table]["id"]]
                connection.execute(
                    text(
                        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)}"
                        f" FROM {table} WHERE id <= {bound}"
                    )
                )
        for _, sql in indexes:
            connection.execute(text(sql))
        if database.is_sqlite:
            from tui_crm.storage.search_index import SQLITE_TRIGGERS

            connection.execute(text(SQLITE_TRIGGERS[0]))
        else:
            for table in models:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT MAX(id) FROM {table}))"
                    )
                )
        connection.execute(text("ANALYZE"))
    database.engine.dispose()
    with database.connect() as connection:
        return {
            table: int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar())
            for table in models
        }


def reset_classes(database: Database) -> None:
    """Forget every class, history row and monthly count (a first run classifies all)."""
    with database.connect() as connection:
        connection.execute(
            text(
                "UPDATE customer SET customer_class = 'floating', class_reasons = NULL,"
                " class_rule_version = NULL, flag_key = FALSE, flag_blacklist = FALSE,"
                " flag_renewal_due = FALSE"
            )
        )
        for table in ("customer_class_history", "class_monthly_count"):
            connection.execute(text(f"DELETE FROM {table}"))
        # runs this script killed half way stay "running" and would block the next one
        connection.execute(
            text("UPDATE classification_run SET status = 'failed' WHERE status = 'running'")
        )


def _secondary_indexes(connection: Any, tables: list[str], sqlite: bool) -> list[tuple[str, str]]:
    """(name, CREATE statement) of every non-unique, non-key index on the tables."""
    names = ", ".join(f"'{t}'" for t in tables)
    if sqlite:
        query = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({names}) AND sql NOT LIKE 'CREATE UNIQUE%'"
        )
    else:
        query = (
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            f" AND tablename IN ({names}) AND indexdef NOT LIKE 'CREATE UNIQUE%'"
        )
    return [(row[0], row[1]) for row in connection.execute(text(query))]
