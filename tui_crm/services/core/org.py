"""The organisation tree as the actor may see it: their unit and the units below."""

from dataclasses import dataclass

from sqlmodel import col, select

from tui_crm.i18n import tr
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.errors import NotFound
from tui_crm.storage.db import Database
from tui_crm.storage.models import OrgUnit


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    level: str
    path: str

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class OrgService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def units(self, actor: Actor) -> list[UnitInfo]:
        """The actor's unit and every unit below it, in tree order."""
        with self.database.session() as session:
            rows = session.exec(
                select(OrgUnit)
                .where(col(OrgUnit.path).startswith(actor.unit_path))
                .order_by(col(OrgUnit.path))
            ).all()
            return [_info(u) for u in rows]

    def unit(self, actor: Actor, unit_id: int) -> UnitInfo:
        with self.database.session() as session:
            unit = session.get(OrgUnit, unit_id)
            if unit is None:
                raise NotFound(tr("没有该机构", "No such unit"))
            return _info(unit)

    def subtree_ids(self, actor: Actor, unit_code: str | None) -> frozenset[int]:
        """Unit ids of `unit_code`'s subtree, limited to the actor's scope (None: whole scope)."""
        if not unit_code:
            return actor.scope_unit_ids
        with self.database.session() as session:
            unit = session.exec(select(OrgUnit).where(OrgUnit.code == unit_code.strip())).first()
            if unit is None:
                raise NotFound(tr("没有机构 {c}", "No unit {c}", c=unit_code), field="unit")
            actor.require_scope(unit.id)
            ids = session.exec(
                select(OrgUnit.id).where(col(OrgUnit.path).startswith(unit.path))
            ).all()
            return frozenset(i for i in ids if i is not None)


def _info(unit: OrgUnit) -> UnitInfo:
    return UnitInfo(
        id=unit.id or 0, code=unit.code, name=unit.name, level=unit.level, path=unit.path
    )
