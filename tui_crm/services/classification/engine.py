"""The customer classification engine: whole-book runs, one-customer explanations.

Rules: `classification_rules` (definitions, RULE_VERSION); facts: `classification_facts`,
`classification_policy`, `classification_totals` (SQL aggregates per customer slice);
the loop: `classification_slices` (slices read ahead on a second connection); writing:
`classification_write` (changed rows only, history rows for class changes only, monthly
counts). A run reports progress after each slice and checks the cancel flag between
queries; everything it writes commits once at the end, so a cancelled run changes
nothing but its own `classification_run` row (status `cancelled`).
"""

import json
import os
import socket
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.classification.rules import RULE_VERSION, ClassThresholds, Window
from tui_crm.services.classification.types import (
    CancelFlag,
    Classification,
    Progress,
    RunCancelled,
    RunResult,
    parse_reasons,
)
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import Conflict, NotFound
from tui_crm.storage.db import Database
from tui_crm.storage.models import ClassificationRun, Customer

if TYPE_CHECKING:  # pandas is imported when a run starts, not with the services
    import pandas as pd

CHUNK = 50_000
STALE_AFTER = timedelta(hours=6)  # a "running" row older than this is a run that died


def _alive(run: ClassificationRun, now: datetime) -> bool:
    """Whether a "running" row still has a run behind it: its process on this host, or,
    for a run of another host (no way to look), younger than STALE_AFTER."""
    if run.pid is not None and run.host == socket.gethostname()[:64]:
        try:
            os.kill(run.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # someone else's process: it exists
        return True
    return run.started_at >= now - STALE_AFTER


def _cancel_check(cancel: CancelFlag | None) -> Callable[[], None]:
    def check() -> None:
        if cancel is not None and cancel():
            raise RunCancelled

    return check


def evaluate(
    connection: Connection,
    thresholds: ClassThresholds,
    window: Window,
    customer_ids: list[int],
) -> "tuple[pd.DataFrame, pd.DataFrame]":
    """Facts and results for some customers (no writing)."""
    from tui_crm.services.classification.facts import collect, id_list
    from tui_crm.services.classification.vector import classify_frame

    facts = collect(connection, id_list(customer_ids), window, thresholds)
    if facts.empty:
        return facts, facts
    return facts, classify_frame(facts, thresholds, window)


class ClassificationService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    # --- whole-book run ---------------------------------------------------------------
    def run(
        self,
        actor: Actor,
        as_of: date | None = None,
        *,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
        chunk_size: int = CHUNK,
    ) -> RunResult:
        from tui_crm.services.classification.slices import run_cache, run_slices
        from tui_crm.services.classification.write import ResultWriter, replace_monthly_counts

        actor.require(Permission.CLASSIFY_RUN)
        as_of = as_of or self.clock.today()
        started = time.perf_counter()
        run_id, thresholds = self._start(actor, as_of)
        result = RunResult(run_id=run_id, as_of=as_of, rule_version=RULE_VERSION, status="done")
        check = _cancel_check(cancel)
        report = progress or (lambda done, total, stage: None)
        try:
            with self.database.connect() as connection, run_cache(connection):
                writer = ResultWriter(
                    connection,
                    as_of=as_of,
                    rule_version=RULE_VERSION,
                    run_id=run_id,
                    source="engine",
                )
                run_slices(
                    self.database, connection, result, thresholds, chunk_size, check, report, writer
                )
                report(result.customers, result.customers, tr("写入结果", "Writing results"))
                check()
                mark = time.perf_counter()
                writer.finish()
                replace_monthly_counts(connection, as_of, result.unit_counts)
                check()
                mark = result.spent("write", mark)
            result.spent("commit", mark)
        except RunCancelled:
            result.status = "cancelled"
        except Exception:
            result.status = "failed"
            self._finish(actor, result, thresholds)
            raise
        result.seconds = round(time.perf_counter() - started, 3)
        self._finish(actor, result, thresholds)
        return result

    def _start(self, actor: Actor, as_of: date) -> tuple[int, ClassThresholds]:
        with self.database.session() as session:
            now = self.clock.now()
            running = None
            for run in session.exec(
                select(ClassificationRun).where(col(ClassificationRun.status) == "running")
            ).all():
                if _alive(run, now):
                    running = run.id
                    break
                # The process behind it is gone (killed, machine restarted): its run
                # wrote nothing (one commit at the end), so it is closed and ours starts.
                run.status = "failed"
                run.finished_at = now
                session.add(run)
            if running is not None:
                raise Conflict(
                    tr(
                        "已有分类任务正在运行（#{i}），请稍后再试",
                        "A classification run is already in progress (#{i})",
                        i=running,
                    ),
                    code="run_in_progress",
                )
            thresholds = ClassThresholds.load(session)
            run = ClassificationRun(
                as_of=as_of,
                rule_version=RULE_VERSION,
                started_by_id=actor.id,
                started_at=now,
                pid=os.getpid(),
                host=socket.gethostname()[:64],
            )
            session.add(run)
            session.commit()
            assert run.id is not None
            return run.id, thresholds

    def _finish(self, actor: Actor, result: RunResult, thresholds: ClassThresholds) -> None:
        with self.database.session() as session:
            run = session.get(ClassificationRun, result.run_id)
            assert run is not None
            run.status = result.status
            run.finished_at = self.clock.now()
            run.customers = result.customers
            run.changes = result.changes
            audit.record(
                session,
                actor,
                "classification_run",
                entity="classification_run",
                entity_id=result.run_id,
                after={
                    "status": result.status,
                    "as_of": result.as_of,
                    "customers": result.customers,
                    "changes": result.changes,
                    "updated": result.updated,
                    "counts": result.counts,
                },
                detail=json.dumps(
                    {"rule_version": RULE_VERSION, "thresholds": thresholds.as_dict()},
                    ensure_ascii=False,
                ),
            )
            session.commit()

    def runs(self, actor: Actor, limit: int = 20) -> list[ClassificationRun]:
        actor.require(Permission.CLASSIFY_RUN)
        with self.database.session() as session:
            query = select(ClassificationRun).order_by(col(ClassificationRun.id).desc())
            return list(session.exec(query.limit(limit)).all())

    # --- one customer -----------------------------------------------------------------
    def explain(self, actor: Actor, customer_id: int, as_of: date | None = None) -> Classification:
        """Why this customer is (would be) in its class on `as_of`; nothing is written."""
        actor.require(Permission.CUSTOMER_READ)
        as_of = as_of or self.clock.today()
        with self.database.session() as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise NotFound(tr("没有客户 {i}", "No customer {i}", i=customer_id))
            actor.require_scope(customer.unit_id)
            thresholds = ClassThresholds.load(session)
        with self.database.connect() as connection:
            facts, result = evaluate(connection, thresholds, Window(as_of), [customer_id])
        row = result.iloc[0]
        return Classification(
            customer_id=customer_id,
            as_of=as_of,
            customer_class=str(row["customer_class"]),
            reasons=parse_reasons(str(row["class_reasons"])),
            flag_key=bool(row["flag_key"]),
            flag_blacklist=bool(row["flag_blacklist"]),
            flag_renewal_due=bool(row["flag_renewal_due"]),
            blacklist_candidate=bool(row["candidate"]),
            rule_version=RULE_VERSION,
            stored_class=str(facts.iloc[0]["old_class"]),
        )


def reclassify(
    connection: Connection,
    customer_ids: list[int],
    as_of: date,
    *,
    source: str,
    thresholds: ClassThresholds,
) -> dict[int, tuple[str | None, str]]:
    """Evaluate and write some customers now (blacklist approval/lift); class changes get a
    history row with `source`. Returns {customer_id: (from_class, to_class)} of changes."""
    from tui_crm.services.classification.write import (
        ResultWriter,
        adjust_monthly_counts,
        changed_rows,
    )

    facts, result = evaluate(connection, thresholds, Window(as_of), customer_ids)
    if facts.empty:
        return {}
    rows = changed_rows(facts, result, RULE_VERSION)
    writer = ResultWriter(
        connection, as_of=as_of, rule_version=RULE_VERSION, run_id=None, source=source
    )
    writer.add(rows)
    writer.finish()
    moved = rows[rows["class_changed"].astype(bool)]
    adjust_monthly_counts(
        connection,
        as_of,
        [
            (int(u), f, str(t))
            for u, f, t in zip(
                moved["unit_id"], moved["from_class"], moved["customer_class"], strict=True
            )
        ],
    )
    return {
        int(i): (f, str(t))
        for i, f, t in zip(moved.index, moved["from_class"], moved["customer_class"], strict=True)
    }


def reclassify_customer(session: Session, customer_id: int, as_of: date, source: str) -> str:
    """Evaluate one customer now, inside the caller's transaction (a prospect fact
    recorded); a class change gets a history row with `source`. Returns the class."""
    reclassify(
        session.connection(),
        [customer_id],
        as_of,
        source=source,
        thresholds=ClassThresholds.load(session),
    )
    session.expire_all()
    customer = session.get(Customer, customer_id)
    assert customer is not None
    return customer.customer_class
