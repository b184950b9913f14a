"""Corporate groups and parent/subsidiary links. Anyone who reads customers sees the
groups with a member in their units (members of other units only counted); account
managers, managers and administrators (`group.edit`) keep them, for companies of their
units, audited with before and after."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from tui_crm.i18n import tr
from tui_crm.services.core import audit
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.errors import Conflict, ValidationFailed
from tui_crm.services.core.text import clean_text, within
from tui_crm.services.groups import checks
from tui_crm.storage.db import Database
from tui_crm.storage.models import CorporateGroup, CorporateGroupHead, Customer, OrgUnit


@dataclass(frozen=True)
class GroupRow:
    id: int
    name: str
    head_id: int | None
    head_name: str | None
    members: int  # in the user's units
    other_members: int  # in units the user cannot see


@dataclass(frozen=True)
class GroupMember:
    customer_id: int
    name: str
    unit_code: str
    parent_id: int | None
    head: bool


class GroupService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def rows(self, actor: Actor) -> list[GroupRow]:
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            visible = select(col(Customer.group_id)).where(
                col(Customer.unit_id).in_(actor.scope_unit_ids),
                col(Customer.group_id).is_not(None),
            )
            ids = session.exec(
                select(col(CorporateGroup.id))
                .where(col(CorporateGroup.id).in_(visible))
                .order_by(col(CorporateGroup.name), col(CorporateGroup.id))
            ).all()
            return [_group_row(session, actor, i) for i in ids if i is not None]

    def members(self, actor: Actor, group_id: int) -> list[GroupMember]:
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            checks.group(session, group_id)
            head = session.get(CorporateGroupHead, group_id)
            rows = session.exec(
                select(Customer, col(OrgUnit.code))
                .join(OrgUnit, col(OrgUnit.id) == col(Customer.unit_id))
                .where(
                    col(Customer.group_id) == group_id,
                    col(Customer.unit_id).in_(actor.scope_unit_ids),
                )
                .order_by(col(Customer.name), col(Customer.id))
            ).all()
            head_id = head.customer_id if head else None
            return [
                GroupMember(c.id or 0, c.name, code, c.parent_customer_id, c.id == head_id)
                for c, code in rows
            ]

    def save(
        self, actor: Actor, name: str, head_id: int, *, group_id: int | None = None
    ) -> GroupRow:
        """A new group (no `group_id`) or a group renamed / given another head. The head
        becomes a member."""
        actor.require(Permission.GROUP_EDIT)
        text = within(clean_text(name), 100, field="name", label=("集团名称", "Group name"))
        if not text:
            raise ValidationFailed(tr("请填写集团名称", "Name the group"), field="name")
        with self.database.session() as session:
            head = checks.company(session, actor, head_id, "head")
            if group_id is None:
                found = CorporateGroup(name=text)
                session.add(found)
                session.flush()
                before = None
            else:
                found = checks.group(session, group_id)
                before = _state(session, found)
            assert found.id is not None
            if head.group_id not in (None, found.id):
                raise _in_other_group(head)
            found.name = text
            head.group_id = found.id
            link = session.get(CorporateGroupHead, found.id)
            if link is None:
                link = CorporateGroupHead(group_id=found.id, customer_id=head_id)
            link.customer_id = head_id
            session.add_all([found, head, link])
            session.flush()
            after = _state(session, found)
            if after == before:
                raise Conflict(tr("没有修改", "Nothing changed"), code="unchanged")
            audit.record(
                session, actor, "group_save", entity="corporate_group", entity_id=found.id,
                before=before, after=after,
            )  # fmt: skip
            session.commit()
            return _group_row(session, actor, found.id)

    def add(self, actor: Actor, group_id: int, customer_id: int) -> GroupRow:
        actor.require(Permission.GROUP_EDIT)
        with self.database.session() as session:
            found = checks.group(session, group_id)
            member = checks.company(session, actor, customer_id, "customer")
            if member.group_id == group_id:
                raise Conflict(tr("已在该集团中", "Already in this group"), code="unchanged")
            if member.group_id is not None:
                raise _in_other_group(member)
            member.group_id = group_id
            session.add(member)
            audit.record(
                session, actor, "group_add", entity="corporate_group", entity_id=group_id,
                after={"customer_id": customer_id, "group": found.name},
            )  # fmt: skip
            session.commit()
            return _group_row(session, actor, group_id)

    def remove(self, actor: Actor, group_id: int, customer_id: int) -> GroupRow:
        actor.require(Permission.GROUP_EDIT)
        with self.database.session() as session:
            found = checks.group(session, group_id)
            member = checks.company(session, actor, customer_id, "customer")
            if member.group_id != group_id:
                raise ValidationFailed(
                    tr("客户 {i} 不在该集团中", "Customer {i} is not in this group", i=customer_id),
                    field="customer",
                )
            head = session.get(CorporateGroupHead, group_id)
            if head is not None and head.customer_id == customer_id:
                raise ValidationFailed(
                    tr(
                        "集团总部不能移出，请先更换总部",
                        "Name another head before removing this one",
                    ),
                    field="customer",
                )
            member.group_id = None
            session.add(member)
            audit.record(
                session, actor, "group_remove", entity="corporate_group", entity_id=group_id,
                before={"customer_id": customer_id, "group": found.name},
            )  # fmt: skip
            session.commit()
            return _group_row(session, actor, group_id)

    def link(self, actor: Actor, parent_id: int, child_id: int) -> GroupMember:
        """Make `child_id` a subsidiary of `parent_id`."""
        actor.require(Permission.GROUP_EDIT)
        with self.database.session() as session:
            parent = checks.company(session, actor, parent_id, "parent")
            child = checks.company(session, actor, child_id, "child")
            checks.no_cycle(session, parent, child)
            if child.parent_customer_id == parent_id:
                raise Conflict(tr("已是其母公司", "Already linked"), code="unchanged")
            if child.parent_customer_id is not None:
                raise ValidationFailed(
                    tr(
                        "{c} 已有母公司（客户 {p}），请先解除",
                        "{c} already has a parent (customer {p}): unlink it first",
                        c=child.name,
                        p=child.parent_customer_id,
                    ),
                    field="child",
                )
            child.parent_customer_id = parent_id
            session.add(child)
            audit.record(
                session, actor, "link", entity="customer", entity_id=child_id,
                before={"parent_customer_id": None}, after={"parent_customer_id": parent_id},
            )  # fmt: skip
            session.commit()
            return _member(session, child)

    def unlink(self, actor: Actor, child_id: int) -> GroupMember:
        actor.require(Permission.GROUP_EDIT)
        with self.database.session() as session:
            child = checks.company(session, actor, child_id, "child")
            parent_id = child.parent_customer_id
            if parent_id is None:
                raise Conflict(tr("没有母公司", "It has no parent"), code="unchanged")
            parent = session.get(Customer, parent_id)
            actor.require_scope(parent.unit_id if parent else None)
            child.parent_customer_id = None
            session.add(child)
            audit.record(
                session, actor, "unlink", entity="customer", entity_id=child_id,
                before={"parent_customer_id": parent_id}, after={"parent_customer_id": None},
            )  # fmt: skip
            session.commit()
            return _member(session, child)

    def related(
        self, actor: Actor, customer_id: int
    ) -> tuple[GroupMember | None, list[GroupMember]]:
        """The parent and the subsidiaries of a customer, those the user can see."""
        actor.require(Permission.CUSTOMER_READ)
        with self.database.session() as session:
            customer = session.get(Customer, customer_id)
            if customer is None or not actor.in_scope(customer.unit_id):
                return None, []
            parent = None
            if customer.parent_customer_id is not None:
                found = session.get(Customer, customer.parent_customer_id)
                if found is not None and actor.in_scope(found.unit_id):
                    parent = _member(session, found)
            children = session.exec(
                select(Customer)
                .where(
                    col(Customer.parent_customer_id) == customer_id,
                    col(Customer.unit_id).in_(actor.scope_unit_ids),
                )
                .order_by(col(Customer.name), col(Customer.id))
            ).all()
            return parent, [_member(session, c) for c in children]


def _in_other_group(customer: Customer) -> ValidationFailed:
    return ValidationFailed(
        tr(
            "{c} 已属于集团 {g}，请先移出",
            "{c} is in group {g}: remove it there first",
            c=customer.name,
            g=customer.group_id,
        ),
        field="customer",
    )


def _member(session: Session, c: Customer) -> GroupMember:
    unit = session.get(OrgUnit, c.unit_id)
    head = session.get(CorporateGroupHead, c.group_id) if c.group_id else None
    return GroupMember(
        c.id or 0,
        c.name,
        unit.code if unit else "",
        c.parent_customer_id,
        head is not None and head.customer_id == c.id,
    )


def _state(session: Session, g: CorporateGroup) -> dict[str, object]:
    head = session.get(CorporateGroupHead, g.id)
    return {"name": g.name, "head_customer_id": head.customer_id if head else None}


def _group_row(session: Session, actor: Actor, group_id: int) -> GroupRow:
    g = session.get(CorporateGroup, group_id)
    assert g is not None
    head = session.get(CorporateGroupHead, group_id)
    head_customer = session.get(Customer, head.customer_id) if head else None
    counts = session.exec(
        select(col(Customer.unit_id), func.count())
        .where(col(Customer.group_id) == group_id)
        .group_by(col(Customer.unit_id))
    ).all()
    seen = {True: 0, False: 0}
    for unit_id, n in counts:
        seen[actor.in_scope(unit_id)] += int(n)
    return GroupRow(
        group_id,
        g.name,
        head.customer_id if head else None,
        head_customer.name if head_customer else None,
        seen.get(True, 0),
        seen.get(False, 0),
    )
