"""A customer's source and the list it came from. Imports set `core` and the registry
import `registry`; a clerk who edits customers (`customer.write`) corrects them for
customers of their units, audited with before and after. A list is a name and a date
(one list per name and date, of one source); naming a list that does not exist yet
adds it."""

from dataclasses import asdict, dataclass
from datetime import date

from sqlmodel import Session, select

from tui_crm.domain import CustomerSource
from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from tui_crm.services.core.text import clean_text, within
from tui_crm.storage.db import Database
from tui_crm.storage.models import Customer, CustomerSourceList, SourceList

SOURCES = tuple(s.value for s in CustomerSource)


@dataclass(frozen=True)
class SourceInfo:
    customer_id: int
    source: str
    list_name: str | None
    list_date: date | None


class SourceService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def get(self, actor: Actor, customer_id: int) -> SourceInfo:
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            return _info(session, _customer(session, actor, customer_id))

    def correct(
        self,
        actor: Actor,
        customer_id: int,
        source: str,
        *,
        list_name: str | None = None,
        list_date: date | None = None,
    ) -> SourceInfo:
        """Set the source; `list_name` names the list (dated `list_date`, today by
        default), "" takes the customer off its list, None leaves the list alone."""
        actor.require(Permission.CUSTOMER_WRITE)
        if source not in SOURCES:
            raise ValidationFailed(
                tr("来源应为 {s}", "The source is one of {s}", s=", ".join(SOURCES)),
                field="source",
            )
        name = None
        if list_name is not None:
            name = within(clean_text(list_name), 100, field="list", label=("名单", "List"))
        if list_date is not None and list_date > self.clock.today():
            raise ValidationFailed(
                tr("名单日期不能晚于今天", "The list date cannot be after today"),
                field="list_date",
            )
        with self.database.session() as session:
            customer = _customer(session, actor, customer_id)
            before = _info(session, customer)
            customer.source = source
            customer.version += 1
            session.add(customer)
            if name is not None:
                self._set_list(session, actor, customer_id, source, name, list_date)
            session.flush()
            after = _info(session, customer)
            if after == before:
                raise Conflict(tr("没有修改", "Nothing changed"), code="unchanged")
            audit.record(
                session,
                actor,
                "source",
                entity="customer",
                entity_id=customer_id,
                before=_audit(before),
                after=_audit(after),
            )
            session.commit()
            return after

    def _set_list(
        self,
        session: Session,
        actor: Actor,
        customer_id: int,
        source: str,
        name: str,
        day: date | None,
    ) -> None:
        link = session.get(CustomerSourceList, customer_id)
        if not name:
            if link is not None:
                session.delete(link)
            return
        day = day or self.clock.today()
        found = session.exec(
            select(SourceList).where(SourceList.name == name, SourceList.list_date == day)
        ).first()
        if found is None:
            found = SourceList(name=name, list_date=day, source=source, created_by_id=actor.id)
            session.add(found)
            session.flush()
        elif found.source != source:
            raise ValidationFailed(
                tr(
                    "名单“{n}”的来源是 {s}",
                    "The list '{n}' is of source {s}",
                    n=name,
                    s=found.source,
                ),
                field="list",
            )
        assert found.id is not None
        if link is None:
            session.add(CustomerSourceList(customer_id=customer_id, list_id=found.id))
        else:
            link.list_id = found.id
            session.add(link)


def _customer(session: Session, actor: Actor, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(tr("没有客户 {i}", "No customer {i}", i=customer_id), field="customer")
    actor.require_scope(customer.unit_id)
    return customer


def _info(session: Session, customer: Customer) -> SourceInfo:
    assert customer.id is not None
    session.flush()
    link = session.get(CustomerSourceList, customer.id)
    found = session.get(SourceList, link.list_id) if link is not None else None
    return SourceInfo(
        customer.id,
        customer.source,
        found.name if found else None,
        found.list_date if found else None,
    )


def _audit(info: SourceInfo) -> dict[str, object]:
    data = asdict(info)
    data.pop("customer_id")
    data["list_date"] = info.list_date.isoformat() if info.list_date else None
    return data
