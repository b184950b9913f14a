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
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from tui_crm.domain import Fuel
from tui_crm.i18n import tr
from tui_crm.services import audit
from tui_crm.services.actor import Actor, Permission
from tui_crm.services.clock import Clock
from tui_crm.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tui_crm.services.premium.inputs import parse_date, parse_decimal
from tui_crm.services.rate_tables import RowError
from tui_crm.services.text import clean_text, name_pinyin
from tui_crm.storage.db import Database
from tui_crm.storage.models import VehiclePrice

FIELDS = (
    "brand",
    "make_model",
    "model_year",
    "seats",
    "displacement",
    "fuel",
    "price",
    "effective_from",
)
HEADERS = {
    "brand": ("品牌", "Brand"),
    "make_model": ("厂牌型号", "Make / model"),
    "model_year": ("年款", "Year"),
    "seats": ("座位数", "Seats"),
    "displacement": ("排量(升)", "Displacement (L)"),
    "fuel": ("燃料", "Fuel"),
    "price": ("新车购置价(元)", "New-car price (yuan)"),
    "effective_from": ("生效日期", "Effective from"),
}
FUEL_WORDS = {
    "汽油": Fuel.PETROL,
    "柴油": Fuel.DIESEL,
    "混动": Fuel.HYBRID,
    "插电混动": Fuel.HYBRID,
    "油电混合": Fuel.HYBRID,
    "纯电": Fuel.ELECTRIC,
    "电动": Fuel.ELECTRIC,
    "纯电动": Fuel.ELECTRIC,
}
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


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def model_initials(brand: str, make_model: str) -> str:
    """Pinyin initials of the Chinese characters: 大众 / 朗逸 → 'dzly'."""
    letters = [name_pinyin(ch)[1] for ch in brand + make_model if not ch.isascii()]
    return "".join(letters)[:60]


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


def validate(
    values: Mapping[str, Any], today: date
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Field text → clean values, and (field, message) for each bad field."""
    errors: list[tuple[str, str]] = []
    data: dict[str, Any] = {}

    def text(name: str) -> str:
        value = values.get(name)
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return clean_text("" if value is None else str(value))

    for name, limit in (("brand", 40), ("make_model", 100)):
        value = text(name)
        if not value:
            errors.append((name, tr("必填", "Required")))
        elif len(value) > limit:
            errors.append((name, tr("不能超过 {n} 个字", "At most {n} characters", n=limit)))
        data[name] = value
    for name, low, high, required in (
        ("model_year", 1980, today.year + 1, True),
        ("seats", 1, 99, False),
    ):
        raw = text(name)
        data[name] = None
        if not raw:
            if required:
                errors.append((name, tr("必填", "Required")))
            continue
        try:
            number = parse_decimal(raw)
        except ValueError:
            errors.append((name, tr("请输入整数", "Enter a whole number")))
            continue
        if number != number.to_integral_value() or not low <= number <= high:
            errors.append(
                (
                    name,
                    tr(
                        "应为 {a} 到 {b} 之间的整数",
                        "A whole number from {a} to {b}",
                        a=low,
                        b=high,
                    ),
                )
            )
            continue
        data[name] = int(number)
    raw = text("displacement")
    data["displacement"] = None
    if raw:
        try:
            litres = parse_decimal(raw.upper().removesuffix("L").removesuffix("T"))
            if not 0 < litres <= 20:
                raise ValueError(raw)
            data["displacement"] = litres
        except ValueError:
            errors.append(("displacement", tr("排量应为 0–20 升", "Displacement is 0–20 litres")))
    fuel = text("fuel").lower() or Fuel.PETROL.value
    fuel = FUEL_WORDS.get(fuel, fuel)
    if fuel not in {f.value for f in Fuel}:
        errors.append(
            ("fuel", tr("燃料可选：{a}", "Fuel is one of: {a}", a=", ".join(f.value for f in Fuel)))
        )
    data["fuel"] = str(fuel)
    raw = text("price")
    data["price"] = None
    try:
        price = parse_decimal(raw) if raw else None
        if price is None:
            errors.append(("price", tr("必填", "Required")))
        elif not 0 < price <= 100_000_000 or price != price.quantize(Decimal("0.01")):
            errors.append(("price", tr("价格应大于 0、精确到分", "A price above 0, to the fen")))
        else:
            data["price"] = price
    except ValueError:
        errors.append(("price", tr("请输入金额", "Enter an amount")))
    raw = text("effective_from")
    try:
        data["effective_from"] = parse_date(raw[:10]) if raw else today
    except ValueError:
        errors.append(
            ("effective_from", tr("日期格式应为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"))
        )
    return data, errors


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
        statement = select(VehiclePrice)
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
            statement = statement.where(VehiclePrice.model_year == year)
        statement = statement.order_by(
            col(VehiclePrice.brand),
            col(VehiclePrice.make_model),
            col(VehiclePrice.model_year).desc(),
        ).limit(limit)
        with self.database.session() as session:
            return [_row(p) for p in session.exec(statement).all()]

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
        from openpyxl import load_workbook

        actor.require(Permission.VEHICLE_PRICE_EDIT)
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # any unreadable file is one message
            raise ValidationFailed(
                tr("无法读取 xlsx 文件：{e}", "Cannot read the xlsx file: {e}", e=error),
                field="file",
            ) from None
        rows = workbook.active.iter_rows(values_only=True) if workbook.active else iter(())
        header = next(rows, None) or ()
        names = {zh: name for name, (zh, _en) in HEADERS.items()} | {
            en.lower(): name for name, (_zh, en) in HEADERS.items()
        }
        names |= {name: name for name in FIELDS}
        columns = [
            names.get(clean_text(str(h or "")).lower(), names.get(clean_text(str(h or ""))))
            for h in header
        ]
        missing = [
            HEADERS[n][0]
            for n in ("brand", "make_model", "model_year", "price")
            if n not in columns
        ]
        if missing:
            workbook.close()
            raise ValidationFailed(
                tr("缺少列：{c}", "Missing columns: {c}", c="、".join(missing)), field="file"
            )
        report = ImportReport()
        today = self.clock.today()
        with self.database.session() as session:
            existing = {
                (p.brand, p.make_model, p.model_year): p
                for p in session.exec(select(VehiclePrice)).all()
            }
            for number, cells in enumerate(rows, start=2):
                values = {name: value for name, value in zip(columns, cells, strict=False) if name}
                if all(v is None or str(v).strip() == "" for v in values.values()):
                    continue
                data, errors = validate(values, today)
                if errors:
                    report.errors.extend(RowError(number, f, m) for f, m in errors)
                    continue
                key = (data["brand"], data["make_model"], data["model_year"])
                row = existing.get(key)
                if row is None:
                    row = VehiclePrice(
                        **data,
                        model_initials=model_initials(data["brand"], data["make_model"]),
                        updated_by_id=actor.id,
                    )
                    existing[key] = row
                    report.added += 1
                else:
                    self._apply(row, data, actor)
                    report.updated += 1
                session.add(row)
            workbook.close()
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
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill

        rows = self.search(actor, query, year=year, limit=1_000_000)
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = tr("车价表", "Vehicle prices")
        sheet.append([tr(zh, en) for zh, en in HEADERS.values()])
        for cell in sheet[1]:
            cell.font = Font(bold=True, name="SimSun")
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(horizontal="center")
        for r in rows:
            sheet.append(
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
            )
        for row in sheet.iter_rows(min_row=2, min_col=7, max_col=8):
            row[0].number_format = "#,##0.00"
            row[1].number_format = "yyyy-mm-dd"
        for letter, width in zip("ABCDEFGH", (14, 36, 8, 8, 10, 10, 16, 12), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:H{len(rows) + 1}"
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
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
