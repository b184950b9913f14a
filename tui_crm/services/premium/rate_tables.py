"""Rate tables as data: seeding from fixtures/rates, administrators' edits and imports.

A table version is never changed once it is in force: an edit takes an effective-from
date and creates a new version (a copy of the version in force on that date with the
change), or changes a version that only starts later (not yet in force), so a trial always
reads what was in force on its start date. Every change is audited with before/after.
An imported version is all or nothing: a table missing half its rows would misquote, so
any bad row refuses the whole import, with every bad row reported.

Checks on values: amounts and factors are not negative (floating rates may be, down to
−100%); the expense loading cannot exceed its ceiling (`loading_ceiling`, 25%); the
self-pricing range must have min ≤ max.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text
from tui_crm.services.premium.bands import parse_band
from tui_crm.services.premium.inputs import parse_date, parse_decimal
from tui_crm.services.premium.money import tidy
from tui_crm.services.premium.rate_seed import read_rate_csv, seed_rate_tables
from tui_crm.services.premium.tables import (
    COMMERCIAL_PARAMS,
    CTPL_FLOATING,
    NATIONAL,
    versions_in_force,
)
from tui_crm.storage.db import Database
from tui_crm.storage.models import RateEntry, RateTable


@dataclass(frozen=True)
class TableVersion:
    id: int
    code: str
    region: str
    effective_from: date
    source: str
    note: str
    entries: int


@dataclass(frozen=True)
class EntryRow:
    key: str
    label: str
    value: Decimal


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


class ImportRefused(ValidationFailed):
    """An import with bad rows: `row_errors` lists every one (the message is the first)."""

    def __init__(self, row_errors: list[RowError]) -> None:
        first = row_errors[0]
        super().__init__(
            tr("第 {r} 行：{m}", "Row {r}: {m}", r=first.row, m=first.message), field=first.field
        )
        self.row_errors = row_errors


def check_value(code: str, key: str, value: Decimal, entries: dict[str, Decimal]) -> str | None:
    """Why a value cannot be in the table, or None."""
    if code == CTPL_FLOATING:
        if value < -1:
            return tr("浮动比率不能低于 −100%", "A floating rate cannot be below −100%")
        return None
    if value < 0:
        return tr("不能为负数", "Cannot be negative")
    if code == COMMERCIAL_PARAMS:
        ceiling = entries.get("loading_ceiling")
        if key == "loading" and ceiling is not None and value > ceiling:
            return tr(
                "附加费用率不能超过上限 {c}", "The loading cannot exceed its ceiling {c}", c=ceiling
            )
        if key == "loading" and value >= 1:
            return tr("附加费用率应小于 1", "The loading must be below 1")
        low, high = entries.get("self_pricing_min"), entries.get("self_pricing_max")
        if key == "self_pricing_min" and high is not None and value > high:
            return tr("下限不能高于上限", "The minimum cannot exceed the maximum")
        if key == "self_pricing_max" and low is not None and value < low:
            return tr("上限不能低于下限", "The maximum cannot be below the minimum")
    return None


def check_key(key: str) -> str | None:
    if not key or len(key) > 80 or " " in key:
        return tr("键应为 1–80 个字符且不含空格", "A key is 1–80 characters without spaces")
    parts = key.split(":")
    if len(parts) == 3 and parts[2][:1] in "[(" and parse_band(parts[2]) is None:
        return tr("档位写法应如 [6~10) 或 (1.0~1.6]", "Write bands like [6~10) or (1.0~1.6]")
    return None


class RateTableService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def versions(
        self, actor: Actor, code: str | None = None, region: str | None = None
    ) -> list[TableVersion]:
        with self.database.session() as session:
            query = select(RateTable).order_by(
                col(RateTable.code), col(RateTable.region), col(RateTable.effective_from)
            )
            if code:
                query = query.where(RateTable.code == code)
            if region:
                query = query.where(RateTable.region == region)
            tables = session.exec(query).all()
            counts: dict[int, int] = {}
            for table_id in session.exec(select(RateEntry.table_id)).all():
                counts[table_id] = counts.get(table_id, 0) + 1
            return [
                TableVersion(
                    t.id or 0,
                    t.code,
                    t.region,
                    t.effective_from,
                    t.source,
                    t.note,
                    counts.get(t.id or 0, 0),
                )
                for t in tables
            ]

    def entries(self, actor: Actor, table_id: int) -> list[EntryRow]:
        with self.database.session() as session:
            if session.get(RateTable, table_id) is None:
                raise NotFound(tr("费率表版本不存在", "No such table version"), field="table")
            rows = session.exec(
                select(RateEntry).where(RateEntry.table_id == table_id).order_by(col(RateEntry.id))
            ).all()
            return [EntryRow(r.key, r.label, r.value) for r in rows]

    def in_force(
        self, actor: Actor, code: str, region: str, on: date | None = None
    ) -> TableVersion | None:
        on = on or self.clock.today()
        with self.database.session() as session:
            table = versions_in_force(session, (code,), {region}, on).get((code, region))
        if table is None:
            return None
        return next(v for v in self.versions(actor, code, region) if v.id == table.id)

    def set_entry(
        self,
        actor: Actor,
        *,
        code: str,
        region: str,
        key: str,
        value: Decimal | str,
        effective_from: date | str,
        label: str | None = None,
        note: str = "",
    ) -> TableVersion:
        """Change (or add) one keyed value from a date on; returns the version written."""
        actor.require(Permission.RATE_TABLE_EDIT)
        effective = self._effective(effective_from)
        amount = self._amount(value)
        key = clean_text(key)
        problem = check_key(key)
        if problem:
            raise ValidationFailed(problem, field="key")
        with self.database.session() as session:
            current = versions_in_force(session, (code,), {region}, effective).get((code, region))
            entries = self._entries(session, current)
            problem = check_value(code, key, amount, {k: tidy(e.value) for k, e in entries.items()})
            if problem:
                raise ValidationFailed(problem, field="value")
            if current is not None and current.effective_from == effective:
                target = current  # a version not yet in force (or starting today): edit it
            else:
                target = RateTable(
                    code=code,
                    region=region,
                    effective_from=effective,
                    created_by_id=actor.id,
                    source=current.source if current else "",
                    note=clean_text(note),
                )
                session.add(target)
                session.flush()
                assert target.id is not None
                for entry in entries.values():
                    session.add(
                        RateEntry(
                            table_id=target.id, key=entry.key, label=entry.label, value=entry.value
                        )
                    )
                session.flush()
            assert target.id is not None
            row = session.exec(
                select(RateEntry).where(RateEntry.table_id == target.id, RateEntry.key == key)
            ).first()
            before = None if row is None else str(tidy(row.value))
            if row is None:
                row = RateEntry(
                    table_id=target.id, key=key, label=clean_text(label) or key, value=amount
                )
            else:
                row.value = amount
                if label:
                    row.label = clean_text(label)
            session.add(row)
            audit.record(
                session,
                actor,
                "rate_table.edit",
                entity="rate_table",
                entity_id=target.id,
                before={"key": key, "value": before},
                after={
                    "key": key,
                    "value": str(amount),
                    "code": code,
                    "region": region,
                    "effective_from": effective,
                },
            )
            session.commit()
        return next(v for v in self.versions(actor, code, region) if v.id == target.id)

    def import_version(
        self,
        actor: Actor,
        *,
        code: str,
        region: str,
        effective_from: date | str,
        rows: list[dict[str, str]],
        source: str,
        note: str = "",
    ) -> TableVersion:
        """A whole new version from key,label,value rows; refused if any row is bad."""
        actor.require(Permission.RATE_TABLE_EDIT)
        effective = self._effective(effective_from)
        code, region = clean_text(code), clean_text(region).lower() or NATIONAL
        if not code:
            raise ValidationFailed(tr("请填写表代码", "Give the table code"), field="code")
        if not clean_text(source):
            raise ValidationFailed(tr("请注明来源", "Cite the source"), field="source")
        parsed = _parse_rows(code, rows)
        with self.database.session() as session:
            exists = session.exec(
                select(RateTable).where(
                    RateTable.code == code,
                    RateTable.region == region,
                    RateTable.effective_from == effective,
                )
            ).first()
            if exists is not None:
                raise ValidationFailed(
                    tr(
                        "该表在 {d} 已有版本；请用另一生效日期",
                        "A version from {d} exists; choose another date",
                        d=effective.isoformat(),
                    ),
                    field="effective_from",
                )
            table = RateTable(
                code=code,
                region=region,
                effective_from=effective,
                source=clean_text(source),
                note=clean_text(note),
                created_by_id=actor.id,
            )
            session.add(table)
            session.flush()
            assert table.id is not None
            for key, (label, amount, _) in parsed.items():
                session.add(RateEntry(table_id=table.id, key=key, label=label, value=amount))
            audit.record(
                session,
                actor,
                "rate_table.import",
                entity="rate_table",
                entity_id=table.id,
                after={
                    "code": code,
                    "region": region,
                    "effective_from": effective,
                    "rows": len(parsed),
                    "source": clean_text(source),
                },
            )
            session.commit()
            table_id = table.id
        return next(v for v in self.versions(actor, code, region) if v.id == table_id)

    # --- helpers ---------------------------------------------------------------------
    def _effective(self, value: date | str) -> date:
        if isinstance(value, str):
            try:
                value = parse_date(value)
            except ValueError:
                raise ValidationFailed(
                    tr("日期格式应为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"),
                    field="effective_from",
                ) from None
        if value < self.clock.today():
            raise ValidationFailed(
                tr(
                    "生效日期不能早于今天：已生效的版本不再修改",
                    "The effective date cannot be in the past: versions in force are kept",
                ),
                field="effective_from",
            )
        return value

    @staticmethod
    def _amount(value: Decimal | str) -> Decimal:
        try:
            return value if isinstance(value, Decimal) else parse_decimal(value)
        except ValueError:
            raise ValidationFailed(tr("请输入数字", "Enter a number"), field="value") from None

    @staticmethod
    def _entries(session: Session, table: RateTable | None) -> dict[str, RateEntry]:
        if table is None:
            return {}
        rows = session.exec(
            select(RateEntry).where(RateEntry.table_id == table.id).order_by(col(RateEntry.id))
        ).all()
        return {r.key: r for r in rows}


def _parse_rows(code: str, rows: list[dict[str, str]]) -> dict[str, tuple[str, Decimal, int]]:
    """key → (label, value, row number) of an import; every bad row is refused at once."""
    errors: list[RowError] = []
    parsed: dict[str, tuple[str, Decimal, int]] = {}
    for number, row in enumerate(rows, start=2):
        key = clean_text(row.get("key"))
        problem = check_key(key)
        if problem:
            errors.append(RowError(number, "key", problem))
            continue
        if key in parsed:
            errors.append(RowError(number, "key", tr("键重复", "Duplicate key")))
            continue
        try:
            amount = parse_decimal(row.get("value") or "")
        except ValueError:
            errors.append(RowError(number, "value", tr("请输入数字", "Enter a number")))
            continue
        parsed[key] = (clean_text(row.get("label")) or key, amount, number)
    values = {k: v for k, (_, v, _) in parsed.items()}
    for key, (_, amount, number) in parsed.items():
        problem = check_value(code, key, amount, values)
        if problem:
            errors.append(RowError(number, "value", f"{key}: {problem}"))
    if not parsed and not errors:
        errors.append(RowError(0, "rows", tr("没有数据行", "No rows")))
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.row))
    return parsed


__all__ = ["ImportRefused", "RateTableService", "RowError", "read_rate_csv", "seed_rate_tables"]
