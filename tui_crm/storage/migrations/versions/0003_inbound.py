"""inbound: the SMS provider's callbacks taken in once

`sms_callback`: one row per provider message id and kind, so a callback the provider
posts again is answered as a duplicate, not recorded twice.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tui_crm.storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sms_callback",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("provider_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("received_at", tui_crm.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "provider_id"),
    )


def downgrade() -> None:
    op.drop_table("sms_callback")
