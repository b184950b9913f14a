"""`tui-crm unit import FILE`: a branch's org units from a CSV (`code,name,level,parent_code`,
the layout of fixtures/org_units.csv). New units are added below their parent (which
must exist or come earlier in the file); a known code gets its name and level updated.
Administrators only, audited; the whole file or nothing."""

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from tui_crm.domain import UnitLevel
from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.core.text import clean_text
from tui_crm.services.imports.reader import detect_encoding
from tui_crm.storage.db import Database
from tui_crm.storage.models import OrgUnit

LEVELS = {level.value for level in UnitLevel}


@dataclass(frozen=True)
class UnitImportResult:
    read: int
    inserted: int
    updated: int
    unchanged: int


def _refuse(number: int, column: str, reason: str) -> ValidationFailed:
    return ValidationFailed(
        tr("第 {n} 行 {c}：{r}", "Row {n}, {c}: {r}", n=number, c=column, r=reason), field=column
    )


def import_units(database: Database, actor: Actor, path: Path) -> UnitImportResult:
    actor.require(Permission.USER_ADMIN)
    if not path.is_file():
        raise ValidationFailed(tr("找不到文件 {p}", "No such file {p}", p=str(path)), field="file")
    with path.open(encoding=detect_encoding(path), newline="") as handle:
        rows = list(csv.DictReader(handle))
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    with database.session() as session:
        units = {u.code: u for u in session.exec(select(OrgUnit)).all()}
        for number, row in enumerate(rows, start=2):
            code = clean_text(row.get("code"))
            name = clean_text(row.get("name"))
            level = clean_text(row.get("level")).lower()
            parent_code = clean_text(row.get("parent_code"))
            if not code or len(code) > 20:
                raise _refuse(number, "code", tr("机构代码为空或过长", "empty or too long"))
            if not name or len(name) > 60:
                raise _refuse(number, "name", tr("名称为空或过长", "empty or too long"))
            if level not in LEVELS:
                raise _refuse(number, "level", "|".join(sorted(LEVELS)))
            parent = units.get(parent_code) if parent_code else None
            if parent_code and parent is None:
                raise _refuse(number, "parent_code", tr("上级机构未知", "unknown parent unit"))
            unit = units.get(code)
            if unit is None:
                unit = OrgUnit(
                    code=code,
                    name=name,
                    level=level,
                    parent_id=parent.id if parent else None,
                    path=(parent.path if parent else "") + code + "/",
                )
                session.add(unit)
                session.flush()
                units[code] = unit
                counts["inserted"] += 1
                audit.record(
                    session, actor, "create", entity="org_unit", entity_id=unit.id, after=row
                )
            elif (unit.name, unit.level) != (name, level):
                before = {"name": unit.name, "level": unit.level}
                unit.name, unit.level = name, level
                session.add(unit)
                counts["updated"] += 1
                audit.record(
                    session,
                    actor,
                    "update",
                    entity="org_unit",
                    entity_id=unit.id,
                    before=before,
                    after={"name": name, "level": level},
                )
            else:
                counts["unchanged"] += 1
        session.commit()
    return UnitImportResult(len(rows), **counts)
