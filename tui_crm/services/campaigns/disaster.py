"""Disaster warnings: declare a typhoon or flood with its districts and dates, see the
customers with vehicles there, and warn them all as one service campaign.

A district is a unit code (the county units carry their administrative division codes,
e.g. 330402 南湖); a customer is "there" when served by a unit under one of the districts
and owning at least one vehicle. A warning is a service message: a mobile number is all
it needs (an SMS opt-out withdraws marketing only); the campaign lists the rest as
skipped with the reason.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, or_
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.campaigns.service import CampaignPreview, CampaignService
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text, within
from tui_crm.storage.db import Database
from tui_crm.storage.models import Customer, DisasterWarning, OrgUnit, Vehicle

KINDS = ("typhoon", "flood", "hail", "snow")


@dataclass(frozen=True)
class DisasterEventInfo:
    id: int
    name: str
    kind: str
    districts: list[str]
    start_date: date
    end_date: date
    customers: int
    campaign_id: int | None


class DisasterWarnings:
    def __init__(self, database: Database, campaigns: CampaignService) -> None:
        self.database = database
        self.campaigns = campaigns

    def declare(
        self,
        actor: Actor,
        *,
        name: str,
        kind: str,
        districts: list[str],
        start: date,
        end: date,
    ) -> DisasterEventInfo:
        actor.require(Permission.CAMPAIGN_RUN)
        name = within(clean_text(name), 60, field="name", label=("灾害名称", "Event name"))
        if not name:
            raise ValidationFailed(tr("请填写灾害名称", "Name the event"), field="name")
        if kind not in KINDS:
            raise ValidationFailed(
                tr("未知的灾害类型 {k}", "Unknown kind {k}", k=kind), field="kind"
            )
        if end < start:
            raise ValidationFailed(tr("结束日期早于开始日期", "End before start"), field="end")
        codes = sorted({d.strip() for d in districts if d.strip()})
        if not codes:
            raise ValidationFailed(tr("请选择地区", "Choose the districts"), field="district")
        with self.database.session() as session:
            known = set(
                session.exec(select(OrgUnit.code).where(col(OrgUnit.code).in_(codes))).all()
            )
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise NotFound(
                    tr("没有地区 {c}", "No district {c}", c="、".join(unknown)), field="district"
                )
            event = DisasterWarning(
                name=name,
                kind=kind,
                districts=",".join(codes),
                start_date=start,
                end_date=end,
                unit_id=actor.unit_id,
                created_by_id=actor.id,
            )
            session.add(event)
            session.flush()
            audit.record(
                session,
                actor,
                "disaster_declare",
                entity="disaster_warning",
                entity_id=event.id,
                after={"name": name, "kind": kind, "districts": codes},
            )
            session.commit()
            return _info(event, len(_customers(session, actor, event)))

    def events(self, actor: Actor) -> list[DisasterEventInfo]:
        actor.require(Permission.CAMPAIGN_RUN)
        with self.database.session() as session:
            rows = session.exec(
                select(DisasterWarning)
                .where(col(DisasterWarning.unit_id).in_(actor.scope_unit_ids))
                .order_by(col(DisasterWarning.id).desc())
            ).all()
            return [_info(e, len(_customers(session, actor, e))) for e in rows]

    def customers(self, actor: Actor, event_id: int) -> list[int]:
        actor.require(Permission.CAMPAIGN_RUN)
        with self.database.session() as session:
            return _customers(session, actor, _event(session, actor, event_id))

    def warn(self, actor: Actor, event_id: int) -> CampaignPreview:
        """The warning to everyone there, as one campaign (queue it with `campaigns.queue`)."""
        with self.database.session() as session:
            event = _event(session, actor, event_id)
            ids = _customers(session, actor, event)
            name = event.name
        if not ids:
            raise NotFound(
                tr("这些地区没有有车辆的客户", "No customers with vehicles in those districts"),
                field="district",
            )
        preview = self.campaigns.build(
            actor,
            name=tr("灾害预警：{n}", "Disaster warning: {n}", n=name)[:60],
            template_code="disaster_warning",
            customer_ids=ids,
            values={"event": name},
            source=f"disaster_warning:{event_id}",
        )
        with self.database.session() as session:
            row = session.get(DisasterWarning, event_id)
            assert row is not None
            row.campaign_id = preview.id
            session.commit()
        return preview


def _event(session: Session, actor: Actor, event_id: int) -> DisasterWarning:
    event = session.get(DisasterWarning, event_id)
    if event is None or not actor.in_scope(event.unit_id):
        raise NotFound(tr("没有该灾害事件", "No such disaster event"), field="event")
    return event


def _customers(session: Session, actor: Actor, event: DisasterWarning) -> list[int]:
    paths = session.exec(
        select(OrgUnit.path).where(col(OrgUnit.code).in_(event.districts.split(",")))
    ).all()
    if not paths:
        return []
    units = select(OrgUnit.id).where(or_(*(col(OrgUnit.path).startswith(p) for p in paths)))
    has_vehicle = exists().where(col(Vehicle.owner_customer_id) == col(Customer.id))
    ids = session.exec(
        select(Customer.id)
        .where(col(Customer.unit_id).in_(units), col(Customer.unit_id).in_(actor.scope_unit_ids))
        .where(has_vehicle)
        .order_by(col(Customer.id))
    ).all()
    return [i for i in ids if i is not None]


def _info(event: DisasterWarning, customers: int) -> DisasterEventInfo:
    return DisasterEventInfo(
        id=event.id or 0,
        name=event.name,
        kind=event.kind,
        districts=event.districts.split(","),
        start_date=event.start_date,
        end_date=event.end_date,
        customers=customers,
        campaign_id=event.campaign_id,
    )
