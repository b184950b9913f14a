"""The roster of adjusters on duty: add, edit, remove, who is on duty, the checks next to
each field (phone, end after start, no overlap for one person), scope and permission."""

from datetime import date

import pytest
from sqlmodel import select

from tests.adjusters.book import at, shift
from tests.factories import make_claim, make_customer, make_policy, make_user
from tui_crm.services.core.errors import Forbidden, NotFound, ValidationFailed
from tui_crm.storage.models import AdjusterShift, AuditLog, Claim, StaffUser


def _staff_phone(services, username: str, phone: str) -> None:
    with services.database.session() as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == username)).one()
        user.phone = phone
        session.commit()


def test_add_edit_remove_and_who_is_on_duty(services) -> None:
    boss = make_user(services, "boss", "supervisor")
    make_user(services, "wang", "claims")
    _staff_phone(services, "wang", "13800001111")
    day = services.adjusters.save(boss, shift("2026-11-25 08:00", "2026-11-25 20:00",
                                              staff_username="wang"))  # fmt: skip
    night = services.adjusters.save(
        boss, shift("2026-11-25 20:00", "2026-11-26 08:00", name="李查勘", phone="13900002222")
    )
    assert (day.name, day.phone, day.staff_username) == ("wang", "13800001111", "wang")
    on = services.adjusters.on_duty(boss, at=at("2026-11-25 19:59"), unit_code="330402-01")
    assert [s.name for s in on] == ["wang"]  # the county's roster covers its departments
    assert [s.name for s in services.adjusters.on_duty(boss, at=at("2026-11-25 20:00"))] == [
        "李查勘"
    ]
    moved = services.adjusters.save(
        boss,
        shift("2026-11-25 08:00", "2026-11-25 12:00", staff_username="wang", phone="13800003333"),
        shift_id=day.id,
    )
    assert (moved.id, moved.phone, moved.ends_at) == (day.id, "13800003333", at("2026-11-25 12:00"))
    services.adjusters.remove(boss, night.id)
    listed = services.adjusters.shifts(boss, since=at("2026-11-25 00:00"))
    assert [(s.id, s.name) for s in listed] == [(day.id, "wang")]
    with services.database.session() as session:
        rows = session.exec(select(AdjusterShift)).all()
        actions = session.exec(
            select(AuditLog.action).where(AuditLog.entity == "adjuster_shift")
        ).all()
    assert [(r.staff_id is not None, r.phone) for r in rows] == [(True, "13800003333")]
    assert sorted(actions) == ["create", "create", "delete", "update"]


@pytest.mark.parametrize(
    ("start", "end", "who", "field"),
    [
        ("2026-11-25 08:00", "2026-11-25 08:00", {"name": "李", "phone": "13900002222"}, "ends_at"),
        ("2026-11-25 09:00", "2026-11-25 08:00", {"name": "李", "phone": "13900002222"}, "ends_at"),
        ("2026-11-25 08:00", "2026-11-25 20:00", {"name": "李", "phone": "12345"}, "phone"),
        ("2026-11-25 08:00", "2026-11-25 20:00", {"name": "李"}, "phone"),
        ("2026-11-25 08:00", "2026-11-25 20:00", {"phone": "13900002222"}, "name"),
        ("2026-11-25 19:00", "2026-11-26 01:00", {"name": "赵", "phone": "13900002222"},
         "starts_at"),
    ],
)  # fmt: skip
def test_bad_shifts_are_refused_next_to_the_field(services, start, end, who, field) -> None:
    boss = make_user(services, "boss", "supervisor")
    services.adjusters.save(boss, shift("2026-11-25 08:00", "2026-11-25 20:00", name="赵",
                                        phone="13900009999"))  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        services.adjusters.save(boss, shift(start, end, **who))
    assert refused.value.field == field
    with services.database.session() as session:
        assert len(session.exec(select(AdjusterShift)).all()) == 1


def test_back_to_back_and_other_people_do_not_overlap(services) -> None:
    boss = make_user(services, "boss", "supervisor")
    services.adjusters.save(boss, shift("2026-11-25 08:00", "2026-11-25 20:00", name="赵",
                                        phone="13900009999"))  # fmt: skip
    services.adjusters.save(boss, shift("2026-11-25 20:00", "2026-11-26 08:00", name="赵",
                                        phone="13900009999"))  # fmt: skip
    services.adjusters.save(boss, shift("2026-11-25 10:00", "2026-11-25 14:00", name="钱",
                                        phone="13900008888"))  # fmt: skip
    assert len(services.adjusters.shifts(boss, since=at("2026-11-25 00:00"))) == 3


def test_scope_and_permission(services) -> None:
    boss = make_user(services, "boss", "supervisor")
    counter = make_user(services, "clerk", "counter")
    xiuzhou = make_user(services, "sup_xz", "supervisor", "330411")
    made = services.adjusters.save(boss, shift("2026-11-25 08:00", "2026-11-25 20:00",
                                               name="赵", phone="13900009999"))  # fmt: skip
    with pytest.raises(Forbidden):
        services.adjusters.save(counter, shift("2026-11-26 08:00", "2026-11-26 20:00",
                                               name="孙", phone="13900007777"))  # fmt: skip
    with pytest.raises(Forbidden):
        services.adjusters.save(xiuzhou, shift("2026-11-26 08:00", "2026-11-26 20:00",
                                               name="孙", phone="13900007777"))  # fmt: skip
    with pytest.raises(NotFound):
        services.adjusters.remove(xiuzhou, made.id)
    assert services.adjusters.shifts(xiuzhou, since=at("2026-11-25 00:00")) == []
    assert [s.id for s in services.adjusters.shifts(counter, since=at("2026-11-25 00:00"))] == [
        made.id
    ]


def test_the_care_task_and_sms_name_the_adjuster_on_duty(services) -> None:
    boss = make_user(services, "boss", "supervisor")
    am = make_user(services, "am", "account_manager")
    handler = make_user(services, "handler", "claims")
    _staff_phone(services, "handler", "0573-82001234")
    services.adjusters.save(boss, shift("2026-11-20 08:00", "2026-11-20 20:00", name="值班周",
                                        phone="13700001234"))  # fmt: skip
    customer = make_customer(services, "出险客户", phone="13900005555")
    policy = make_policy(services, customer, date(2026, 1, 1), unit_code="330402-01")
    on_duty = make_claim(services, policy, date(2026, 11, 20), handler_id=handler.id,
                         created_at=at("2026-11-20 10:30"))  # fmt: skip
    sms = services.sms.preview(am, customer, "claim_care")
    assert "值班周" in sms.body and "13700001234" in sms.body
    off_duty = make_claim(services, policy, date(2026, 11, 21), handler_id=handler.id,
                          created_at=at("2026-11-21 10:30"))  # fmt: skip
    sms = services.sms.preview(am, customer, "claim_care")
    assert "handler" in sms.body and "0573-82001234" in sms.body  # nobody on duty then
    services.adjusters.set_service_phone(boss, "330402", "0573-82009999")
    with services.database.session() as session:
        claim = session.get(Claim, off_duty)
        assert claim is not None
        claim.handler_id = None
        session.commit()
    assert "057382009999" in services.sms.preview(am, customer, "claim_care").body
    services.tasks.generate(am)
    subjects = {t.claim_id: t.subject for t in services.tasks.tasks(am)}
    assert "值班周 13700001234" in subjects[on_duty]
    assert "057382009999" in subjects[off_duty]
