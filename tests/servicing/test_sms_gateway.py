"""Inbound SMS is the gateway's act: only the gateway role records it, audited as its
account; a clerk is refused and learns no customer id."""

import json

import pytest
from sqlmodel import select

from tests.factories import PASSWORD, make_customer, make_user
from tui_crm.services.core.errors import Forbidden
from tui_crm.storage.models import AuditLog, Contact


def _consent(services) -> None:
    with services.database.session() as session:
        for contact in session.exec(select(Contact)).all():
            contact.consent_marketing_sms = True
        session.commit()


def _opted_out(services) -> bool:
    with services.database.session() as session:
        return not session.exec(select(Contact)).one().consent_marketing_sms


def test_a_clerk_cannot_record_an_inbound_opt_out(services) -> None:
    clerk = make_user(services, "counter_xz", "counter", "330411")
    make_customer(services, "南湖客户", unit_code="330402", phone="18055792252")
    _consent(services)
    with pytest.raises(Forbidden):
        services.sms.receive(clerk, "18055792252", "TD")
    assert not _opted_out(services)


def test_the_gateway_records_it_under_its_own_name(services) -> None:
    gateway = make_user(services, "sms_gateway", "gateway", "3304")
    customer = make_customer(services, "南湖客户", unit_code="330402", phone="18055792252")
    _consent(services)
    received = services.sms.receive(gateway, "18055792252", "TD")
    assert received.customer_id == customer and _opted_out(services)
    with services.database.session() as session:
        row = session.exec(select(AuditLog).where(AuditLog.action == "sms_opt_out")).one()
    assert (row.actor_id, row.actor_username) == (gateway.id, "sms_gateway")
    assert not gateway.can("customer.read") and not gateway.can("sms.send")


def test_cli_refuses_a_clerk_without_an_id(tmp_path, monkeypatch, capsys) -> None:
    from tui_crm.cli import main
    from tui_crm.services.container import make_services
    from tui_crm.services.setup import ensure_ready
    from tui_crm.storage.db import Database

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", PASSWORD)
    database = Database.from_url(url)
    ensure_ready(database)
    services = make_services(database, fast_hash=True)
    make_user(services, "counter_xz", "counter", "330411")
    customer = make_customer(services, "南湖客户", unit_code="330402", phone="18055792252")
    _consent(services)
    with pytest.raises(SystemExit) as done:
        main(["sms", "receive", "18055792252", "TD", "--user", "counter_xz", "--json"])
    out = capsys.readouterr()
    assert done.value.code == 1
    assert json.loads(out.out)["error"]["code"] == "wrong_role"
    assert str(customer) not in out.out + out.err.replace("sms.receive", "")
    assert not _opted_out(services)
    database.dispose()
