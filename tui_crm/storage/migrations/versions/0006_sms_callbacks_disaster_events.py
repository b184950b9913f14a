"""inbound: the SMS provider's callbacks taken in once; one table of disaster events

`sms_callback`: one row per provider message id and kind, so a callback the provider
posts again is answered as a duplicate, not recorded twice.

`disaster_warning` is dropped: disaster warnings work on the branch's disaster events
(`catastrophe_event`, `catastrophe_district`). Each warning becomes an event with the same
name, kind and dates; its unit codes become the county codes (six digits) of the units
under them; an event whose campaign was built is marked warned on the day the campaign
was made (never after the event's end); the campaign's `source` names the new event.
Downgrading recreates the empty `disaster_warning`: the moved events stay events.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tui_crm.storage.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _callbacks()
    _move_disaster_warnings()
    op.drop_table("disaster_warning")


def _callbacks() -> None:
    op.create_table(
        "sms_callback",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("provider_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("received_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "provider_id"),
    )


WARNING = sa.table(
    "disaster_warning",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("kind", sa.String),
    sa.column("districts", sa.String),
    sa.column("start_date", sa.Date),
    sa.column("end_date", sa.Date),
    sa.column("campaign_id", sa.Integer),
)
EVENT = sa.table(
    "catastrophe_event",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("kind", sa.String),
    sa.column("start_date", sa.Date),
    sa.column("end_date", sa.Date),
    sa.column("warned_on", sa.Date),
)
DISTRICT = sa.table(
    "catastrophe_district", sa.column("event_id", sa.Integer), sa.column("district_code", sa.String)
)
UNIT = sa.table("org_unit", sa.column("code", sa.String), sa.column("path", sa.String))
CAMPAIGN = sa.table(
    "sms_campaign",
    sa.column("id", sa.Integer),
    sa.column("source", sa.String),
    sa.column("created_at", tui_crm.storage.types.UtcDateTime(timezone=True)),
)


def _move_disaster_warnings() -> None:
    bind = op.get_bind()
    units = [(str(c), str(p)) for c, p in bind.execute(sa.select(UNIT.c.code, UNIT.c.path))]
    made = dict(bind.execute(sa.select(CAMPAIGN.c.id, CAMPAIGN.c.created_at)).all())
    for row in bind.execute(sa.select(WARNING).order_by(WARNING.c.id)).all():
        warned = made.get(row.campaign_id) if row.campaign_id is not None else None
        warned_on = min(warned.date(), row.end_date) if warned is not None else None
        event_id = bind.execute(
            sa.insert(EVENT)
            .values(
                name=row.name,
                kind=row.kind,
                start_date=row.start_date,
                end_date=row.end_date,
                warned_on=warned_on,
            )
            .returning(EVENT.c.id)
        ).scalar_one()
        counties = _counties(row.districts.split(","), units)
        if counties:
            bind.execute(
                sa.insert(DISTRICT), [{"event_id": event_id, "district_code": c} for c in counties]
            )
        bind.execute(
            sa.update(CAMPAIGN)
            .where(CAMPAIGN.c.source == f"disaster_warning:{row.id}")
            .values(source=f"catastrophe_event:{event_id}")
        )


def _counties(codes: list[str], units: list[tuple[str, str]]) -> list[str]:
    """The six-digit county codes a warning's unit codes stand for (as the service does)."""
    paths = [path for code, path in units if code in codes]
    found = {code[:6] for code, path in units if len(code) >= 6 and path.startswith(tuple(paths))}
    return sorted(found | {c[:6] for c in codes if len(c) >= 6})


def downgrade() -> None:
    op.create_table(
        "disaster_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("districts", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["sms_campaign.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["staff_user.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.drop_table("sms_callback")
