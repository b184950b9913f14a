"""Corporate groups, parent/subsidiary links and a customer's source and list: checked,
scoped to the user's units, audited."""

import json
from datetime import date

import pytest
from sqlmodel import select

from tests.factories import make_customer, make_user
from tui_crm.services.core import Conflict, Forbidden, ValidationFailed
from tui_crm.storage.models import (
    AuditLog,
    CorporateGroupHead,
    Customer,
    CustomerSourceList,
    SourceList,
)


@pytest.fixture
def companies(services):
    return [
        make_customer(services, name, kind="corporate")
        for name in ("嘉兴钢铁集团", "嘉兴钢铁物流", "嘉兴钢铁贸易")
    ]


def test_a_group_with_its_head_and_members(services, companies):
    am = make_user(services, "am", "account_manager")
    head, logistics, trade = companies
    row = services.groups.save(am, "嘉兴钢铁", head)
    assert (row.name, row.head_id, row.members) == ("嘉兴钢铁", head, 1)
    services.groups.add(am, row.id, logistics)
    row = services.groups.add(am, row.id, trade)
    assert row.members == 3
    members = services.groups.members(am, row.id)
    assert [(m.name, m.head) for m in members if m.head] == [("嘉兴钢铁集团", True)]
    with pytest.raises(ValidationFailed) as refused:
        services.groups.remove(am, row.id, head)
    assert refused.value.field == "customer"
    row = services.groups.remove(am, row.id, trade)
    assert row.members == 2
    with services.database.session() as session:
        assert session.get(Customer, trade).group_id is None
        assert session.get(CorporateGroupHead, row.id).customer_id == head
        actions = session.exec(
            select(AuditLog.action).where(AuditLog.entity == "corporate_group")
        ).all()
    assert actions == ["group_save", "group_add", "group_add", "group_remove"]
    renamed = services.groups.save(am, "嘉兴钢铁集团公司", logistics, group_id=row.id)
    assert (renamed.name, renamed.head_id) == ("嘉兴钢铁集团公司", logistics)
    with pytest.raises(Conflict):
        services.groups.save(am, "嘉兴钢铁集团公司", logistics, group_id=row.id)


def test_groups_take_companies_of_the_users_units(services, companies):
    am = make_user(services, "am", "account_manager")
    person = make_customer(services, "张三")
    elsewhere = make_customer(services, "秀洲纺织", kind="corporate", unit_code="330411")
    with pytest.raises(ValidationFailed) as refused:
        services.groups.save(am, "某集团", person)
    assert refused.value.field == "head"
    with pytest.raises(Forbidden):
        services.groups.save(am, "某集团", elsewhere)
    with pytest.raises(Forbidden):
        services.groups.save(make_user(services, "ctr", "counter"), "某集团", companies[0])
    with pytest.raises(ValidationFailed):
        services.groups.save(am, "  ", companies[0])
    row = services.groups.save(am, "嘉兴钢铁", companies[0])
    other = services.groups.save(am, "另一集团", companies[1])
    with pytest.raises(ValidationFailed):
        services.groups.add(am, other.id, companies[0])  # already in a group
    manager = make_user(services, "mgr", "manager", "3304")
    services.groups.add(manager, row.id, elsewhere)
    seen = {g.id: (g.members, g.other_members) for g in services.groups.rows(am)}
    assert seen == {row.id: (1, 1), other.id: (1, 0)}
    assert {g.id: g.members for g in services.groups.rows(manager)} == {row.id: 2, other.id: 1}


def test_links_refuse_self_and_cycles(services, companies):
    am = make_user(services, "am", "account_manager")
    top, middle, bottom = companies
    services.groups.link(am, top, middle)
    services.groups.link(am, middle, bottom)
    for parent, child in ((top, top), (bottom, top), (middle, top)):
        with pytest.raises(ValidationFailed) as refused:
            services.groups.link(am, parent, child)
        assert refused.value.field == "child"
    with pytest.raises(ValidationFailed):
        services.groups.link(am, top, bottom)  # bottom already has a parent
    parent, children = services.groups.related(am, middle)
    assert parent is not None and parent.customer_id == top
    assert [c.customer_id for c in children] == [bottom]
    services.groups.unlink(am, bottom)
    with pytest.raises(Conflict):
        services.groups.unlink(am, bottom)
    with services.database.session() as session:
        assert session.get(Customer, bottom).parent_customer_id is None
        links = session.exec(
            select(AuditLog.action, AuditLog.entity_id).where(AuditLog.entity == "customer")
        ).all()
    assert links == [("link", str(middle)), ("link", str(bottom)), ("unlink", str(bottom))]


def test_source_and_list_corrected_and_audited(services):
    clerk = make_user(services, "ctr", "counter")
    customer = make_customer(services, "王五")
    assert services.sources.get(clerk, customer).source == "core"
    info = services.sources.correct(
        clerk, customer, "yellow_pages", list_name="2026 黄页", list_date=date(2026, 3, 1)
    )
    assert (info.source, info.list_name, info.list_date) == (
        "yellow_pages",
        "2026 黄页",
        date(2026, 3, 1),
    )
    other = make_customer(services, "王六")
    services.sources.correct(
        clerk, other, "yellow_pages", list_name="2026 黄页", list_date=date(2026, 3, 1)
    )
    with pytest.raises(ValidationFailed) as refused:  # that list is of another source
        services.sources.correct(
            clerk, other, "dealer", list_name="2026 黄页", list_date=date(2026, 3, 1)
        )
    assert refused.value.field == "list"
    info = services.sources.correct(clerk, customer, "walk_in", list_name="")
    assert (info.source, info.list_name) == ("walk_in", None)
    with pytest.raises(Conflict):
        services.sources.correct(clerk, customer, "walk_in")
    with services.database.session() as session:
        assert len(session.exec(select(SourceList)).all()) == 1
        assert session.get(CustomerSourceList, customer) is None
        audits = session.exec(select(AuditLog).where(AuditLog.action == "source")).all()
    assert [json.loads(a.after)["source"] for a in audits] == [
        "yellow_pages",
        "yellow_pages",
        "walk_in",
    ]
    assert json.loads(audits[0].after)["list_date"] == "2026-03-01"


def test_bad_sources_refused(services):
    clerk = make_user(services, "ctr", "counter")
    customer = make_customer(services, "王五")
    with pytest.raises(ValidationFailed) as refused:
        services.sources.correct(clerk, customer, "rumour")
    assert refused.value.field == "source"
    with pytest.raises(ValidationFailed):
        services.sources.correct(clerk, customer, "dealer", list_name="车" * 101)
    with pytest.raises(ValidationFailed):
        services.sources.correct(
            clerk, customer, "dealer", list_name="x", list_date=date(2027, 1, 1)
        )
    with pytest.raises(Forbidden):
        services.sources.correct(make_user(services, "uw", "underwriter"), customer, "dealer")
    with pytest.raises(Forbidden):
        services.sources.correct(make_user(services, "xz", "counter", "330411"), customer, "dealer")
