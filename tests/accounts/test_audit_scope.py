"""The audit log is read within the reader's units: a 秀洲 supervisor does not see what
happened to 南湖 customers or staff; administrators see every row."""

from tests.factories import make_customer, make_user
from tui_crm.services.core import audit


def _log(services, actor, action: str, entity: str, entity_id: object, **extra) -> None:
    with services.database.session() as session:
        audit.record(session, actor, action, entity=entity, entity_id=entity_id, **extra)
        session.commit()


def test_audit_is_scoped_by_the_readers_units(services) -> None:
    nanhu = make_user(services, "supervisor", "supervisor", "330402")
    xiuzhou = make_user(services, "supervisor_xz_1", "supervisor", "330411")
    gateway = make_user(services, "sms_gateway", "gateway", "3304")
    admin = make_user(services, "admin", "admin", "3304")
    nanhu_customer = make_customer(services, "南湖客户", unit_code="330402")
    xz_customer = make_customer(services, "秀洲客户", unit_code="330411")
    _log(services, nanhu, "blacklist_nominate", "customer", nanhu_customer, detail="证据：骗保")
    _log(services, gateway, "sms_opt_out", "customer", nanhu_customer)
    _log(services, None, "login_failed", "staff_user", nanhu.id, username="supervisor")
    _log(services, None, "login_failed", "staff_user", None, username="ghost")
    _log(services, xiuzhou, "reveal", "customer", xz_customer)
    _log(services, xiuzhou, "update", "threshold", "auth.max_failures")

    def seen(actor) -> list[tuple[str, str | None]]:
        return [(r.action, r.entity_id) for r in services.audit.recent(actor, limit=50)]

    xz_rows = seen(xiuzhou)
    assert str(nanhu_customer) not in {entity_id for _, entity_id in xz_rows}
    assert ("reveal", str(xz_customer)) in xz_rows
    assert ("update", "auth.max_failures") in xz_rows
    assert not any("骗保" in (r.detail or "") for r in services.audit.recent(xiuzhou))
    nanhu_rows = seen(nanhu)
    assert ("blacklist_nominate", str(nanhu_customer)) in nanhu_rows
    assert ("sms_opt_out", str(nanhu_customer)) in nanhu_rows
    assert ("login_failed", str(nanhu.id)) in nanhu_rows
    assert ("reveal", str(xz_customer)) not in nanhu_rows
    assert ("login_failed", None) not in nanhu_rows  # an unknown name belongs to no unit
    assert len(seen(admin)) == 6  # administrators read every row
