"""Customers: the 360 view, create and edit with a duplicate check and optimistic locking,
the audited reveal of personal data, the recently-viewed list, and moving a customer to
another serving unit (managers, with history).

Every call takes the acting user and enforces permission, org scope, masking and audit.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select

from tui_crm.i18n import tr
from tui_crm.services.core import audit, repeat
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.errors import NotFound, ValidationFailed
from tui_crm.services.core.masking import mask_id_number, mask_phone
from tui_crm.services.customers.duplicates import (
    Duplicate,
    DuplicateFound,
    claim_new_customer,
    find_duplicates,
)
from tui_crm.services.customers.input import CONTACT_FIELDS, CustomerInput, check_input
from tui_crm.services.customers.pinyin_variants import write_variants
from tui_crm.services.customers.records import (
    PHONE_CONTACTS,
    audit_view,
    contact_value,
    derive_search_fields,
    primary_contacts,
    refuse_duplicates,
    set_contact,
)
from tui_crm.services.customers.unit_move import move_unit
from tui_crm.services.customers.versioned import bump, get_in_scope, unit_for
from tui_crm.services.customers.view360.service import Customer360, load, personal_id
from tui_crm.services.search.service import SearchHit, SearchService
from tui_crm.storage.db import Database
from tui_crm.storage.models import (
    Contact,
    Customer,
    OrgUnit,
    RecentView,
)
from tui_crm.storage.upsert import upsert

RECENT_LIMIT = 20
CUSTOMER_FIELDS = (
    "kind",
    "name",
    "id_number",
    "birth_date",
    "gender",
    "industry",
    "ownership",
    "note",
)


@dataclass(frozen=True)
class Revealed:
    id: int
    id_number: str | None
    phones: list[tuple[str, str]]  # (kind, number)
    contacts: dict[int, str] = field(default_factory=dict)  # contact id -> full number


@dataclass(frozen=True)
class EditForm:
    """What the edit form starts from: masked identifiers, which stay unchanged unless
    the clerk types a new value, and the version the save must still find."""

    values: CustomerInput
    version: int
    unit_code: str


class CustomerService:
    def __init__(self, database: Database, clock: Clock, search: SearchService) -> None:
        self.database = database
        self.clock = clock
        self.search = search

    # ------------------------------------------------------------------ reading
    def view(self, actor: Actor, customer_id: int, *, remember: bool = True) -> Customer360:
        """Everything about one customer (masked), and note it in the recently-viewed list."""
        actor.require(Permission.CUSTOMER_READ)
        with self.database.connect() as connection:
            data = load(connection, customer_id, self.clock.today(), actor.scope_unit_ids)
        if data is None:
            raise NotFound(tr("没有编号为 {i} 的客户", "No customer {i}", i=customer_id))
        actor.require_scope(data.unit_id)
        if remember:
            self._remember(actor, customer_id)
        return data

    def reveal(self, actor: Actor, customer_id: int) -> Revealed:
        """The full ID number and phones of one customer; written to the audit log."""
        actor.require(Permission.PII_REVEAL)
        with self.database.session() as session:
            customer = get_in_scope(session, actor, customer_id)
            phones = session.exec(
                select(Contact.id, Contact.kind, Contact.value_norm, Contact.value)
                .where(Contact.customer_id == customer_id, col(Contact.kind).in_(PHONE_CONTACTS))
                .order_by(col(Contact.is_primary).desc(), col(Contact.id))
            ).all()
            audit.record(
                session,
                actor,
                "reveal",
                entity="customer",
                entity_id=customer_id,
                detail="id_number,phone",
            )
            session.commit()
            return Revealed(
                customer_id,
                customer.id_number,
                [(k, v or "") for _, k, v, _ in phones],
                {int(i or 0): shown or "" for i, _, _, shown in phones},
            )

    def recent(self, actor: Actor, *, limit: int = RECENT_LIMIT) -> list[SearchHit]:
        """The customers this user opened lately, newest first."""
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            ids = session.exec(
                select(RecentView.customer_id)
                .where(RecentView.staff_id == actor.id)
                .order_by(col(RecentView.viewed_at).desc())
                .limit(limit)
            ).all()
        return self.search.describe(actor, list(ids))

    def edit_form(self, actor: Actor, customer_id: int) -> EditForm:
        actor.require(Permission.CUSTOMER_WRITE)
        with self.database.session() as session:
            c = get_in_scope(session, actor, customer_id)
            contacts = primary_contacts(session, customer_id)
            unit = session.get(OrgUnit, c.unit_id)
            masked_id = mask_id_number(c.id_number) if personal_id(c.kind) else c.id_number
            values = CustomerInput(
                kind=c.kind,
                name=c.name,
                id_number=masked_id,
                birth_date=c.birth_date,
                gender=c.gender,
                mobile=mask_phone(contact_value(contacts.get("mobile"))),
                landline=mask_phone(contact_value(contacts.get("landline"))),
                address=contact_value(contacts.get("address")),
                email=contact_value(contacts.get("email")),
                industry=c.industry,
                ownership=c.ownership,
                note=c.note,
                consent_marketing_sms=bool(
                    contacts.get("mobile") and contacts["mobile"].consent_marketing_sms
                ),
            )
            return EditForm(values, c.version, unit.code if unit else "")

    # ------------------------------------------------------------------ writing
    def duplicates(
        self, actor: Actor, data: CustomerInput, *, exclude_id: int | None = None
    ) -> list[Duplicate]:
        """Existing customers with the same ID / credit code, phone, or name and birth date
        (the whole book; a match outside the actor's units shows only its unit)."""
        checked = check_input(data, today=self.clock.today())
        with self.database.session() as session:
            return find_duplicates(session, actor, checked.values, exclude_id=exclude_id)

    def create(self, actor: Actor, data: CustomerInput, *, allow_duplicates: bool = False) -> int:
        """A new customer and their contacts; refused on invalid input, on an existing ID
        number, and on a possible duplicate unless `allow_duplicates` (after a warning)."""
        actor.require(Permission.CUSTOMER_WRITE)
        values = self._checked(data)
        with self.database.session() as session:
            claimed = claim_new_customer(session, actor, values, self.clock.now())
            unit_id = unit_for(session, actor, data.unit_code)
            refuse_duplicates(find_duplicates(session, actor, values), allow_duplicates)
            now = datetime.now(UTC)
            fields: dict[str, Any] = {k: values[k] for k in CUSTOMER_FIELDS if k in values}
            customer = Customer(
                unit_id=unit_id, source="walk_in", created_at=now, updated_at=now, **fields
            )
            derive_search_fields(customer)
            session.add(customer)
            session.flush()
            assert customer.id is not None
            write_variants(session, customer.id, customer.name, customer.kind)
            repeat.made(session, claimed, customer.id)
            for kind in CONTACT_FIELDS:
                if values.get(kind):
                    set_contact(session, customer.id, kind, values[kind], data)
            audit.record(
                session,
                actor,
                "create",
                entity="customer",
                entity_id=customer.id,
                after=audit_view(values, data.kind),
            )
            session.commit()
            return customer.id

    def update(
        self,
        actor: Actor,
        customer_id: int,
        data: CustomerInput,
        *,
        version: int,
        allow_duplicates: bool = False,
    ) -> int:
        """Save an edit made from `version`; refused (nothing written) when someone else
        saved this customer since. Returns the new version."""
        actor.require(Permission.CUSTOMER_WRITE)
        values = self._checked(data)
        with self.database.session() as session:
            c = get_in_scope(session, actor, customer_id)
            if values.get("kind", c.kind) != c.kind:
                raise ValidationFailed(
                    tr(
                        "客户类型不能修改，请新建客户", "The kind cannot change; add a new customer"
                    ),
                    field="kind",
                )
            contacts = primary_contacts(session, customer_id)
            before: dict[str, Any] = {}
            after: dict[str, Any] = {}
            changes: dict[str, Any] = {}
            for name in CUSTOMER_FIELDS:
                if name in values and values[name] != getattr(c, name):
                    before[name], after[name] = getattr(c, name), values[name]
                    changes[name] = values[name]
            for kind in CONTACT_FIELDS:
                if kind in values and values[kind] != contact_value(contacts.get(kind)):
                    before[kind], after[kind] = contact_value(contacts.get(kind)), values[kind]
            if "consent_marketing_sms" in values and contacts.get("mobile"):
                old = contacts["mobile"].consent_marketing_sms
                if old != values["consent_marketing_sms"]:
                    before["consent_marketing_sms"] = old
                    after["consent_marketing_sms"] = values["consent_marketing_sms"]
            # Only what changed can create a new duplicate.
            probe: dict[str, Any] = {"kind": c.kind}
            probe.update({k: after[k] for k in ("id_number", "mobile", "landline") if k in after})
            if "name" in after or "birth_date" in after:
                probe["name"] = values.get("name", c.name)
                probe["birth_date"] = values.get("birth_date", c.birth_date)
            found = find_duplicates(session, actor, probe, exclude_id=customer_id)
            refuse_duplicates(found, allow_duplicates)
            bump(session, c, version, changes)
            for kind in CONTACT_FIELDS:
                if kind in after or (kind == "mobile" and "consent_marketing_sms" in after):
                    set_contact(session, customer_id, kind, values.get(kind), data)
            if before or after:
                audit.record(
                    session,
                    actor,
                    "update",
                    entity="customer",
                    entity_id=customer_id,
                    before=audit_view(before, c.kind),
                    after=audit_view(after, c.kind),
                )
            session.commit()
            return version + 1

    def move_unit(
        self, actor: Actor, customer_id: int, unit_code: str, *, version: int, reason: str = ""
    ) -> int:
        """A manager moves a customer to another serving unit; the move is kept as history.
        Returns the new version."""
        actor.require(Permission.CUSTOMER_MOVE)
        with self.database.session() as session:
            return move_unit(session, actor, customer_id, unit_code, version=version, reason=reason)

    # ------------------------------------------------------------------ helpers
    def _checked(self, data: CustomerInput) -> dict[str, Any]:
        checked = check_input(data, today=self.clock.today())
        if not checked.ok:
            name, message = next(iter(checked.errors.items()))
            raise ValidationFailed(message, field=name)
        values = dict(checked.values)
        if data.consent_marketing_sms is not None:
            values["consent_marketing_sms"] = data.consent_marketing_sms
        return values

    def _remember(self, actor: Actor, customer_id: int) -> None:
        with self.database.session() as session:
            # One statement: two customers opened at once by the same user both land.
            upsert(
                session.connection(),
                RecentView,
                {"staff_id": actor.id, "customer_id": customer_id, "viewed_at": datetime.now(UTC)},
                keys=("staff_id", "customer_id"),
                update=("viewed_at",),
            )
            stale = session.exec(
                select(RecentView.customer_id)
                .where(RecentView.staff_id == actor.id)
                .order_by(col(RecentView.viewed_at).desc())
                .offset(RECENT_LIMIT)
            ).all()
            if stale:
                session.execute(
                    delete(RecentView).where(
                        col(RecentView.staff_id) == actor.id,
                        col(RecentView.customer_id).in_(stale),
                    )
                )
            session.commit()


__all__ = ["CustomerService", "Duplicate", "DuplicateFound", "EditForm", "Revealed"]
