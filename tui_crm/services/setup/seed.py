"""Seed reference data from fixtures/ on first run; idempotent (adds what is missing only)."""

from collections.abc import Callable

from sqlmodel import Session, select

from tui_crm.domain import UnitLevel
from tui_crm.services.core.errors import SchemaOutOfDate
from tui_crm.services.core.fixtures import fixture_rows
from tui_crm.services.premium.rate_tables import seed_rate_tables
from tui_crm.services.servicing.sms import seed_sms_templates
from tui_crm.services.setup.marker import READY_KEY, readiness
from tui_crm.storage.db import Database
from tui_crm.storage.migrate import SchemaMismatch
from tui_crm.storage.models import BookMeta, OrgUnit, ProductLine, RolePermission, Threshold

__all__ = ["EXTRA_SEEDERS", "prepare_book", "seed_reference_data"]

# Other services register their own seeders here (rate tables, SMS templates...).
EXTRA_SEEDERS: list[Callable[[Session], None]] = []


def seed_reference_data(database: Database) -> None:
    with database.session() as session:
        _seed_permissions(session)
        _seed_thresholds(session)
        _seed_product_lines(session)
        _seed_org_units(session)
        seed_sms_templates(session)
        seed_rate_tables(session)
        for seeder in EXTRA_SEEDERS:
            seeder(session)
        session.commit()


def prepare_book(database: Database) -> None:
    """Create the schema if missing (at the head revision), seed reference data (first
    run), bring derived search columns of an older book up to date and mark the book
    ready (`ready.ensure_ready` skips all this on later starts). A book at another schema
    revision is refused with what to run (`SchemaOutOfDate`)."""
    try:
        database.prepare_schema()
    except SchemaMismatch as error:
        raise SchemaOutOfDate(error.state.message) from None
    seed_reference_data(database)
    from tui_crm.services.customers.pinyin_variants import refresh_pinyin_variants
    from tui_crm.services.customers.surname_pinyin import refresh_surname_pinyin

    refresh_surname_pinyin(database)
    refresh_pinyin_variants(database)
    with database.session() as session:
        session.merge(BookMeta(key=READY_KEY, value=readiness()))
        session.commit()


SEEN_PERMISSION = "permission:"  # book_meta key prefix: a permission the book was given


def _seed_permissions(session: Session) -> None:
    """The branch owns this table once seeded: a role it has never had, or a permission
    new in this release (`adjuster.edit` …), gets its default grants once; what the branch
    revoked later stays revoked. Books from before this record count the permissions some
    role holds as seen."""
    known_roles = set(session.exec(select(RolePermission.role).distinct()).all())
    seen = {
        key.removeprefix(SEEN_PERMISSION)
        for key in session.exec(
            select(BookMeta.key).where(BookMeta.key.startswith(SEEN_PERMISSION))
        ).all()
    }
    if not seen:
        seen = set(session.exec(select(RolePermission.permission).distinct()).all())
    rows = fixture_rows("permissions.csv")
    for row in rows:
        role, permission = row["role"], row["permission"]
        new = role not in known_roles or permission not in seen
        if new and session.get(RolePermission, (role, permission)) is None:
            session.add(RolePermission(role=role, permission=permission))
    for permission in sorted({row["permission"] for row in rows}):
        if session.get(BookMeta, SEEN_PERMISSION + permission) is None:
            session.add(BookMeta(key=SEEN_PERMISSION + permission, value="seeded"))


def _seed_thresholds(session: Session) -> None:
    for row in fixture_rows("thresholds.csv"):
        if session.get(Threshold, row["code"]) is None:
            session.add(
                Threshold(
                    code=row["code"],
                    value=row["value"],
                    description_zh=row["description_zh"],
                    description_en=row["description_en"],
                )
            )


def _seed_product_lines(session: Session) -> None:
    for row in fixture_rows("product_lines.csv"):
        if session.get(ProductLine, row["code"]) is None:
            session.add(
                ProductLine(
                    code=row["code"],
                    name_zh=row["name_zh"],
                    name_en=row["name_en"],
                    is_motor=row["is_motor"] == "1",
                )
            )


def _seed_org_units(session: Session) -> None:
    existing = {u.code: u for u in session.exec(select(OrgUnit)).all()}
    for row in fixture_rows("org_units.csv"):
        if row["code"] in existing:
            continue
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        unit = OrgUnit(
            code=row["code"],
            name=row["name"],
            level=UnitLevel(row["level"]).value,
            parent_id=parent.id if parent else None,
            path=(parent.path if parent else "") + row["code"] + "/",
        )
        session.add(unit)
        session.flush()
        existing[unit.code] = unit
