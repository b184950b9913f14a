"""The SQL behind each search probe, on SQLite and PostgreSQL.

A probe drives a *stream*: customer ids in the order of the index that finds them, at
most `limit`, already filtered by org scope and by the other tokens of the query. The
other tokens arrive as *checks* (`predicate`): expressions on the customer row that
deliberately cannot use an index (`col || ''`, `unit_id + 0`), so the planner keeps
driving from the selective index and only tests the few rows it finds.

Prefix and suffix matches are index range scans (`col >= p AND col < p || U+10FFFF`);
suffixes use the reversed `*_rev` columns. Names of three characters and more use the
FTS5 trigram table (SQLite) or the pg_trgm GIN index (PostgreSQL); one or two characters
use the name index for prefixes and a bounded scan for the rest (`scan_names`).
"""

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlmodel import col

from tui_crm.services.search_query import (
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
from tui_crm.services.text import reverse
from tui_crm.storage.models import Claim, Contact, Customer, Policy, Vehicle

FTS = table("customer_fts", column("rowid"), column("name"))

# Identifier tails of this many characters have an expression index (see the models).
DOC_TAIL = 8


def _range(column_: Any, prefix: str) -> ColumnElement[bool]:
    return and_(column_ >= prefix, column_ < upper_bound(prefix))


def _match(column_: Any, probe: Probe) -> ColumnElement[bool]:
    """`column_` compared to the probe value (suffixes: `column_` is the reversed column)."""
    if probe.mode == EXACT:
        return column_ == probe.value  # type: ignore[no-any-return]
    if probe.mode == PREFIX:
        return _range(column_, probe.value)
    if probe.mode == SUFFIX:
        return _range(column_, reverse(probe.value) or "")
    raise ValueError(probe.mode)


def _doc_tail(number: Any) -> Any:
    """Last DOC_TAIL characters, as spelled by the expression index (same text on both)."""
    return func.substr(number, func.length(number) - literal_column(str(DOC_TAIL - 1)))


def _doc_match(number: Any, probe: Probe) -> ColumnElement[bool]:
    if probe.mode == SUFFIX:
        tail = probe.value[-DOC_TAIL:]
        return and_(_doc_tail(number) == tail, number.endswith(probe.value, autoescape=True))
    return _match(number, probe)


def _unindexed(column_: Any) -> Any:
    return column_.concat("")


def contains_text(dialect: str, haystack: Any, needle: str) -> ColumnElement[bool]:
    position = func.instr if dialect == "sqlite" else func.strpos
    return position(func.lower(haystack), needle.lower()) > 0  # type: ignore[no-any-return]


# ---------------------------------------------------------------- checks (other tokens)


def predicate(probe: Probe, dialect: str) -> ColumnElement[bool]:
    """True when the customer row (correlated) matches the probe; never index-driving."""
    f = probe.field
    if f == NAME:
        if probe.mode == PREFIX:
            return _range(_unindexed(col(Customer.name)), probe.value)
        return contains_text(dialect, _unindexed(col(Customer.name)), probe.value)
    if f == PINYIN_INITIALS:
        return _match(_unindexed(col(Customer.name_initials)), probe)
    if f == PINYIN_FULL:
        return _match(_unindexed(col(Customer.name_pinyin)), probe)
    if f in (ID_NUMBER, CREDIT_CODE):
        target = Customer.id_number_rev if probe.mode == SUFFIX else Customer.id_number
        return _match(_unindexed(col(target)), probe)
    if f == PHONE:
        target = Contact.value_rev if probe.mode == SUFFIX else Contact.value_norm
        return exists().where(
            col(Contact.customer_id) == col(Customer.id), _match(col(target), probe)
        )
    if f in (PLATE, VIN):
        if f == PLATE:
            target = Vehicle.plate_rev if probe.mode == SUFFIX else Vehicle.plate
        else:
            target = Vehicle.vin_rev if probe.mode == SUFFIX else Vehicle.vin
        return exists().where(
            col(Vehicle.owner_customer_id) == col(Customer.id), _match(col(target), probe)
        )
    if f == POLICY_NO:
        return exists().where(
            col(Policy.customer_id) == col(Customer.id), _doc_match(col(Policy.policy_no), probe)
        )
    if f == CLAIM_NO:
        return exists().where(
            col(Claim.customer_id) == col(Customer.id), _doc_match(col(Claim.claim_no), probe)
        )
    raise ValueError(f)


def any_of(probes: tuple[Probe, ...], dialect: str) -> ColumnElement[bool]:
    return or_(*(predicate(p, dialect) for p in probes))


def fallback_predicate(text: str, dialect: str) -> ColumnElement[bool]:
    """A token no probe understands (too short to route): it must appear in the name."""
    return contains_text(dialect, _unindexed(col(Customer.name)), text)


# ---------------------------------------------------------------- streams (driving token)


def _filters(
    scope: frozenset[int] | None, checks: list[ColumnElement[bool]], manager_id: int | None
) -> list[ColumnElement[bool]]:
    out = list(checks)
    if scope is not None:
        out.append((col(Customer.unit_id) + 0).in_(sorted(scope)))
    if manager_id is not None:
        out.append((col(Customer.account_manager_id) + 0) == manager_id)
    return out


def stream(
    probe: Probe,
    *,
    dialect: str,
    limit: int,
    scope: frozenset[int] | None,
    checks: list[ColumnElement[bool]],
    manager_id: int | None = None,
) -> Select:
    """SELECT customer_id, matched value … ORDER BY the driving index LIMIT `limit`."""
    filters = _filters(scope, checks, manager_id)
    f = probe.field
    query: Select
    if f == NAME and probe.mode == CONTAINS:
        return _name_contains(probe, dialect, limit, filters)
    if f in (NAME, PINYIN_INITIALS, PINYIN_FULL, ID_NUMBER, CREDIT_CODE):
        target: Any = {
            NAME: Customer.name,
            PINYIN_INITIALS: Customer.name_initials,
            PINYIN_FULL: Customer.name_pinyin,
        }.get(f)
        if target is None:
            target = Customer.id_number_rev if probe.mode == SUFFIX else Customer.id_number
        target = col(target)
        shown = None if f in (NAME, PINYIN_INITIALS, PINYIN_FULL) else col(Customer.id_number)
        query = select(col(Customer.id), shown if shown is not None else col(Customer.id)).where(
            _match(target, probe), *filters
        )
        order = col(Customer.id) if probe.mode == EXACT else target
        return query.order_by(order).limit(limit)
    if f == PHONE:
        target = col(Contact.value_rev if probe.mode == SUFFIX else Contact.value_norm)
        query = select(col(Contact.customer_id), col(Contact.value_norm)).where(
            _match(target, probe)
        )
        key = col(Contact.customer_id)
    elif f in (PLATE, VIN):
        if f == PLATE:
            target = col(Vehicle.plate_rev if probe.mode == SUFFIX else Vehicle.plate)
            shown = col(Vehicle.plate)
        else:
            target = col(Vehicle.vin_rev if probe.mode == SUFFIX else Vehicle.vin)
            shown = col(Vehicle.vin)
        query = select(col(Vehicle.owner_customer_id), shown).where(_match(target, probe))
        key = col(Vehicle.owner_customer_id)
    elif f == POLICY_NO:
        target = col(Policy.policy_no)
        query = select(col(Policy.customer_id), target).where(_doc_match(target, probe))
        key = col(Policy.customer_id)
    elif f == CLAIM_NO:
        target = col(Claim.claim_no)
        query = select(col(Claim.customer_id), target).where(_doc_match(target, probe))
        key = col(Claim.customer_id)
    else:
        raise ValueError(f)
    if filters:
        query = query.join(Customer, col(Customer.id) == key).where(*filters)
    return query.order_by(target).limit(limit)


def _name_contains(
    probe: Probe, dialect: str, limit: int, filters: list[ColumnElement[bool]]
) -> Select:
    """Names containing 3+ characters: FTS5 trigram (SQLite) or pg_trgm (PostgreSQL)."""
    if dialect == "sqlite":
        phrase = '"' + probe.value.replace('"', '""') + '"'
        rowid = FTS.c.rowid
        query = select(rowid, rowid).select_from(FTS).where(FTS.c.name.match(phrase))
        if filters:
            query = query.join(Customer, col(Customer.id) == rowid).where(*filters)
        return query.order_by(rowid).limit(limit)
    query = select(col(Customer.id), col(Customer.id)).where(
        col(Customer.name).icontains(probe.value, autoescape=True), *filters
    )
    return query.order_by(col(Customer.id)).limit(limit)


def scan_names(
    connection: Connection,
    probe: Probe,
    *,
    dialect: str,
    limit: int,
    budget: int,
    filters: list[ColumnElement[bool]],
) -> tuple[list[int], bool]:
    """Names containing one or two characters: a scan in id windows, stopped after
    `limit` matches or `budget` rows. Returns the ids and whether the scan was complete.

    Neither FTS5 trigram nor pg_trgm can index fewer than three characters; prefixes
    (surnames) come from the name index, this finds the rest page by page.
    """
    top = connection.execute(select(func.max(col(Customer.id)))).scalar() or 0
    window = 50_000
    found: list[int] = []
    low = 0
    while low < top and low < budget and len(found) < limit:
        query = (
            select(col(Customer.id))
            .where(
                col(Customer.id) > low,
                col(Customer.id) <= low + window,
                contains_text(dialect, col(Customer.name), probe.value),
                *filters,
            )
            .order_by(col(Customer.id))
            .limit(limit - len(found))
        )
        found.extend(i for i in connection.execute(query).scalars() if i is not None)
        low += window
    return found, low >= top


def scan_filters(
    scope: frozenset[int] | None, checks: list[ColumnElement[bool]], manager_id: int | None
) -> list[ColumnElement[bool]]:
    return _filters(scope, checks, manager_id)
