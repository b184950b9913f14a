"""The batch record of an import: started (or an interrupted one of the same file taken
up again), its progress saved with each committed chunk, finished and audited."""

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlmodel import Session

from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor
from tui_crm.storage.db import Database
from tui_crm.storage.models import ImportBatch, StaffUser

BATCH = ImportBatch.__table__  # type: ignore[attr-defined]
STAFF = StaffUser.__table__  # type: ignore[attr-defined]
OPEN = ("running", "cancelled", "failed")  # statuses a later run of the same file resumes


@dataclass
class BatchRecord:
    id: int
    kind: str
    file_name: str
    sha256: str
    status: str
    rows_read: int = 0
    rows_done: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects_offset: int = 0
    rejects_file: str | None = None
    resumed: bool = False


PROGRESS = (
    "rows_read",
    "rows_done",
    "inserted",
    "updated",
    "unchanged",
    "rejected",
    "rejects_offset",
)


def start(
    database: Database,
    actor: Actor,
    *,
    kind: str,
    file_name: str,
    sha256: str,
    profile: str,
    source: str,
    dry_run: bool,
) -> BatchRecord:
    """A new batch row, or (not for a dry run) the interrupted batch of the same file."""
    with database.connect() as connection:
        if not dry_run:
            row = connection.execute(
                select(BATCH)
                .where(BATCH.c.kind == kind, BATCH.c.sha256 == sha256, BATCH.c.status.in_(OPEN))
                .order_by(BATCH.c.id.desc())
                .limit(1)
            ).first()
            if row is not None:
                connection.execute(
                    update(BATCH).where(BATCH.c.id == row.id).values(status="running")
                )
                names = {f.name for f in fields(BatchRecord)} - {"resumed"}
                data: dict[str, Any] = {n: getattr(row, n) for n in names}
                data["status"] = "running"
                return BatchRecord(**data, resumed=True)
        values: dict[str, Any] = {
            "kind": kind,
            "file_name": file_name[:300],
            "sha256": sha256,
            "profile": profile[:60],
            "source": source,
            "status": "dry_run" if dry_run else "running",
            "staff_id": actor.id,
            "started_at": datetime.now(UTC),
        }
        batch_id = connection.execute(
            insert(BATCH).values(values).returning(BATCH.c.id)
        ).scalar_one()
        return BatchRecord(batch_id, kind, values["file_name"], sha256, values["status"])


def save_progress(connection: Connection, batch: BatchRecord) -> None:
    connection.execute(
        update(BATCH)
        .where(BATCH.c.id == batch.id)
        .values({name: getattr(batch, name) for name in PROGRESS})
    )


def finish(
    database: Database,
    actor: Actor,
    batch: BatchRecord,
    *,
    status: str,
    message: str | None = None,
) -> None:
    """Final counts and status, and the audit row, in one transaction."""
    batch.status = status
    with database.connect() as connection:
        values = {name: getattr(batch, name) for name in PROGRESS}
        values.update(
            status=status,
            finished_at=datetime.now(UTC),
            rejects_file=batch.rejects_file,
            message=(message or None) and message[:500],
        )
        connection.execute(update(BATCH).where(BATCH.c.id == batch.id).values(values))
        with Session(bind=connection, join_transaction_mode="rollback_only") as session:
            audit.record(
                session,
                actor,
                "import",
                entity="import_batch",
                entity_id=batch.id,
                after={
                    "kind": batch.kind,
                    "file": batch.file_name,
                    "sha256": batch.sha256,
                    "status": status,
                    "read": batch.rows_read,
                    "inserted": batch.inserted,
                    "updated": batch.updated,
                    "unchanged": batch.unchanged,
                    "rejected": batch.rejected,
                },
                detail=message,
            )
            session.flush()


@dataclass(frozen=True)
class BatchSummary:
    id: int
    kind: str
    file_name: str
    status: str
    username: str
    started_at: datetime
    finished_at: datetime | None
    read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    rejects_file: str | None
    sha256: str


def recent(database: Database, actor: Actor, limit: int) -> list[BatchSummary]:
    with database.connect() as connection:
        query = (
            select(BATCH, STAFF.c.username)
            .join(STAFF, STAFF.c.id == BATCH.c.staff_id)
            .where(STAFF.c.unit_id.in_(actor.scope_unit_ids))
            .order_by(BATCH.c.id.desc())
            .limit(limit)
        )
        return [
            BatchSummary(
                id=row.id,
                kind=row.kind,
                file_name=row.file_name,
                status=row.status,
                username=row.username,
                started_at=row.started_at,
                finished_at=row.finished_at,
                read=row.rows_read,
                inserted=row.inserted,
                updated=row.updated,
                unchanged=row.unchanged,
                rejected=row.rejected,
                rejects_file=row.rejects_file,
                sha256=row.sha256,
            )
            for row in connection.execute(query)
        ]
