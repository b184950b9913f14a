"""The `customers` extract: matched by key (ID number, credit code or the source's own
number, then the ID number in the row), so customers the branch made by hand are updated,
not duplicated; new ones are `source = core`. Phone and address are the primary contacts."""

from collections.abc import Hashable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlmodel import Session

from tui_crm.domain import CustomerKind
from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.masking import mask_id_number
from tui_crm.services.core.text import name_pinyin, reverse
from tui_crm.services.imports import values as v
from tui_crm.services.imports.apply import Outcome, changes, write
from tui_crm.services.imports.bulk import insert_rows
from tui_crm.services.imports.columns import LAYOUTS
from tui_crm.services.imports.fts import fts_refreshed
from tui_crm.services.imports.kind import ChunkResult, Pending
from tui_crm.services.imports.lookups import (
    CUSTOMER,
    EXTERNAL,
    Context,
    chunks,
    customer_ids,
    survivors,
)
from tui_crm.services.imports.state import state_digest, table_states
from tui_crm.services.validation import validate
from tui_crm.storage.models import Contact

CONTACT = Contact.__table__  # type: ignore[attr-defined]
KINDS = {k.value: k.value for k in CustomerKind}
GENDERS = {"m": "M", "f": "F", "男": "M", "女": "F"}
COMPARED = (
    "name",
    "id_number",
    "birth_date",
    "gender",
    "unit_id",
    "account_manager_id",
    "intermediary_id",
    "industry",
    "ownership",
)


class Customers:
    layout = LAYOUTS["customers"]

    def parse(self, row: dict[str, str], ctx: Context) -> dict[str, Any]:
        key = v.customer_key(row, "customer_key", today=ctx.today)
        assert key is not None
        kind = v.choice(row, "kind", KINDS)
        out: dict[str, Any] = {"key": key, "kind": kind}
        out["name"] = v.text(row, "name", 100, required=True)
        out["id_number"] = _id_number(row, key, kind, ctx)
        out["birth_date"] = v.day(row, "birth_date")
        out["gender"] = v.choice(row, "gender", GENDERS, default="") or None
        number = out["id_number"]
        if kind == CustomerKind.INDIVIDUAL and number:  # a checked 18-digit ID number
            born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            out["birth_date"] = out["birth_date"] or born
            out["gender"] = out["gender"] or ("M" if int(number[16]) % 2 else "F")
        out["phone"] = _phone(row, kind)
        out["address"] = v.text(row, "address", 300)
        out["unit_id"] = ctx.unit(row.get("unit_code"))
        out["account_manager_id"] = ctx.staff_id(row.get("account_manager"), "account_manager")
        out["intermediary_id"] = ctx.intermediary(row.get("intermediary_code"))[0]
        out["industry"] = v.text(row, "industry", 40)
        out["ownership"] = v.text(row, "ownership", 20)
        return out

    def key(self, values: dict[str, Any]) -> Hashable:
        return values["key"]

    def write(self, connection: Connection, rows: list[Pending], ctx: Context) -> ChunkResult:
        with fts_refreshed(connection) as touched:
            result, ids = self._write(connection, rows, ctx)
            touched.update(ids)
        return result

    def _write(
        self, connection: Connection, rows: list[Pending], ctx: Context
    ) -> tuple[ChunkResult, set[int]]:
        keys = [p.values["key"] for p in rows]
        extra = [v.CustomerKey("id", p.values["id_number"]) for p in rows if p.values["id_number"]]
        found = customer_ids(connection, ctx.source, [*keys, *extra])
        targets: list[int | None] = []
        for p in rows:
            number = p.values["id_number"]
            hit = found.get(p.values["key"])
            if hit is None and number:
                hit = found.get(v.CustomerKey("id", number))
            targets.append(hit)
        rows, targets, refused = _living(connection, rows, targets)
        current = _current(connection, [t for t in targets if t is not None])
        now = datetime.now(UTC)
        inserts: list[dict[str, Any]] = []
        new_rows: list[Pending] = []
        updates: list[tuple[int, dict[str, Any]]] = []
        unchanged = 0
        for p, target in zip(rows, targets, strict=True):
            if target is None:
                inserts.append(_new(p.values, now))
                new_rows.append(p)
                continue
            diff = changes(current[target], p.values, COMPARED)
            if diff:
                diff.update(_derived(diff, current[target]["kind"]), updated_at=now)
                updates.append((target, diff))
            else:
                unchanged += 1
        outcome = write(connection, CUSTOMER, inserts, updates, unchanged=unchanged, returning=True)
        _audit_updates(connection, ctx, updates, current)
        ids = dict(zip((id(p) for p in new_rows), outcome.new_ids, strict=True))
        resolved = [t if t is not None else ids[id(p)] for p, t in zip(rows, targets, strict=True)]
        if ctx.source:
            _external_keys(connection, ctx.source, rows, resolved, found)
        contact_changes = _contacts(connection, rows, resolved, now)
        _recount(outcome, targets, contact_changes, {t for t, _ in updates})
        touched = {*outcome.new_ids, *outcome.changed_ids, *contact_changes}
        written = {p.number: i for p, i in zip(rows, resolved, strict=True)}
        return ChunkResult(outcome, refused, written), touched

    def states(self, connection: Connection, ids: list[int]) -> dict[int, str]:
        """The compared columns, the primary contacts and whether it was merged away."""
        wanted = sorted(set(ids))
        contacts: dict[int, list[tuple[str, str]]] = {}
        merged: dict[int, int] = {}
        for part in chunks(wanted):
            marks = ",".join(str(int(i)) for i in part)
            rows = connection.exec_driver_sql(
                "SELECT customer_id, kind, value FROM contact WHERE is_primary = TRUE "
                f"AND customer_id IN ({marks}) ORDER BY id"
            )
            for customer_id, kind, value in rows:
                contacts.setdefault(customer_id, []).append((kind, value))
            rows = connection.exec_driver_sql(
                "SELECT merged_id, survivor_id FROM customer_merge WHERE unmerged_at IS NULL "
                f"AND merged_id IN ({marks})"
            )
            merged.update({m: s for m, s in rows})
        own = table_states(connection, "customer", ("kind", *COMPARED), wanted)
        return {
            i: state_digest((digest, contacts.get(i), merged.get(i))) for i, digest in own.items()
        }


def _living(
    connection: Connection, rows: list[Pending], targets: list[int | None]
) -> tuple[list[Pending], list[int | None], dict[int, v.RowError]]:
    """The rows whose customer was merged into another are refused: the merge chose the
    survivor's fields one by one, and the survivor's own row keeps it up to date."""
    merged = survivors(connection, [t for t in targets if t is not None])
    if not merged:
        return rows, targets, {}
    kept: list[Pending] = []
    kept_targets: list[int | None] = []
    refused: dict[int, v.RowError] = {}
    for p, target in zip(rows, targets, strict=True):
        if target in merged:
            refused[p.number] = v.RowError(
                "customer_key",
                tr(
                    "该客户已合并到客户 #{n}，未导入；请在核心系统合并客户号",
                    "This customer was merged into customer #{n}; not imported (merge the "
                    "customer numbers in the core system too)",
                    n=merged[target],
                ),
            )
            continue
        kept.append(p)
        kept_targets.append(target)
    return kept, kept_targets, refused


def _id_number(row: dict[str, str], key: v.CustomerKey, kind: str, ctx: Context) -> str | None:
    if key.kind != "external":
        return key.value
    if kind == CustomerKind.INDIVIDUAL and row.get("id_number"):
        return v.identity_number(row["id_number"], "id_number", today=ctx.today)
    if kind != CustomerKind.INDIVIDUAL and (row.get("credit_code") or row.get("id_number")):
        column = "credit_code" if row.get("credit_code") else "id_number"
        return v.identity_number(row[column], column, kind="uscc")
    return None


def _phone(row: dict[str, str], kind: str) -> tuple[str, str] | None:
    raw = row.get("phone")
    if not raw:
        return None
    verdict = validate("phone", raw, corporate=kind != CustomerKind.INDIVIDUAL)
    if not verdict.valid:
        raise v.RowError("phone", verdict.reason)
    kind_ = "mobile" if verdict.phone_type == "mobile" else "landline"  # type: ignore[attr-defined]
    return kind_, verdict.normalised


def _derived(values: dict[str, Any], kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in values:
        out["name_pinyin"], out["name_initials"] = _pinyin(
            values["name"], kind == CustomerKind.INDIVIDUAL
        )
    if "id_number" in values:
        out["id_number_rev"] = reverse(values["id_number"])
        out["id_type"] = _id_type(kind, values["id_number"])
    return out


@lru_cache(maxsize=1 << 16)
def _pinyin(name: str, person: bool) -> tuple[str, str]:
    """Cached: many customers share a name."""
    return name_pinyin(name, person=person)


def _id_type(kind: str, number: str | None) -> str | None:
    if not number:
        return None
    return "resident_id" if kind == CustomerKind.INDIVIDUAL else "credit_code"


def _new(values: dict[str, Any], now: datetime) -> dict[str, Any]:
    row = {c: values[c] for c in COMPARED}
    row.update(
        kind=values["kind"],
        source="core",
        created_at=now,
        updated_at=now,
        name_pinyin="",
        name_initials="",
        customer_class="floating",
        version=1,
    )
    row.update(_derived(row, values["kind"]))
    for name in ("as_intermediary_id", "group_id", "parent_customer_id", "note", "id_number_rev"):
        row.setdefault(name, None)
    for name in ("intention_declared", "lapsed_to_competitor", "flag_key", "flag_blacklist"):
        row[name] = False
    row.update(flag_renewal_due=False, class_reasons=None, class_rule_version=None)
    return row


def _current(connection: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    columns = [CUSTOMER.c.id, CUSTOMER.c.kind, *(CUSTOMER.c[c] for c in COMPARED)]
    for part in chunks(sorted(set(ids))):
        for row in connection.execute(select(*columns).where(CUSTOMER.c.id.in_(part))):
            out[row.id] = dict(row._mapping)
    return out


def _external_keys(
    connection: Connection,
    source: str,
    rows: list[Pending],
    ids: list[int],
    found: dict[v.CustomerKey, int],
) -> None:
    new = {}
    for p, customer_id in zip(rows, ids, strict=True):
        key = p.values["key"]
        if key.kind == "external" and key not in found:
            new[key.value] = {"source": source, "key": key.value, "customer_id": customer_id}
    if new:
        connection.execute(insert(EXTERNAL), list(new.values()))


def _contacts(
    connection: Connection, rows: list[Pending], ids: list[int], now: datetime
) -> set[int]:
    """Primary phone and address as the extract gives them; the ids whose contacts changed."""
    current: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for part in chunks(sorted(set(ids))):
        query = (
            select(CONTACT.c.id, CONTACT.c.customer_id, CONTACT.c.kind, CONTACT.c.value)
            .where(CONTACT.c.customer_id.in_(part), CONTACT.c.is_primary.is_(True))
            .order_by(CONTACT.c.id)
        )
        for contact_id, customer_id, kind, value in connection.execute(query):
            current.setdefault((customer_id, kind), []).append((contact_id, value))
    inserts: list[dict[str, Any]] = []
    changed: set[int] = set()
    for p, customer_id in zip(rows, ids, strict=True):
        wanted = []
        if p.values["phone"]:
            wanted.append(p.values["phone"])
        if p.values["address"]:
            wanted.append(("address", p.values["address"]))
        for kind, value in wanted:
            held = current.get((customer_id, kind), [])
            if any(value == have for _, have in held):
                continue  # a merge may leave two primaries: either one will do
            have = held[0] if held else None
            changed.add(customer_id)
            phone = kind != "address"
            fields = {
                "value": value,
                "value_norm": value if phone else None,
                "value_rev": reverse(value) if phone else None,
            }
            if have is None:
                inserts.append(_contact(customer_id, kind, fields, now))
            else:
                connection.execute(update(CONTACT).where(CONTACT.c.id == have[0]).values(fields))
    insert_rows(connection, CONTACT, inserts)
    return changed


def _contact(customer_id: int, kind: str, fields: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "kind": kind,
        "is_primary": True,
        "consent_marketing_sms": False,
        "consent_at": None,
        "consent_source": None,
        "opted_out_at": None,
        "created_at": now,
        **fields,
    }


def _recount(
    outcome: Outcome, targets: list[int | None], contacts: set[int], updated: set[int]
) -> None:
    """A customer whose only change is a contact counts as updated, not unchanged."""
    moved = {t for t in targets if t is not None and t in contacts and t not in updated}
    outcome.updated += len(moved)
    outcome.unchanged -= len(moved)


def _audit_updates(
    connection: Connection,
    ctx: Context,
    updates: list[tuple[int, dict[str, Any]]],
    current: dict[int, dict[str, Any]],
) -> None:
    """A changed customer is audited as a hand edit is: the fields before and after, the
    ID number masked (new customers are counted on the batch's own audit row)."""
    if not updates:
        return
    with Session(bind=connection, join_transaction_mode="rollback_only") as session:
        for customer_id, diff in updates:
            names = [n for n in COMPARED if n in diff]
            before = {n: current[customer_id][n] for n in names}
            after = {n: diff[n] for n in names}
            for side in (before, after):
                if side.get("id_number"):
                    side["id_number"] = mask_id_number(side["id_number"])
            audit.record(
                session,
                ctx.actor,
                "update",
                entity="customer",
                entity_id=customer_id,
                before=before,
                after=after,
                detail=tr("导入", "import"),
            )
        session.flush()
