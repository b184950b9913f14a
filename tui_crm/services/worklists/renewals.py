"""The renewal worklist: policies ending in the next N days that have no renewal yet.

Oldest end date first, per account manager (the policy's, else the customer's) and
unit, with where each renewal stands (`renewal_follow_up`: not contacted, contacted,
quoted, renewed, lost — to which competitor and why; a loss is also a prospect fact of
the customer, `services/prospects`). Logging a call and sending the
renewal SMS mark a policy not yet contacted as contacted. A policy drops off the list
when a policy renewing it arrives (`renewal_of_id`).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, exists, func, literal
from sqlalchemy import select as sql_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.core.masking import mask_phone
from tui_crm.services.core.org import OrgService
from tui_crm.services.core.text import clean_text, within
from tui_crm.services.prospects import ProspectService
from tui_crm.services.servicing import CustomerServiceLog, SentSms, SmsService
from tui_crm.storage.db import Database
from tui_crm.storage.models import (
    Contact,
    Customer,
    OrgUnit,
    Policy,
    RenewalFollowUp,
    StaffUser,
    Vehicle,
)

STATUSES = ("not_contacted", "contacted", "quoted", "renewed", "lost")
WINDOWS = (30, 60, 90)


@dataclass(frozen=True)
class RenewalItem:
    policy_id: int
    policy_no: str
    customer_id: int
    customer_name: str
    phone_masked: str
    vehicle_id: int | None
    plate: str | None
    line_code: str
    end_date: date
    days_left: int
    premium: Decimal
    unit_code: str
    manager: str
    status: str
    competitor: str | None
    reason: str | None
    updated_at: datetime | None


class RenewalService:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        sms: SmsService,
        log: CustomerServiceLog,
        prospects: ProspectService,
    ) -> None:
        self.database = database
        self.clock = clock
        self.sms = sms
        self.log = log
        self.prospects = prospects  # a lost renewal is a loss to a competitor
        self.org = OrgService(database)

    def worklist(
        self,
        actor: Actor,
        *,
        days: int = 60,
        unit: str | None = None,
        manager: str | None = None,
        status: str | None = None,
        limit: int = 5000,
    ) -> list[RenewalItem]:
        actor.require(Permission.CUSTOMER_READ)
        if not 1 <= days <= 366:
            raise ValidationFailed(tr("天数应为 1 到 366", "Days must be 1 to 366"), field="days")
        if status is not None and status not in STATUSES:
            raise ValidationFailed(
                tr("未知的续保状态 {s}", "Unknown renewal status {s}", s=status), field="status"
            )
        units = self.org.subtree_ids(actor, unit)
        today = self.clock.today()
        with self.database.session() as session:
            manager_id = _manager_id(session, manager) if manager else None
            query = _ids_query(today, today + timedelta(days=days), units, manager_id, status)
            # Ids first (policy columns and index probes only), then the details of those.
            ids = list(session.execute(query.limit(limit)))
            details = _details().where(col(Policy.id).in_([i for (i,) in ids]))
            return [_item(row, today) for row in session.execute(details).all()]

    def item(self, actor: Actor, policy_id: int) -> RenewalItem:
        actor.require(Permission.CUSTOMER_READ)
        today = self.clock.today()
        with self.database.session() as session:
            policy = session.get(Policy, policy_id)
            if policy is None:
                raise NotFound(tr("没有该保单", "No such policy"), field="policy")
            actor.require_scope(policy.unit_id)
            query = _details().where(col(Policy.id) == policy_id)
            return _item(session.execute(query).one(), today)

    def set_status(
        self,
        actor: Actor,
        policy_id: int,
        status: str,
        *,
        competitor: str | None = None,
        reason: str | None = None,
    ) -> RenewalItem:
        actor.require(Permission.SERVICE_RECORD)
        if status not in STATUSES:
            raise ValidationFailed(
                tr("未知的续保状态 {s}", "Unknown renewal status {s}", s=status), field="status"
            )
        competitor = (
            within(
                clean_text(competitor or ""),
                60,
                field="competitor",
                label=("竞争对手", "Competitor"),
            )
            or None
        )
        reason = (
            within(clean_text(reason or ""), 200, field="reason", label=("原因", "Reason")) or None
        )
        if status == "lost" and not (competitor or reason):
            raise ValidationFailed(
                tr("流失请填写竞争对手或原因", "Say to whom or why the renewal was lost"),
                field="reason",
            )
        with self.database.session() as session:
            self._mark(session, actor, policy_id, status, competitor, reason)
            if status == "lost":
                policy = session.get(Policy, policy_id)
                assert policy is not None  # _mark found it
                self.prospects.record_lost_in(
                    session,
                    actor,
                    policy.customer_id,
                    competitor=competitor,
                    reason=reason,
                    policy_id=policy_id,
                )
            session.commit()
        return self.item(actor, policy_id)

    def log_call(self, actor: Actor, policy_id: int, notes: str = "") -> RenewalItem:
        """A renewal call with the customer: a service contact, and `contacted`."""
        actor.require(Permission.SERVICE_RECORD)
        policy = self._policy(actor, policy_id)
        self.log.record(
            actor,
            policy.customer_id,
            kind="renewal_reminder",
            subject=tr("续保电话 {p}", "Renewal call {p}", p=policy.policy_no),
            notes=notes,
        )
        self._contacted(actor, policy_id)
        return self.item(actor, policy_id)

    def send_notice(self, actor: Actor, policy_id: int) -> SentSms:
        """The renewal SMS, filled from the expiring policy and its vehicle."""
        policy = self._policy(actor, policy_id)
        values = {"end_date": policy.end_date.isoformat()}
        with self.database.session() as session:
            if policy.vehicle_id is not None:
                vehicle = session.get(Vehicle, policy.vehicle_id)
                if vehicle is not None and vehicle.plate:
                    values["plate"] = vehicle.plate
        sent = self.sms.send(actor, policy.customer_id, "renewal_notice", values)
        if actor.can(Permission.SERVICE_RECORD):
            self._contacted(actor, policy_id)
        return sent

    def _policy(self, actor: Actor, policy_id: int) -> Policy:
        with self.database.session() as session:
            policy = session.get(Policy, policy_id)
            if policy is None:
                raise NotFound(tr("没有该保单", "No such policy"), field="policy")
            actor.require_scope(policy.unit_id)
            session.expunge(policy)
            return policy

    def _contacted(self, actor: Actor, policy_id: int) -> None:
        with self.database.session() as session:
            row = session.get(RenewalFollowUp, policy_id)
            if row is None or row.status == "not_contacted":
                self._mark(session, actor, policy_id, "contacted", None, None)
                session.commit()

    def _mark(
        self,
        session: Session,
        actor: Actor,
        policy_id: int,
        status: str,
        competitor: str | None,
        reason: str | None,
    ) -> None:
        policy = session.get(Policy, policy_id)
        if policy is None:
            raise NotFound(tr("没有该保单", "No such policy"), field="policy")
        actor.require_scope(policy.unit_id)
        row = session.get(RenewalFollowUp, policy_id)
        before = row.status if row else "not_contacted"
        if row is None:
            row = RenewalFollowUp(policy_id=policy_id)
            session.add(row)
        row.status, row.competitor, row.reason = status, competitor, reason
        row.updated_by_id, row.updated_at = actor.id, self.clock.now()
        audit.record(
            session,
            actor,
            "renewal_status",
            entity="policy",
            entity_id=policy_id,
            before={"status": before},
            after={"status": status, "competitor": competitor, "reason": reason},
        )


def _details() -> Select[Any]:
    """The worklist's columns of active policies not yet renewed; the caller picks the
    policies by id (already in the reader's scope: a unit filter here would make SQLite
    read the units' index instead of the ids, and so would a join to the few units: the
    unit's code is a subquery)."""
    renewal = aliased(Policy)
    manager = aliased(StaffUser)
    mobile = (
        select(col(Contact.value_norm))
        .where(col(Contact.customer_id) == col(Policy.customer_id), col(Contact.kind) == "mobile")
        .order_by(col(Contact.is_primary).desc(), col(Contact.id))
        .limit(1)
        .scalar_subquery()
    )
    return (
        sql_select(
            col(Policy.id),
            col(Policy.policy_no),
            col(Policy.customer_id),
            col(Customer.name),
            mobile.label("mobile"),
            col(Policy.vehicle_id),
            col(Vehicle.plate),
            col(Policy.line_code),
            col(Policy.end_date),
            col(Policy.premium),
            select(col(OrgUnit.code))
            .where(col(OrgUnit.id) == col(Policy.unit_id))
            .scalar_subquery()
            .label("unit_code"),
            func.coalesce(col(manager.display_name), literal("")).label("manager"),
            col(RenewalFollowUp.status),
            col(RenewalFollowUp.competitor),
            col(RenewalFollowUp.reason),
            col(RenewalFollowUp.updated_at),
        )
        .join(Customer, col(Customer.id) == col(Policy.customer_id))
        .outerjoin(Vehicle, col(Vehicle.id) == col(Policy.vehicle_id))
        .outerjoin(
            manager,
            col(manager.id)
            == func.coalesce(col(Policy.account_manager_id), col(Customer.account_manager_id)),
        )
        .outerjoin(RenewalFollowUp, col(RenewalFollowUp.policy_id) == col(Policy.id))
        .where(col(Policy.status) == "active")
        .where(~exists().where(col(renewal.renewal_of_id) == col(Policy.id)))
        .order_by(col(Policy.end_date), col(Policy.id))
    )


def _ids_query(
    start: date, end: date, units: frozenset[int], manager_id: int | None, status: str | None
) -> Select[Any]:
    """The worklist's policy ids in order: the policy table and the renewal probe alone,
    joined to the customer or the follow-up only when the filter needs them (a join the
    page does not need costs a lookup for every policy in the window)."""
    renewal = aliased(Policy)
    query = (
        sql_select(col(Policy.id))
        .where(col(Policy.unit_id).in_(units), col(Policy.status) == "active")
        .where(col(Policy.end_date) >= start, col(Policy.end_date) <= end)
        .where(~exists().where(col(renewal.renewal_of_id) == col(Policy.id)))
        .order_by(col(Policy.end_date), col(Policy.id))
    )
    if manager_id is not None:
        query = query.join(Customer, col(Customer.id) == col(Policy.customer_id)).where(
            func.coalesce(col(Policy.account_manager_id), col(Customer.account_manager_id))
            == manager_id
        )
    if status == "not_contacted":
        query = query.outerjoin(
            RenewalFollowUp, col(RenewalFollowUp.policy_id) == col(Policy.id)
        ).where(col(RenewalFollowUp.status).is_(None))
    elif status:
        query = query.join(RenewalFollowUp, col(RenewalFollowUp.policy_id) == col(Policy.id)).where(
            col(RenewalFollowUp.status) == status
        )
    return query


def _manager_id(session: Session, username: str) -> int:
    staff = session.exec(select(StaffUser).where(StaffUser.username == username.strip())).first()
    if staff is None or staff.id is None:
        raise NotFound(tr("没有用户 {u}", "No user {u}", u=username), field="manager")
    return staff.id


def _item(row: Any, today: date) -> RenewalItem:
    (
        policy_id,
        policy_no,
        customer_id,
        name,
        mobile,
        vehicle_id,
        plate,
        line_code,
        end_date,
        premium,
        unit_code,
        manager,
        status,
        competitor,
        reason,
        updated_at,
    ) = row
    return RenewalItem(
        policy_id=policy_id,
        policy_no=policy_no,
        customer_id=customer_id,
        customer_name=name,
        phone_masked=mask_phone(mobile) or "",
        vehicle_id=vehicle_id,
        plate=plate,
        line_code=line_code,
        end_date=end_date,
        days_left=(end_date - today).days,
        premium=premium,
        unit_code=unit_code,
        manager=manager,
        status=status or "not_contacted",
        competitor=competitor,
        reason=reason,
        updated_at=updated_at,
    )
