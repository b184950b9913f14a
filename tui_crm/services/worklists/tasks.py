"""Follow-up tasks from the data: care after a claim and the satisfaction call.

`generate` (nightly, or by hand) gives every claim reported in the last `LOOK_BACK` days
that has no care task one — call within `care.call_within_days` days, by the customer's
account manager, naming the adjuster on duty when the claim was reported (the roster,
else the claim's handler, else the unit's service phone; `services/adjusters`) and that
phone (staff data, shown whole so the customer can be given it) —
and every closed claim without one a satisfaction-call task. Replies to SMS add their
own tasks (`sms_reply`, see services/sms). Overdue means open past the due date.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, exists
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.adjusters import ClaimContacts
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import Conflict, NotFound
from tui_crm.services.core.text import clean_text
from tui_crm.services.core.thresholds import threshold_int
from tui_crm.storage.db import Database
from tui_crm.storage.models import Claim, Customer, ServiceContact, ServiceTask, StaffUser

LOOK_BACK = 90  # days of claims a run looks at


@dataclass(frozen=True)
class TaskItem:
    id: int
    kind: str
    customer_id: int | None
    customer_name: str
    subject: str
    due_date: date
    overdue: bool
    assignee: str
    status: str
    claim_id: int | None


@dataclass(frozen=True)
class TaskRun:
    care_calls: int
    satisfaction_calls: int


class TaskService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def generate(self, actor: Actor) -> TaskRun:
        actor.require(Permission.SERVICE_RECORD)
        today = self.clock.today()
        with self.database.session() as session:
            within = timedelta(days=threshold_int(session, "care.call_within_days"))
            care = self._make(
                session,
                actor,
                "care_call",
                and_(col(Claim.report_date) >= today - timedelta(days=LOOK_BACK)),
                lambda claim: claim.report_date + within,
            )
            satisfaction = self._make(
                session,
                actor,
                "satisfaction_call",
                and_(
                    col(Claim.status) == "closed",
                    col(Claim.closed_on) >= today - timedelta(days=LOOK_BACK),
                ),
                lambda claim: (claim.closed_on or today) + within,
            )
            audit.record(
                session,
                actor,
                "tasks_generate",
                entity="service_task",
                after={"care_call": care, "satisfaction_call": satisfaction},
            )
            session.commit()
        return TaskRun(care_calls=care, satisfaction_calls=satisfaction)

    def _make(
        self,
        session: Session,
        actor: Actor,
        kind: str,
        which: ColumnElement[bool],
        due: Callable[[Claim], date],
    ) -> int:
        has_task = exists().where(
            col(ServiceTask.claim_id) == col(Claim.id), col(ServiceTask.kind) == kind
        )
        rows = session.exec(
            select(Claim, Customer)
            .join(Customer, col(Customer.id) == Claim.customer_id)
            .where(which, ~has_task, col(Customer.unit_id).in_(actor.scope_unit_ids))
            .order_by(col(Claim.id))
        ).all()
        contacts = ClaimContacts(session)
        for claim, customer in rows:
            session.add(
                ServiceTask(
                    kind=kind,
                    customer_id=customer.id,
                    assignee_id=customer.account_manager_id,
                    unit_id=customer.unit_id,
                    claim_id=claim.id,
                    subject=_subject(contacts, kind, claim),
                    due_date=due(claim),
                )
            )
        return len(rows)

    def tasks(
        self, actor: Actor, *, mine: bool = False, include_done: bool = False, limit: int = 1000
    ) -> list[TaskItem]:
        """Open tasks in the actor's units (or assigned to them), oldest due first."""
        actor.require(Permission.CUSTOMER_READ)
        today = self.clock.today()
        with self.database.session() as session:
            query = (
                select(ServiceTask, Customer.name, StaffUser.display_name)
                .outerjoin(Customer, col(Customer.id) == ServiceTask.customer_id)
                .outerjoin(StaffUser, col(StaffUser.id) == ServiceTask.assignee_id)
                .where(col(ServiceTask.unit_id).in_(actor.scope_unit_ids))
                .order_by(col(ServiceTask.due_date), col(ServiceTask.id))
                .limit(limit)
            )
            if mine:
                query = query.where(ServiceTask.assignee_id == actor.id)
            if not include_done:
                query = query.where(ServiceTask.status == "open")
            return [
                _item(task, name or "", assignee or "", today)
                for task, name, assignee in session.exec(query).all()
            ]

    def done(self, actor: Actor, task_id: int, notes: str = "") -> TaskItem:
        """Close a task; a call made for it goes into the customer's service history."""
        actor.require(Permission.SERVICE_RECORD)
        notes = clean_text(notes)[:2000]
        with self.database.session() as session:
            task = session.get(ServiceTask, task_id)
            if task is None or task.unit_id not in actor.scope_unit_ids:
                raise NotFound(tr("没有该任务", "No such task"), field="task")
            if task.status == "done":
                raise Conflict(tr("任务已完成", "The task is done already"), field="task")
            task.status, task.done_at, task.done_by_id = "done", self.clock.now(), actor.id
            task.notes = notes
            if task.customer_id is not None:
                session.add(
                    ServiceContact(
                        customer_id=task.customer_id,
                        kind="claim_care" if task.claim_id else "call",
                        staff_id=actor.id,
                        subject=task.subject[:200],
                        notes=notes,
                        claim_id=task.claim_id,
                    )
                )
            audit.record(session, actor, "task_done", entity="service_task", entity_id=task_id)
            session.commit()
            customer = session.get(Customer, task.customer_id) if task.customer_id else None
            return _item(
                task, customer.name if customer else "", actor.display_name, self.clock.today()
            )


def _subject(contacts: ClaimContacts, kind: str, claim: Claim) -> str:
    if kind == "care_call":
        contact = contacts(claim)
        adjuster = f"{contact.name} {contact.phone}".strip() if contact else "-"
        return tr(
            "出险关怀 {c}（查勘员 {a}）",
            "Care call {c} (adjuster {a})",
            c=claim.claim_no,
            a=adjuster,
        )
    return tr("结案满意度回访 {c}", "Satisfaction call {c}", c=claim.claim_no)


def _item(task: ServiceTask, name: str, assignee: str, today: date) -> TaskItem:
    return TaskItem(
        id=task.id or 0,
        kind=task.kind,
        customer_id=task.customer_id,
        customer_name=name,
        subject=task.subject,
        due_date=task.due_date,
        overdue=task.status == "open" and task.due_date < today,
        assignee=assignee,
        status=task.status,
        claim_id=task.claim_id,
    )
