"""Duplicate review and merge: candidates worst first, two records side by side, merge
with the surviving value chosen field by field, and unmerge restoring both exactly.

Merging and unmerging need `customer.merge` (supervisors and managers) and both records
in the actor's units; both are audited with before and after (identifiers masked).
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from tui_crm.domain import MERGE_FIELDS
from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from tui_crm.services.core.masking import mask_id_number
from tui_crm.services.core.text import clean_text, name_pinyin, reverse
from tui_crm.services.duplicates.candidates import find_pairs
from tui_crm.services.duplicates.checks import (
    refuse_blacklist_clash,
    refuse_later_changes,
    resolve,
)
from tui_crm.services.duplicates.moves import (
    customer_row,
    dumps,
    move_back,
    move_rows,
    row_values,
)
from tui_crm.storage.db import Database
from tui_crm.storage.models import (
    Customer,
    CustomerMerge,
    OrgUnit,
    StaffUser,
)

LIMIT = 500


@dataclass(frozen=True)
class Side:
    id: int
    name: str
    kind: str
    unit_code: str
    unit_name: str
    id_number_masked: str | None
    customer_class: str


@dataclass(frozen=True)
class Candidate:
    score: int
    reasons: list[str]
    first: Side
    second: Side


@dataclass(frozen=True)
class FieldChoice:
    field: str
    survivor: str  # as shown (identifiers masked)
    merged: str
    differs: bool


@dataclass(frozen=True)
class Comparison:
    survivor: Side
    merged: Side
    fields: list[FieldChoice]
    survivor_version: int


@dataclass(frozen=True)
class MergeResult:
    merge_id: int
    survivor_id: int
    merged_id: int
    taken: list[str]  # fields whose value came from the merged record
    moved: dict[str, int]  # "table.column" -> rows moved


class DuplicateService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    # ------------------------------------------------------------------ reading
    def candidates(
        self, actor: Actor, *, unit_ids: frozenset[int] | None = None, limit: int = LIMIT
    ) -> list[Candidate]:
        """Candidate pairs in the actor's units (both records), worst first; with
        `unit_ids`, pairs of which one record is served there."""
        actor.require(Permission.CUSTOMER_MERGE)
        with self.database.session() as session:
            pairs = find_pairs(session)
            ids = {i for pair in pairs for i in pair}
            sides = _sides(session, ids)
        out = []
        for (a, b), pair in pairs.items():
            first, second = sides.get(a), sides.get(b)
            if first is None or second is None:
                continue
            units = (first[1], second[1])
            if not all(actor.in_scope(u) for u in units):
                continue
            if unit_ids is not None and not any(u in unit_ids for u in units):
                continue
            reasons = sorted(pair.reasons, key=lambda r: -pair.reasons[r])
            out.append(Candidate(pair.score, reasons, first[0], second[0]))
        out.sort(key=lambda c: (-c.score, c.first.id, c.second.id))
        return out[:limit]

    def compare(self, actor: Actor, survivor_id: int, merged_id: int) -> Comparison:
        """The two records side by side, field by field (identifiers masked)."""
        actor.require(Permission.CUSTOMER_MERGE)
        with self.database.session() as session:
            survivor, merged = self._pair(session, actor, survivor_id, merged_id)
            names = _staff_names(session, survivor, merged)
            fields = []
            for name in MERGE_FIELDS:
                a, b = getattr(survivor, name), getattr(merged, name)
                fields.append(
                    FieldChoice(name, _shown(name, a, names), _shown(name, b, names), a != b)
                )
            sides = _sides(session, {survivor_id, merged_id})
            return Comparison(sides[survivor_id][0], sides[merged_id][0], fields, survivor.version)

    def survivor_of(self, actor: Actor, customer_id: int) -> int | None:
        """The record a merged customer now lives on (None when not merged)."""
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            return resolve(session, customer_id)

    # ------------------------------------------------------------------ writing
    def merge(
        self,
        actor: Actor,
        survivor_id: int,
        merged_id: int,
        *,
        take: list[str] | tuple[str, ...] = (),
        reason: str = "",
        version: int | None = None,
    ) -> MergeResult:
        """Merge `merged_id` into `survivor_id`: the fields in `take` get the merged
        record's value, every row of the merged record moves to the survivor, and the
        merged record is kept (marked merged) so that `unmerge` restores both."""
        actor.require(Permission.CUSTOMER_MERGE)
        unknown = [f for f in take if f not in MERGE_FIELDS]
        if unknown:
            raise ValidationFailed(
                tr("不能选择的字段：{f}", "Not a field to choose: {f}", f=", ".join(unknown)),
                field="take",
            )
        with self.database.session() as session:
            survivor, merged = self._pair(session, actor, survivor_id, merged_id)
            if version is not None and survivor.version != version:
                raise Conflict(
                    tr("保留的客户已被他人修改，请重新打开", "The survivor changed; reopen it"),
                    code="stale_version",
                )
            refuse_blacklist_clash(session, survivor_id, merged_id)
            before = customer_row(survivor)
            changes = _changes(survivor, merged, take)
            moved = move_rows(session, merged_id, survivor_id)
            session.refresh(survivor)
            for name, value in changes.items():
                setattr(survivor, name, value)
            survivor.version += 1
            survivor.updated_at = datetime.now(UTC)
            session.add(survivor)
            session.flush()
            after = {k: customer_row(survivor)[k] for k in [*changes, "version", "updated_at"]}
            row = CustomerMerge(
                survivor_id=survivor_id,
                merged_id=merged_id,
                merged_by_id=actor.id,
                reason=clean_text(reason)[:200] or None,
                survivor_before=dumps(before),
                survivor_after=dumps(after),
                moved=dumps(moved),
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            counts = {k: len(v) for k, v in moved.items()}
            audit.record(
                session,
                actor,
                "merge",
                entity="customer",
                entity_id=survivor_id,
                before={"survivor": _audit_fields(before), "merged": _audit_fields(merged)},
                after={"survivor": _audit_fields(after), "merged_id": merged_id, "moved": counts},
                detail=row.reason,
            )
            session.commit()
            return MergeResult(row.id, survivor_id, merged_id, list(take), counts)

    def unmerge(self, actor: Actor, merged_id: int, *, reason: str = "") -> MergeResult:
        """Undo the merge of `merged_id`: its rows go back and the survivor's record is as
        before. Refused when the survivor was changed or merged again since."""
        actor.require(Permission.CUSTOMER_MERGE)
        with self.database.session() as session:
            row = session.exec(
                select(CustomerMerge).where(
                    CustomerMerge.merged_id == merged_id, col(CustomerMerge.unmerged_at).is_(None)
                )
            ).first()
            if row is None or row.id is None:
                raise NotFound(tr("客户 {i} 未被合并", "Customer {i} is not merged", i=merged_id))
            survivor = session.get(Customer, row.survivor_id)
            merged = session.get(Customer, merged_id)
            assert survivor is not None and merged is not None
            actor.require_scope(survivor.unit_id)
            actor.require_scope(merged.unit_id)
            refuse_later_changes(session, row, survivor)
            moved: dict[str, list[int]] = json.loads(row.moved)
            missing = move_back(session, moved, row.survivor_id, merged_id)
            current = customer_row(survivor)
            before = json.loads(row.survivor_before)
            for name, value in row_values(before).items():
                setattr(survivor, name, value)
            session.add(survivor)
            row.unmerged_at = datetime.now(UTC)
            row.unmerged_by_id = actor.id
            session.add(row)
            counts = {k: len(v) for k, v in moved.items()}
            audit.record(
                session,
                actor,
                "unmerge",
                entity="customer",
                entity_id=row.survivor_id,
                before={"survivor": _audit_fields(current), "merged_id": merged_id},
                after={"survivor": _audit_fields(before), "moved_back": counts},
                detail=" ".join(
                    p
                    for p in ((reason or "").strip()[:200], f"missing={missing}" * bool(missing))
                    if p
                )
                or None,
            )
            session.commit()
            return MergeResult(row.id, row.survivor_id, merged_id, [], counts)

    # ------------------------------------------------------------------ helpers
    def _pair(
        self, session: Session, actor: Actor, survivor_id: int, merged_id: int
    ) -> tuple[Customer, Customer]:
        if survivor_id == merged_id:
            raise ValidationFailed(
                tr("不能与自己合并", "A record cannot merge with itself"), field="merged"
            )
        found = []
        for customer_id in (survivor_id, merged_id):
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise NotFound(tr("没有编号为 {i} 的客户", "No customer {i}", i=customer_id))
            actor.require_scope(customer.unit_id)
            if resolve(session, customer_id) is not None:
                raise Conflict(
                    tr(
                        "客户 {i} 已被合并，请先撤销合并",
                        "Customer {i} is already merged; unmerge it first",
                        i=customer_id,
                    ),
                    code="already_merged",
                )
            found.append(customer)
        if found[0].kind != found[1].kind:
            raise ValidationFailed(
                tr("客户类型不同，不能合并", "Different kinds of customer cannot merge"),
                field="merged",
            )
        return found[0], found[1]


def _sides(session: Session, ids: set[int]) -> dict[int, tuple[Side, int]]:
    out: dict[int, tuple[Side, int]] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        rows = session.exec(
            select(Customer, OrgUnit.code, OrgUnit.name)
            .join(OrgUnit, col(OrgUnit.id) == col(Customer.unit_id))
            .where(col(Customer.id).in_(ordered[start : start + 500]))
        ).all()
        for c, code, unit_name in rows:
            assert c.id is not None
            side = Side(
                c.id,
                c.name,
                c.kind,
                code,
                unit_name,
                mask_id_number(c.id_number),
                c.customer_class,
            )
            out[c.id] = (side, c.unit_id)
    return out


def _staff_names(session: Session, *customers: Customer) -> dict[int, str]:
    ids = {c.account_manager_id for c in customers if c.account_manager_id}
    if not ids:
        return {}
    rows = session.exec(
        select(StaffUser.id, StaffUser.display_name).where(col(StaffUser.id).in_(ids))
    ).all()
    return {int(i or 0): n for i, n in rows}


def _shown(name: str, value: Any, staff: dict[int, str]) -> str:
    if value is None or value == "":
        return ""
    if name == "id_number":
        return mask_id_number(value) or ""
    if name == "account_manager_id":
        return staff.get(value, str(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _changes(
    survivor: Customer, merged: Customer, take: list[str] | tuple[str, ...]
) -> dict[str, Any]:
    changes = {f: getattr(merged, f) for f in take if getattr(merged, f) != getattr(survivor, f)}
    if "name" in changes:
        person = survivor.kind == "individual"
        changes["name_pinyin"], changes["name_initials"] = name_pinyin(
            changes["name"], person=person
        )
    if "id_number" in changes:
        changes["id_number_rev"] = reverse(changes["id_number"])
        changes["id_type"] = merged.id_type
    return changes


def _audit_fields(data: Any) -> dict[str, Any]:
    """The chosen fields for the audit log, the ID number masked."""
    source = data if isinstance(data, dict) else customer_row(data)
    out = {k: source[k] for k in (*MERGE_FIELDS, "version") if k in source}
    if out.get("id_number"):
        out["id_number"] = mask_id_number(out["id_number"])
    return out
