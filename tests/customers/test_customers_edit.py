"""Creating and editing customers: validation, duplicate check, optimistic lock, audit."""

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import select

from tests.factories import make_customer, make_user
from tui_crm.services.core.errors import Conflict, Forbidden, ValidationFailed
from tui_crm.services.customers.duplicates import DuplicateFound
from tui_crm.services.customers.input import CustomerInput, check_field
from tui_crm.storage.models import AuditLog, Contact, Customer

ID = "330402199001011230"


@pytest.fixture
def counter(services):
    return make_user(services, "counter", "counter")


def _customer(services, customer_id):
    with services.database.session() as session:
        return session.get(Customer, customer_id)


def test_create_individual_derives_birth_gender_and_search_fields(services, counter) -> None:
    data = CustomerInput(
        kind="individual", name=" 张三 ", id_number="330402 1990 0101 1230", mobile="138-1234-5678"
    )
    cid = services.customers.create(counter, data)
    c = _customer(services, cid)
    assert (c.name, c.id_number, c.id_type) == ("张三", ID, "resident_id")
    assert (c.birth_date, c.gender) == (date(1990, 1, 1), "M")
    assert (c.name_pinyin, c.name_initials, c.id_number_rev) == ("zhangsan", "zs", ID[::-1])
    assert c.unit_id == counter.unit_id and c.version == 1
    assert services.search.search(counter, "5678").hits[0].id == cid
    with services.database.session() as session:
        row = session.exec(select(AuditLog).where(AuditLog.action == "create")).one()
        after = json.loads(row.after or "{}")
        assert after["id_number"] == "330402********1230"  # audit keeps PII masked
        assert after["mobile"] == "138****5678"


def test_create_company_with_credit_code(services, counter) -> None:
    cid = services.customers.create(
        counter,
        CustomerInput(kind="corporate", name="嘉兴机械厂", id_number="91330402MA2B3C4D53"),
    )
    assert _customer(services, cid).id_type == "credit_code"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (CustomerInput(kind="individual", name=""), "name"),
        (
            CustomerInput(kind="individual", name="张三", id_number="330402199001011235"),
            "id_number",
        ),
        (CustomerInput(kind="corporate", name="某公司", id_number=ID), "id_number"),
        (CustomerInput(kind="individual", name="张三", mobile="1381234"), "mobile"),
        (CustomerInput(kind="individual", name="张三", mobile="057382345678"), "mobile"),
        (
            CustomerInput(kind="individual", name="张三", id_number=ID, birth_date="1991-01-01"),
            "birth_date",
        ),
        (CustomerInput(kind="individual", name="张三", email="not-an-address"), "email"),
        (CustomerInput(kind="robot", name="X"), "kind"),
    ],
)
def test_invalid_input_names_the_field(services, counter, data, field) -> None:
    with pytest.raises(ValidationFailed) as refusal:
        services.customers.create(counter, data)
    assert refusal.value.field == field
    assert refusal.value.message


def test_field_check_for_the_form(services) -> None:
    assert (
        "校验" in check_field("individual", "id_number", "330402199001011235").errors["id_number"]
    )
    assert check_field("individual", "mobile", "13812345678").ok
    assert (
        "统一社会信用代码"
        in check_field("individual", "id_number", "91330402MA2B3C4D53").errors["id_number"]
    )


def test_create_outside_scope_is_refused(services, counter) -> None:
    with pytest.raises(Forbidden):
        services.customers.create(
            counter, CustomerInput(kind="individual", name="李四", unit_code="330411")
        )


def test_same_id_number_is_never_saved_twice(services, counter) -> None:
    existing = make_customer(services, "张三", id_number=ID)
    data = CustomerInput(kind="individual", name="张三", id_number=ID)
    with pytest.raises(DuplicateFound) as refusal:
        services.customers.create(counter, data, allow_duplicates=True)
    assert refusal.value.hard and refusal.value.field == "id_number"
    assert refusal.value.duplicates[0].customer_id == existing
    assert "张三" in refusal.value.message


def test_same_phone_warns_and_may_be_accepted(services, counter) -> None:
    make_customer(services, "张三", phone="13812345678")
    data = CustomerInput(kind="individual", name="李梅", mobile="13812345678")
    found = services.customers.duplicates(counter, data)
    assert [(d.reason, d.name) for d in found] == [("phone", "张三")]
    with pytest.raises(DuplicateFound):
        services.customers.create(counter, data)
    assert services.customers.create(counter, data, allow_duplicates=True)


def test_same_name_and_birth_date_warns(services, counter) -> None:
    make_customer(services, "王芳", birth_date=date(1985, 5, 5))
    data = CustomerInput(kind="individual", name="王芳", birth_date="1985-05-05")
    assert [d.reason for d in services.customers.duplicates(counter, data)] == ["name_birth"]


def test_duplicate_outside_scope_shows_only_the_unit(services, counter) -> None:
    make_customer(services, "赵六", unit_code="330411", id_number=ID)
    with pytest.raises(DuplicateFound) as refusal:
        services.customers.create(counter, CustomerInput("individual", "某人", id_number=ID))
    assert "秀洲" in refusal.value.message and "赵六" not in refusal.value.message
    assert refusal.value.duplicates[0].customer_id is None


def test_edit_saves_changes_with_audit_and_version(services, counter) -> None:
    cid = make_customer(services, "张三", id_number=ID, phone="13812345678")
    form = services.customers.edit_form(counter, cid)
    assert form.values.id_number == "330402********1230" and form.version == 1
    data = replace(form.values, id_number=None, mobile=None, name="张三丰", address="南湖路1号")
    assert services.customers.update(counter, cid, data, version=form.version) == 2
    c = _customer(services, cid)
    assert (c.name, c.name_initials, c.id_number, c.version) == ("张三丰", "zsf", ID, 2)
    with services.database.session() as session:
        kinds = {x.kind: x.value for x in session.exec(select(Contact)).all()}
        assert kinds == {"mobile": "13812345678", "address": "南湖路1号"}
        row = session.exec(select(AuditLog).where(AuditLog.action == "update")).one()
        assert json.loads(row.before or "{}") == {"name": "张三", "address": None}
        assert json.loads(row.after or "{}") == {"name": "张三丰", "address": "南湖路1号"}


def test_second_clerk_saving_a_stale_version_is_refused(services, counter) -> None:
    cid = make_customer(services, "张三", id_number=ID)
    other = make_user(services, "counter2", "counter")
    first = services.customers.edit_form(counter, cid)
    second = services.customers.edit_form(other, cid)
    services.customers.update(
        counter, cid, replace(first.values, id_number=None, note="first"), version=first.version
    )
    with pytest.raises(Conflict) as refusal:
        services.customers.update(
            other,
            cid,
            replace(second.values, id_number=None, note="second", name="李四"),
            version=second.version,
        )
    assert refusal.value.code == "stale_version"
    assert "counter" in refusal.value.message
    c = _customer(services, cid)
    assert (c.note, c.name, c.version) == ("first", "张三", 2)
    with services.database.session() as session:
        assert len(session.exec(select(AuditLog).where(AuditLog.action == "update")).all()) == 1


def test_kind_cannot_change_on_edit(services, counter) -> None:
    cid = make_customer(services, "张三")
    form = services.customers.edit_form(counter, cid)
    with pytest.raises(ValidationFailed) as refusal:
        services.customers.update(
            counter, cid, replace(form.values, kind="corporate", id_number=None), version=1
        )
    assert refusal.value.field == "kind"


def test_underwriter_may_not_edit(services) -> None:
    cid = make_customer(services, "张三")
    underwriter = make_user(services, "uw", "underwriter")
    with pytest.raises(Forbidden):
        services.customers.edit_form(underwriter, cid)
