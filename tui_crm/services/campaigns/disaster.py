"""Disaster warnings on the branch's disaster events: choose an event (`disasters`, table
`catastrophe_event` with its districts), see its affected customers, warn them all as one
service campaign.

The affected customers are the disaster worklist's: customers of the reader's units in
the districts struck with a policy in force when the event begins. A warning is a service
message: a mobile number is all it needs (an SMS opt-out withdraws marketing only); the
campaign lists the rest as skipped with the reason. `declare` records a new event from
unit codes, as `tui-crm warning declare` always took them: each unit stands for the
counties (six-digit codes) it is or lies under or above.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_
from sqlmodel import col, select

from tui_crm.i18n import tr
from tui_crm.services.campaigns.service import CampaignPreview, CampaignService
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text, within
from tui_crm.services.disasters import KINDS, Disaster, DisasterInput, DisasterService
from tui_crm.storage.db import Database
from tui_crm.storage.models import OrgUnit, SmsCampaign


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
    warned_on: date | None = None


def campaign_source(event_id: int) -> str:
    """How a warning campaign names its event (`sms_campaign.source`)."""
    return f"catastrophe_event:{event_id}"


class DisasterWarnings:
    def __init__(
        self, database: Database, campaigns: CampaignService, disasters: DisasterService
    ) -> None:
        self.database = database
        self.campaigns = campaigns
        self.disasters = disasters

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
        """A new disaster event from unit codes (`warning declare`, kept for scripts)."""
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
        counties = self._counties(districts)
        event = self.disasters.declare(actor, DisasterInput(name, kind, start, end, counties))
        return self._info(actor, event)

    def events(self, actor: Actor) -> list[DisasterEventInfo]:
        """The branch's disaster events, newest first, with their affected customers."""
        actor.require(Permission.CAMPAIGN_RUN)
        return [self._info(actor, e) for e in self.disasters.events(actor)]

    def customers(self, actor: Actor, event_id: int) -> list[int]:
        actor.require(Permission.CAMPAIGN_RUN)
        return self.disasters.affected_ids(actor, event_id)

    def warn(self, actor: Actor, event_id: int) -> CampaignPreview:
        """The warning to every affected customer, as one campaign (queue it with
        `campaigns.queue`); the event's warning date is set if it had none."""
        actor.require(Permission.CAMPAIGN_RUN)
        event = self.disasters.event(actor, event_id)
        ids = self.disasters.affected_ids(actor, event_id)
        if not ids:
            raise NotFound(
                tr(
                    "该事件的地区没有保单在保的客户",
                    "No customers with a policy in force in the event's districts",
                ),
                field="event",
            )
        preview = self.campaigns.build(
            actor,
            name=tr("灾害预警：{n}", "Disaster warning: {n}", n=event.name)[:60],
            template_code="disaster_warning",
            customer_ids=ids,
            values={"event": event.name},
            source=campaign_source(event_id),
        )
        self.disasters.mark_warned(actor, event_id, self.campaigns.clock.today())
        return preview

    def _counties(self, districts: list[str]) -> list[str]:
        codes = sorted({d.strip() for d in districts if d.strip()})
        if not codes:
            raise ValidationFailed(tr("请选择地区", "Choose the districts"), field="district")
        with self.database.session() as session:
            paths = dict(
                session.exec(
                    select(OrgUnit.code, OrgUnit.path).where(col(OrgUnit.code).in_(codes))
                ).all()
            )
            unknown = [c for c in codes if c not in paths]
            if unknown:
                raise NotFound(
                    tr("没有地区 {c}", "No district {c}", c="、".join(unknown)), field="district"
                )
            under = or_(*(col(OrgUnit.path).startswith(p) for p in paths.values()))
            counties = session.exec(
                select(func.substr(OrgUnit.code, 1, 6))
                .where(under, func.length(OrgUnit.code) >= 6)
                .distinct()
            ).all()
        found = sorted({str(c) for c in counties} | {c[:6] for c in codes if len(c) >= 6})
        if not found:
            raise NotFound(
                tr("这些地区下没有区县", "No county under those districts"), field="district"
            )
        return found

    def _info(self, actor: Actor, event: Disaster) -> DisasterEventInfo:
        with self.database.session() as session:
            campaign_id = session.exec(
                select(func.max(SmsCampaign.id)).where(
                    SmsCampaign.source == campaign_source(event.id)
                )
            ).one()
        return DisasterEventInfo(
            id=event.id,
            name=event.name,
            kind=event.kind,
            districts=event.districts,
            start_date=event.start_date,
            end_date=event.end_date,
            customers=len(self.disasters.affected_ids(actor, event.id)),
            campaign_id=campaign_id,
            warned_on=event.warned_on,
        )
