"""车价表: new-car prices by make/model and year, kept current by sales and underwriting.

Search by a fragment of the make/model (厂牌型号) or brand, by pinyin initials of its
Chinese characters (`ly` finds 朗逸) and by year (a 4-digit token is the model year).
Rows are unique per (brand, make/model, year); edits check the row's version (a stale
edit is refused) and are audited with before/after. An xlsx import keeps every valid row
(new rows added, existing ones updated) and reports each bad row with its field.
Reading needs quote.run, vehicle_price.edit or report.run; changing needs vehicle_price.edit.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text, within
from tui_crm.services.premium.rate_tables import RowError
from tui_crm.services.premium.vehicle_price_rows import (
    FIELDS,
    HEADERS,
    model_initials,
    read_sheet,
    validate,
    write_sheet,
)
from tui_crm.services.search.query import MAX_QUERY
from tui_crm.storage.db import Database
from tui_crm.storage.models import VehiclePrice

_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class PriceRow:
    id: int
    brand: str
    make_model: str
    model_year: int
    seats: int | None
    displacement: Decimal | None
    fuel: str
    price: Decimal
    effective_from: date
    version: int


COLUMNS = (
    col(VehiclePrice.id),
    col(VehiclePrice.brand),
    col(VehiclePrice.make_model),
    col(VehiclePrice.model_year),
    col(VehiclePrice.seats),
    col(VehiclePrice.displacement),
    col(VehiclePrice.fuel),
    col(VehiclePrice.price),
    col(VehiclePrice.effective_from),
    col(VehiclePrice.version),
)  # in PriceRow's order


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def _row(p: VehiclePrice) -> PriceRow:
    return PriceRow(
        p.id or 0,
        p.brand,
        p.make_model,
        p.model_year,
        p.seats,
        p.displacement,
        p.fuel,
        p.price,
        p.effective_from,
        p.version,
    )


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class VehiclePriceService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    @staticmethod
    def _require_read(actor: Actor) -> None:
        if not any(
            actor.can(p)
            for p in (Permission.QUOTE, Permission.VEHICLE_PRICE_EDIT, Permission.REPORT_RUN)
        ):
            raise Forbidden(
                tr("无权查看车价表", "You may not read the vehicle price table"), code="wrong_role"
            )

    def search(
        self, actor: Actor, query: str = "", *, year: int | None = None, limit: int = 50
    ) -> list[PriceRow]:
        self._require_read(actor)
        within(query, MAX_QUERY, field="query", label=("查询内容", "The search text"))
        statement = core_select(*COLUMNS)  # plain rows, not ORM objects: exports read them all
        for token in clean_text(query).split():
            if _YEAR.match(token) and year is None:
                year = int(token)
                continue
            pattern = _like(token)
            statement = statement.where(
                or_(
                    col(VehiclePrice.make_model).ilike(pattern, escape="\\"),
                    col(VehiclePrice.brand).ilike(pattern, escape="\\"),
                    col(VehiclePrice.model_initials).like(_like(token.lower()), escape="\\"),
                )
            )
        if year is not None:
            statement = statement.where(col(VehiclePrice.model_year) == year)
        statement = statement.order_by(
            col(VehiclePrice.brand),
            col(VehiclePrice.make_model),
            col(VehiclePrice.model_year).desc(),
        ).limit(limit)
        with self.database.session() as session:
            rows = session.connection().execute(statement).all()
            return [PriceRow(**dict(row._mapping)) for row in rows]

    def get(self, actor: Actor, price_id: int) -> PriceRow:
        self._require_read(actor)
        with self.database.session() as session:
            row = session.get(VehiclePrice, price_id)
            if row is None:
                raise NotFound(tr("车价记录不存在", "No such price row"), field="id")
            return _row(row)

    def add(self, actor: Actor, values: Mapping[str, Any]) -> PriceRow:
        actor.require(Permission.VEHICLE_PRICE_EDIT)
        data = self._valid(values)
        with self.database.session() as session:
            if self._find(session, data) is not None:
                raise Conflict(
                    tr(
                        "该品牌型号年款已有车价，请修改原记录",
                        "This make/model and year already has a price; edit it",
                    ),
                    field="make_model",
                )
            row = VehiclePrice(
                **data,
                model_initials=model_initials(data["brand"], data["make_model"]),
                updated_by_id=actor.id,
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                actor,
                "vehicle_price.add",
                entity="vehicle_price",
                entity_id=row.id,
                after=data,
            )
            session.commit()
            return _row(row)

    def edit(
        self, actor: Actor, price_id: int, values: Mapping[str, Any], *, version: int
    ) -> PriceRow:
        actor.require(Permission.VEHICLE_PRICE_EDIT)
        data = self._valid(values)
        with self.database.session() as session:
            row = session.get(VehiclePrice, price_id)
            if row is None:
                raise NotFound(tr("车价记录不存在", "No such price row"), field="id")
            if row.version != version:
                raise Conflict(
                    tr(
                        "该记录已被他人修改，请刷新后重试",
                        "Someone changed this row; reload and retry",
                    ),
                    code="stale_version",
                )
            other = self._find(session, data)
            if other is not None and other.id != row.id:
                raise Conflict(
                    tr("该品牌型号年款已有车价", "This make/model and year already has a price"),
                    field="make_model",
                )
            before = {name: getattr(row, name) for name in FIELDS}
            self._apply(row, data, actor)
            session.add(row)
            audit.record(
                session,
                actor,
                "vehicle_price.edit",
                entity="vehicle_price",
                entity_id=row.id,
                before=before,
                after=data,
            )
            session.commit()
            return _row(row)

    def import_xlsx(self, actor: Actor, path: str | Path) -> ImportReport:
        """Every valid row is kept (added or updated); each bad row is reported."""
        actor.require(Permission.VEHICLE_PRICE_EDIT)
        report = ImportReport()
        today = self.clock.today()
        with self.database.session() as session:
            keys = select(
                col(VehiclePrice.brand),
                col(VehiclePrice.make_model),
                col(VehiclePrice.model_year),
                col(VehiclePrice.id),
            )
            known: dict[tuple[str, str, int], int | None] = {
                (brand, make_model, year): price_id
                for brand, make_model, year, price_id in session.exec(keys).all()
            }
            added: dict[tuple[str, str, int], VehiclePrice] = {}
            for number, values in read_sheet(path):
                data, errors = validate(values, today)
                if errors:
                    report.errors.extend(RowError(number, f, m) for f, m in errors)
                    continue
                key = (data["brand"], data["make_model"], data["model_year"])
                row = added.get(key)
                if row is None and key in known:
                    row = session.get(VehiclePrice, known[key])
                if row is None:
                    row = VehiclePrice(
                        **data,
                        model_initials=model_initials(data["brand"], data["make_model"]),
                        updated_by_id=actor.id,
                    )
                    added[key] = row
                    report.added += 1
                else:
                    self._apply(row, data, actor)
                    report.updated += 1
                session.add(row)
            audit.record(
                session,
                actor,
                "vehicle_price.import",
                entity="vehicle_price",
                detail=f"{Path(path).name}: +{report.added} ~{report.updated} "
                f"!{len(report.errors)}",
            )
            session.commit()
        return report

    def export_xlsx(
        self, actor: Actor, path: str | Path, query: str = "", *, year: int | None = None
    ) -> int:
        rows = self.search(actor, query, year=year, limit=1_000_000)
        write_sheet(
            path,
            [
                [
                    r.brand,
                    r.make_model,
                    r.model_year,
                    r.seats,
                    r.displacement,
                    r.fuel,
                    r.price,
                    r.effective_from,
                ]
                for r in rows
            ],
        )
        with self.database.session() as session:
            audit.record(
                session,
                actor,
                "vehicle_price.export",
                entity="vehicle_price",
                detail=f"{Path(path).name}: {len(rows)}",
            )
            session.commit()
        return len(rows)

    # --- helpers ---------------------------------------------------------------------
    def _valid(self, values: Mapping[str, Any]) -> dict[str, Any]:
        data, errors = validate(values, self.clock.today())
        if errors:
            name, message = errors[0]
            raise ValidationFailed(message, field=name)
        return data

    @staticmethod
    def _find(session: Session, data: dict[str, Any]) -> VehiclePrice | None:
        return session.exec(
            select(VehiclePrice).where(
                VehiclePrice.brand == data["brand"],
                VehiclePrice.make_model == data["make_model"],
                VehiclePrice.model_year == data["model_year"],
            )
        ).first()

    @staticmethod
    def _apply(row: VehiclePrice, data: dict[str, Any], actor: Actor) -> None:
        from tui_crm.storage.models._base import utcnow

        for name, value in data.items():
            setattr(row, name, value)
        row.model_initials = model_initials(row.brand, row.make_model)
        row.version += 1
        row.updated_by_id = actor.id
        row.updated_at = utcnow()


__all__ = ["FIELDS", "HEADERS", "ImportReport", "PriceRow", "VehiclePriceService", "model_initials"]
