"""Writing a classification result: only the customers whose class, reasons, flags or
rule version changed (`changed_rows`), history rows for class changes only, and the
monthly count of (month, unit, class) for the run's month from the run's own tallies.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import (
    BindParameter,
    Connection,
    Date,
    Integer,
    String,
    Table,
    bindparam,
    insert,
    text,
)

from tui_crm.storage.models import ClassMonthlyCount

TEMP = "tmp_class_result"
class_monthly_count_t: Table = ClassMonthlyCount.__table__  # type: ignore[attr-defined]
COLUMNS = (
    "id",
    "customer_class",
    "class_reasons",
    "flag_key",
    "flag_blacklist",
    "flag_renewal_due",
    "from_class",
    "class_changed",
    "unit_id",
)


def changed_rows(facts: pd.DataFrame, result: pd.DataFrame, rule_version: str) -> pd.DataFrame:
    """The rows of `result` that differ from what the customer table holds."""
    never = facts["old_version"].isna().to_numpy()
    class_changed = never | (result["customer_class"].to_numpy() != facts["old_class"].to_numpy())
    changed = (
        class_changed
        | (result["class_reasons"].to_numpy() != facts["old_reasons"].to_numpy())
        | (facts["old_version"].to_numpy() != rule_version)
        | (result["flag_key"].to_numpy() != facts["old_flag_key"].astype(bool).to_numpy())
        | (
            result["flag_blacklist"].to_numpy()
            != facts["old_flag_blacklist"].astype(bool).to_numpy()
        )
        | (
            result["flag_renewal_due"].to_numpy()
            != facts["old_flag_renewal_due"].astype(bool).to_numpy()
        )
    )
    out = result.loc[changed, ["customer_class", "class_reasons"]].copy()
    out["flag_key"] = result["flag_key"].to_numpy()[changed]
    out["flag_blacklist"] = result["flag_blacklist"].to_numpy()[changed]
    out["flag_renewal_due"] = result["flag_renewal_due"].to_numpy()[changed]
    from_class = facts["old_class"].astype(object).to_numpy().copy()
    from_class[never] = None
    out["from_class"] = from_class[changed]
    out["class_changed"] = class_changed[changed]
    out["unit_id"] = facts["unit_id"].to_numpy()[changed]
    return out


class ResultWriter:
    """Writes changed rows as a run produces them, inside the caller's transaction.

    SQLite: one executemany UPDATE of the customer rows by id and one executemany INSERT
    of history rows, per slice (no staging copy). PostgreSQL: rows are COPied into a temp
    table and `finish` applies them with one UPDATE … FROM and one INSERT … SELECT.
    A cancelled run rolls the transaction back, so nothing it wrote stays.
    """

    def __init__(
        self,
        connection: Connection,
        *,
        as_of: date,
        rule_version: str,
        run_id: int | None,
        source: str,
    ) -> None:
        self.connection = connection
        self.as_of, self.rule_version, self.run_id, self.source = (
            as_of,
            rule_version,
            run_id,
            source,
        )
        self.sqlite = connection.dialect.name == "sqlite"
        if not self.sqlite:
            create_temp(connection)

    def add(self, rows: pd.DataFrame) -> None:
        if rows.empty:
            return
        if not self.sqlite:
            load_temp(self.connection, rows)
            return
        raw: Any = self.connection.connection.driver_connection
        ids = rows.index.to_numpy().astype("int64").tolist()
        classes = rows["customer_class"].tolist()
        reasons = rows["class_reasons"].tolist()
        cursor = raw.cursor()
        try:
            cursor.executemany(
                "UPDATE customer SET customer_class = ?, class_reasons = ?,"
                " class_rule_version = ?, flag_key = ?, flag_blacklist = ?,"
                " flag_renewal_due = ? WHERE id = ?",
                zip(
                    classes,
                    reasons,
                    [self.rule_version] * len(ids),
                    _flags(rows, "flag_key"),
                    _flags(rows, "flag_blacklist"),
                    _flags(rows, "flag_renewal_due"),
                    ids,
                    strict=True,
                ),
            )
            moved = rows["class_changed"].to_numpy().astype(bool)
            if moved.any():
                picked = rows.loc[moved]
                cursor.executemany(
                    "INSERT INTO customer_class_history (customer_id, from_class, to_class,"
                    " changed_on, reasons, rule_version, run_id, source, unit_id)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    zip(
                        picked.index.to_numpy().astype("int64").tolist(),
                        picked["from_class"].tolist(),
                        picked["customer_class"].tolist(),
                        [self.as_of.isoformat()] * len(picked),
                        picked["class_reasons"].tolist(),
                        [self.rule_version] * len(picked),
                        [self.run_id] * len(picked),
                        [self.source] * len(picked),
                        picked["unit_id"].to_numpy().astype("int64").tolist(),
                        strict=True,
                    ),
                )
        finally:
            cursor.close()

    def finish(self) -> None:
        if not self.sqlite:
            apply_temp(
                self.connection,
                as_of=self.as_of,
                rule_version=self.rule_version,
                run_id=self.run_id,
                source=self.source,
            )
            drop_temp(self.connection)


def _flags(rows: pd.DataFrame, name: str) -> list[bool]:
    return rows[name].to_numpy().astype(bool).tolist()


def create_temp(connection: Connection) -> None:
    connection.execute(text(f"DROP TABLE IF EXISTS {TEMP}"))
    connection.execute(
        text(
            f"CREATE TEMPORARY TABLE {TEMP} (id BIGINT PRIMARY KEY, customer_class VARCHAR(12),"
            " class_reasons TEXT, flag_key BOOLEAN, flag_blacklist BOOLEAN,"
            " flag_renewal_due BOOLEAN, from_class VARCHAR(12), class_changed BOOLEAN,"
            " unit_id BIGINT)"
        )
    )


def drop_temp(connection: Connection) -> None:
    connection.execute(text(f"DROP TABLE IF EXISTS {TEMP}"))


def _tuples(rows: pd.DataFrame) -> Iterable[tuple[Any, ...]]:
    """Plain Python values, converted column by column (fast), zipped into rows."""
    return zip(
        rows.index.to_numpy().astype("int64").tolist(),
        rows["customer_class"].tolist(),
        rows["class_reasons"].tolist(),
        _flags(rows, "flag_key"),
        _flags(rows, "flag_blacklist"),
        _flags(rows, "flag_renewal_due"),
        rows["from_class"].tolist(),
        _flags(rows, "class_changed"),
        rows["unit_id"].to_numpy().astype("int64").tolist(),
        strict=True,
    )


def load_temp(connection: Connection, rows: pd.DataFrame) -> None:
    """PostgreSQL: COPY the rows into the temp table."""
    if rows.empty:
        return
    raw: Any = connection.connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {TEMP} ({', '.join(COLUMNS)}) FROM STDIN") as copy,
    ):
        for row in _tuples(rows):
            copy.write_row(row)


def apply_temp(
    connection: Connection, *, as_of: date, rule_version: str, run_id: int | None, source: str
) -> None:
    """PostgreSQL: customer rows from the temp table; history rows for class changes."""
    connection.execute(
        text(
            f"UPDATE customer SET customer_class = t.customer_class,"
            f" class_reasons = t.class_reasons, class_rule_version = :version,"
            f" flag_key = t.flag_key, flag_blacklist = t.flag_blacklist,"
            f" flag_renewal_due = t.flag_renewal_due"
            f" FROM {TEMP} AS t WHERE customer.id = t.id"
        ).bindparams(bindparam("version", rule_version, type_=String))
    )
    connection.execute(
        text(
            "INSERT INTO customer_class_history (customer_id, from_class, to_class, changed_on,"
            " reasons, rule_version, run_id, source, unit_id)"
            " SELECT id, from_class, customer_class, :changed_on, class_reasons, :version,"
            f" :run_id, :source, unit_id FROM {TEMP} WHERE class_changed"
        ).bindparams(
            bindparam("changed_on", as_of, type_=Date),
            bindparam("version", rule_version, type_=String),
            bindparam("run_id", run_id, type_=Integer),
            bindparam("source", source, type_=String),
        )
    )


def replace_monthly_counts(
    connection: Connection, as_of: date, counts: dict[tuple[int, str], int]
) -> None:
    """Replace the (month, unit, class) counts of the as-of month with a run's counts."""
    month = as_of.replace(day=1)
    connection.execute(
        text("DELETE FROM class_monthly_count WHERE month = :month").bindparams(
            bindparam("month", month, type_=Date)
        )
    )
    if counts:
        connection.execute(
            insert(class_monthly_count_t),
            [
                {"month": month, "unit_id": unit, "customer_class": klass, "count": n}
                for (unit, klass), n in sorted(counts.items())
            ],
        )


def adjust_monthly_counts(
    connection: Connection, as_of: date, moves: list[tuple[int, str | None, str]]
) -> None:
    """Keep the as-of month's counts true after single-customer changes (approval, lift):
    one less in the old class, one more in the new, per (unit, class). Months without a
    run yet stay empty (a run fills them)."""
    month = as_of.replace(day=1)
    exists = connection.execute(
        text("SELECT 1 FROM class_monthly_count WHERE month = :month").bindparams(
            bindparam("month", month, type_=Date)
        )
    ).first()
    if exists is None:
        return
    for unit_id, old, new in moves:
        params: list[BindParameter[Any]] = [
            bindparam("month", month, type_=Date),
            bindparam("unit", unit_id, type_=Integer),
        ]
        if old is not None:
            connection.execute(
                text(
                    'UPDATE class_monthly_count SET "count" = "count" - 1 WHERE month = :month'
                    ' AND unit_id = :unit AND customer_class = :klass AND "count" > 0'
                ).bindparams(*params, bindparam("klass", old, type_=String))
            )
        done = connection.execute(
            text(
                'UPDATE class_monthly_count SET "count" = "count" + 1 WHERE month = :month'
                " AND unit_id = :unit AND customer_class = :klass"
            ).bindparams(*params, bindparam("klass", new, type_=String))
        )
        if not done.rowcount:
            connection.execute(
                text(
                    'INSERT INTO class_monthly_count (month, unit_id, customer_class, "count")'
                    " VALUES (:month, :unit, :klass, 1)"
                ).bindparams(*params, bindparam("klass", new, type_=String))
            )
