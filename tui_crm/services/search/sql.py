"""The SQL behind each search probe, on SQLite and PostgreSQL.

A probe drives a *stream*: customer ids in the order of the index that finds them, at
most `limit`, already filtered by org scope and by the other tokens of the query. The
other tokens arrive as *checks*: conditions on the customer row written so that they
cannot use an index (`c.name || ''`, `c.unit_id + 0`), so the planner keeps driving from
the selective index and only tests the few rows it finds.

Prefix and suffix matches are index range scans (`col >= :p AND col < :p || U+10FFFF`);
suffixes use the reversed `*_rev` columns; policy and claim numbers have an expression
index on their last 8 characters. Names of three characters and more use the FTS5
trigram table (SQLite) or the pg_trgm GIN index (PostgreSQL); one or two characters use
the name index for prefixes and a bounded scan for the rest (`scan_sql`).

This is the hot path of typing in the search box (a query per keystroke, p95 ≤ 5 ms on a
million customers), so statements are plain SQL strings run on the driver's cursor: the
expression-building and result-processing layers of an ORM cost more than the index
lookups themselves. Every value travels as a bound parameter; only integers from the
database (unit ids, customer ids) are ever written into the text.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from tui_crm.services.core.text import reverse
from tui_crm.services.search.query import (
    CLAIM_NO,
    CONTAINS,
    CREDIT_CODE,
    EXACT,
    ID_NUMBER,
    NAME,
    PHONE,
    PINYIN_FULL,
    PINYIN_INITIALS,
    PLATE,
    POLICY_NO,
    PREFIX,
    SUFFIX,
    VIN,
    Probe,
    upper_bound,
)

DOC_TAIL = 8  # policy / claim numbers: expression index on the last 8 characters
_NAMED = re.compile(r":(\w+)")


@dataclass
class Sql:
    """A statement under construction: text with `:name` parameters, and their values."""

    text: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def bind(self, value: Any, prefix: str = "p") -> str:
        name = f"{prefix}{len(self.params)}"
        self.params[name] = value
        return f":{name}"


def for_driver(sql: str, dialect: str) -> str:
    """`:name` → the driver's parameter style (sqlite3 takes `:name` as it is)."""
    if dialect == "sqlite":
        return sql
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def run(cursor: Any, statement: Sql, dialect: str, *, prepare: bool = False) -> list[Any]:
    """Execute on the driver's cursor. `prepare` (PostgreSQL): keep the plan of a
    statement whose text repeats from keystroke to keystroke (never for LIKE patterns,
    whose plans depend on the pattern)."""
    text = for_driver(statement.text, dialect)
    if prepare and dialect != "sqlite":
        cursor.execute(text, statement.params, prepare=True)
    else:
        cursor.execute(text, statement.params)
    return list(cursor.fetchall())


def like_escape(value: str) -> str:
    return value.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _compare(sql: Sql, column: str, probe: Probe) -> str:
    """`column` compared to the probe (suffix probes: `column` is the reversed column)."""
    if probe.mode == EXACT:
        return f"{column} = {sql.bind(probe.value)}"
    value = reverse(probe.value) or "" if probe.mode == SUFFIX else probe.value
    return f"{column} >= {sql.bind(value)} AND {column} < {sql.bind(upper_bound(value))}"


def name_tail(column: str, size: int) -> str:
    """The last `size` (1 or 2) characters, spelled as the expression indexes spell them."""
    return (
        f"substr({column}, length({column}))"
        if size == 1
        else (f"substr({column}, length({column}) - 1)")
    )


def _doc(sql: Sql, column: str, probe: Probe) -> str:
    if probe.mode == SUFFIX:
        tail = sql.bind(probe.value[-DOC_TAIL:])
        pattern = sql.bind("%" + like_escape(probe.value))
        expr = f"substr({column}, length({column}) - {DOC_TAIL - 1})"
        return f"{expr} = {tail} AND {column} LIKE {pattern} ESCAPE '!'"
    return _compare(sql, column, probe)


def contains(dialect: str, haystack: str, sql: Sql, needle: str) -> str:
    position = "instr" if dialect == "sqlite" else "strpos"
    return f"{position}(lower({haystack}), {sql.bind(needle.lower())}) > 0"


# ---------------------------------------------------------------- checks (other tokens)


def check(sql: Sql, probe: Probe, dialect: str) -> str:
    """True when the customer row `c` matches the probe; never index-driving on `c`."""
    f = probe.field
    if f == NAME:
        if probe.mode == PREFIX:
            return _compare(sql, "(c.name || '')", probe)
        if probe.mode == SUFFIX:
            return f"(c.name || '') LIKE {sql.bind('%' + like_escape(probe.value))} ESCAPE '!'"
        return contains(dialect, "c.name", sql, probe.value)
    if f in (PINYIN_INITIALS, PINYIN_FULL) and probe.variant:
        where = _compare(sql, _VARIANT_COLUMNS[f], probe)
        return f"EXISTS (SELECT 1 FROM customer_pinyin x WHERE x.customer_id = c.id AND {where})"
    if f in (PINYIN_INITIALS, PINYIN_FULL):
        column = "c.name_initials" if f == PINYIN_INITIALS else "c.name_pinyin"
        return _compare(sql, f"({column} || '')", probe)
    if f in (ID_NUMBER, CREDIT_CODE):
        column = "c.id_number_rev" if probe.mode == SUFFIX else "c.id_number"
        return _compare(sql, f"({column} || '')", probe)
    if f == PHONE:
        column = "x.value_rev" if probe.mode == SUFFIX else "x.value_norm"
        where = _compare(sql, column, probe)
        return f"EXISTS (SELECT 1 FROM contact x WHERE x.customer_id = c.id AND {where})"
    if f in (PLATE, VIN):
        name = "plate" if f == PLATE else "vin"
        column = f"x.{name}_rev" if probe.mode == SUFFIX else f"x.{name}"
        where = _compare(sql, column, probe)
        return f"EXISTS (SELECT 1 FROM vehicle x WHERE x.owner_customer_id = c.id AND {where})"
    if f in (POLICY_NO, CLAIM_NO):
        table, column = ("policy", "x.policy_no") if f == POLICY_NO else ("claim", "x.claim_no")
        where = _doc(sql, column, probe)
        return f"EXISTS (SELECT 1 FROM {table} x WHERE x.customer_id = c.id AND {where})"
    raise ValueError(f)


def any_of(sql: Sql, probes: tuple[Probe, ...], dialect: str) -> str:
    return "(" + " OR ".join(f"({check(sql, p, dialect)})" for p in probes) + ")"


def filters(
    sql: Sql,
    dialect: str,
    *,
    tokens: list[tuple[Probe, ...]],
    loose: list[str],
    manager_id: int | None,
) -> list[str]:
    """Conditions on `c` for the other tokens and the "my book" filter."""
    out = [any_of(sql, probes, dialect) for probes in tokens]
    out += [contains(dialect, "c.name", sql, text) for text in loose]
    if manager_id is not None:
        out.append(f"(c.account_manager_id + 0) = {int(manager_id)}")
    return out


# ---------------------------------------------------------------- streams (driving token)

_CUSTOMER_COLUMNS = {
    NAME: "c.name",
    PINYIN_INITIALS: "c.name_initials",
    PINYIN_FULL: "c.name_pinyin",
}


_VARIANT_COLUMNS = {PINYIN_INITIALS: "x.initials", PINYIN_FULL: "x.pinyin"}


def _variant_stream(probe: Probe, sql: Sql, limit: int, where: list[str]) -> Sql:
    """Customers by another reading of their name (a small table: a few rows per name
    that has a character read more than one way, none for most)."""
    column = _VARIANT_COLUMNS[probe.field]
    extra = "".join(f" AND {w}" for w in where)
    join = " JOIN customer c ON c.id = x.customer_id" if where else ""
    sql.text = (
        f"SELECT x.customer_id, NULL FROM customer_pinyin x{join}"
        f" WHERE {_compare(sql, column, probe)}{extra} ORDER BY {column} LIMIT {int(limit)}"
    )
    return sql


def scope_sql(scope: frozenset[int] | None, *, indexed: bool = False) -> list[str]:
    """The org-scope condition on `c`: usable by the (unit_id, …) indexes, or not."""
    if scope is None:
        return []
    units = ",".join(str(int(u)) for u in sorted(scope))
    return [f"c.unit_id IN ({units})" if indexed else f"(c.unit_id + 0) IN ({units})"]


def stream(
    probe: Probe,
    sql: Sql,
    dialect: str,
    limit: int,
    where: list[str],
    scope: frozenset[int] | None = None,
    bound: int | None = None,
) -> Sql:
    """SELECT customer id, matched value … ORDER BY the driving index LIMIT `limit`;
    `where` are conditions on the customer row `c` (built on the same `sql`), `scope`
    the clerk's units (None: every unit), `bound` how many trigram matches to check."""
    f = probe.field
    if probe.variant:
        return _variant_stream(probe, sql, limit, where + scope_sql(scope))
    if f == NAME and probe.mode == CONTAINS:
        return _name_contains(probe, sql, dialect, limit, where + scope_sql(scope), bound)
    if f == NAME and probe.mode == SUFFIX:
        extra = "".join(f" AND {w}" for w in where + scope_sql(scope))
        tail = name_tail("c.name", len(probe.value))
        sql.text = (
            f"SELECT c.id, NULL FROM customer c WHERE {tail} = {sql.bind(probe.value)}{extra}"
            f" ORDER BY {tail} LIMIT {int(limit)}"  # the expression index's order (not c.id:
            # PostgreSQL would walk the primary key hoping to meet matches early)
        )
        return sql
    if f in _CUSTOMER_COLUMNS or f in (ID_NUMBER, CREDIT_CODE):
        column = _CUSTOMER_COLUMNS.get(f) or (
            "c.id_number_rev" if probe.mode == SUFFIX else "c.id_number"
        )
        shown = "NULL" if f in _CUSTOMER_COLUMNS else "c.id_number"
        if probe.mode == PREFIX and not where and dialect != "sqlite":
            return _open_prefix(probe, sql, column, shown, limit, scope)
        order = "c.id" if probe.mode == EXACT else column
        # Prefixes within a clerk's units use the (unit_id, column) indexes, unit by unit.
        by_unit = probe.mode == PREFIX and scope is not None
        extra = "".join(f" AND {w}" for w in where + scope_sql(scope, indexed=by_unit))
        if by_unit:
            order = f"c.unit_id, {column}"
        cond = _compare(sql, column, probe)
        sql.text = (
            f"SELECT c.id, {shown} FROM customer c WHERE {cond}{extra}"
            f" ORDER BY {order} LIMIT {int(limit)}"
        )
        return sql
    if f == PHONE:
        table, key = "contact t", "t.customer_id"
        column = "t.value_rev" if probe.mode == SUFFIX else "t.value_norm"
        shown, cond = "t.value_norm", _compare(sql, column, probe)
    elif f in (PLATE, VIN):
        table, key = "vehicle t", "t.owner_customer_id"
        name = "plate" if f == PLATE else "vin"
        column = f"t.{name}_rev" if probe.mode == SUFFIX else f"t.{name}"
        shown, cond = f"t.{name}", _compare(sql, column, probe)
    elif f in (POLICY_NO, CLAIM_NO):
        name = "policy_no" if f == POLICY_NO else "claim_no"
        table, key = ("policy t" if f == POLICY_NO else "claim t"), "t.customer_id"
        column = shown = f"t.{name}"
        cond = _doc(sql, column, probe)
    else:
        raise ValueError(f)
    where = where + scope_sql(scope)
    extra = "".join(f" AND {w}" for w in where)
    join = f" JOIN customer c ON c.id = {key}" if where else ""
    sql.text = (
        f"SELECT {key}, {shown} FROM {table}{join} WHERE {cond}{extra}"
        f" ORDER BY {column} LIMIT {int(limit)}"
    )
    return sql


def _fts_phrase(sql: Sql, probe: Probe) -> str:
    return sql.bind('"' + probe.value.replace('"', '""') + '"')


def fts_overflow(probe: Probe, sql: Sql, bound: int) -> Sql:
    """More than `bound` names contain the fragment (SQLite trigram index only)?"""
    sql.text = (
        f"SELECT count(*) FROM (SELECT rowid FROM customer_fts WHERE name MATCH"
        f" {_fts_phrase(sql, probe)} LIMIT {int(bound) + 1}) q"
    )
    return sql  # (appended to a shared statement: the caller takes `.text`)


def _open_prefix(
    probe: Probe, sql: Sql, column: str, shown: str, limit: int, scope: frozenset[int] | None
) -> Sql:
    """PostgreSQL: a prefix as an index walk from the prefix on, `limit` entries, then cut
    at its end. Equivalent to `col >= p AND col < p || U+10FFFF ORDER BY col LIMIT n`
    (what SQLite runs), but PostgreSQL estimates text ranges of CJK prefixes far too
    small (16 rows for a surname with 6,600) and would fetch and sort every match.
    Within a clerk's units: the same walk on the (unit_id, column) index, unit by unit.
    """
    low, high = sql.bind(probe.value), sql.bind(upper_bound(probe.value))
    units = sorted(scope) if scope is not None else [None]
    # Only the indexed columns: the walk reads the index alone (no table rows).
    unit_column = "c.unit_id" if scope is not None else "0"
    walks = []
    for i, unit in enumerate(units):
        in_unit = f" AND c.unit_id = {int(unit)}" if unit is not None else ""
        walks.append(
            f"SELECT * FROM (SELECT c.id, {shown} AS v, {unit_column} AS u, {column} AS o"
            f" FROM customer c WHERE {column} >= {low}{in_unit}"
            f" ORDER BY {column} LIMIT {int(limit)}) w{i}"
        )
    order = "o" if scope is None else "u, o"
    sql.text = (
        f"SELECT id, v FROM ({' UNION ALL '.join(walks)}) q WHERE o < {high}"
        f" ORDER BY {order} LIMIT {int(limit)}"
    )
    return sql


def _name_contains(
    probe: Probe, sql: Sql, dialect: str, limit: int, where: list[str], bound: int | None
) -> Sql:
    """Names containing 3+ characters: FTS5 trigram (SQLite) or pg_trgm (PostgreSQL).
    With conditions on the customer (scope, other tokens) and a `bound`, only the first
    `bound` names the index finds are checked (a broad fragment whose matches are all
    in other units must not read them all on a keystroke; the deep search does)."""
    extra = "".join(f" AND {w}" for w in where)
    if dialect == "sqlite":
        phrase = _fts_phrase(sql, probe)
        if where and bound:
            inner = (
                f"SELECT rowid FROM customer_fts WHERE name MATCH {phrase}"
                f" ORDER BY rowid LIMIT {int(bound)}"
            )
            sql.text = (
                f"SELECT f.rowid, NULL FROM ({inner}) f JOIN customer c ON c.id = f.rowid"
                f" WHERE 1 = 1{extra} ORDER BY f.rowid LIMIT {int(limit)}"
            )
            return sql
        join = " JOIN customer c ON c.id = f.rowid" if where else ""
        sql.text = (
            f"SELECT f.rowid, NULL FROM customer_fts f{join} WHERE f.name MATCH {phrase}{extra}"
            f" ORDER BY f.rowid LIMIT {int(limit)}"
        )
        return sql
    pattern = sql.bind("%" + like_escape(probe.value) + "%")
    sql.text = (
        f"SELECT c.id, NULL FROM customer c WHERE c.name ILIKE {pattern} ESCAPE '!'{extra}"
        f" ORDER BY c.id LIMIT {int(limit)}"
    )
    return sql


def pg_contains_ids(probe: Probe, sql: Sql, bound: int | None) -> Sql:
    """PostgreSQL: ids of names containing the fragment (pg_trgm), `bound` + 1 at most."""
    pattern = sql.bind("%" + like_escape(probe.value) + "%")
    limit = "" if bound is None else f" LIMIT {int(bound) + 1}"
    sql.text = f"SELECT id FROM customer WHERE name ILIKE {pattern} ESCAPE '!'{limit}"
    return sql


def ids_where(sql: Sql, ids: list[int], where: list[str]) -> Sql:
    """Which of these customers (in id order) meet the conditions on `c`."""
    extra = "".join(f" AND {w}" for w in where)
    sql.text = f"SELECT c.id FROM customer c WHERE c.id = ANY({sql.bind(ids)}){extra} ORDER BY c.id"
    return sql


def scan_sql(
    probe: Probe, sql: Sql, dialect: str, low: int, high: int, limit: int, where: list[str]
) -> Sql:
    """One window of the bounded scan for names containing one or two characters (neither
    FTS5 trigram nor pg_trgm can index fewer than three; surnames come from the name
    index as prefixes, this finds the rest a window of ids at a time)."""
    extra = "".join(f" AND {w}" for w in where)
    cond = contains(dialect, "c.name", sql, probe.value)
    sql.text = (
        f"SELECT c.id FROM customer c WHERE c.id > {int(low)} AND c.id <= {int(high)}"
        f" AND {cond}{extra} ORDER BY c.id LIMIT {int(limit)}"
    )
    return sql


def union(sql: Sql, members: list[tuple[int, str]]) -> Sql:
    """Statements of two or more columns as one: `k` first, then their columns, in order."""
    sql.text = " UNION ALL ".join(
        f"SELECT {int(k)} AS k, q{i}.* FROM ({text}) q{i}" for i, (k, text) in enumerate(members)
    )
    return sql


def id_list(ids: list[int]) -> str:
    return ",".join(str(int(i)) for i in ids)
