"""Disaster warnings: the customers with vehicles in the districts, warned as one
service campaign (no marketing consent needed), audited."""

from datetime import date

import pytest
from sqlmodel import select

from tests.cli.runner import run_cli
from tests.factories import make_customer, make_user, make_vehicle
from tui_crm.services.core.errors import NotFound
from tui_crm.storage.models import AuditLog, DisasterWarning


def _book(services):
    manager = make_user(services, "sup", "supervisor", "330402")
    centre = make_user(services, "centre_sup", "supervisor", "3304")
    nanhu = make_customer(services, "南湖车主", phone="13900007001")
    make_vehicle(services, nanhu, "浙F70001")
    make_customer(services, "南湖无车", phone="13900007002")
    nophone = make_customer(services, "南湖无手机")
    make_vehicle(services, nophone, "浙F70003")
    xiuzhou = make_customer(services, "秀洲车主", unit_code="330411", phone="13900007004")
    make_vehicle(services, xiuzhou, "浙F70004")
    jiashan = make_customer(services, "嘉善车主", unit_code="330421", phone="13900007005")
    make_vehicle(services, jiashan, "浙F70005")
    return manager, centre, nanhu, nophone, xiuzhou


def test_warn_the_customers_of_the_districts(services) -> None:
    manager, centre, nanhu, nophone, xiuzhou = _book(services)
    event = services.disaster_warnings.declare(
        centre,
        name="台风“梅花”",
        kind="typhoon",
        districts=["330402", "330411"],
        start=date(2026, 9, 13),
        end=date(2026, 9, 15),
    )
    assert event.customers == 3  # with vehicles, in 南湖 and 秀洲
    assert services.disaster_warnings.customers(centre, event.id) == [nanhu, nophone, xiuzhou]
    preview = services.disaster_warnings.warn(centre, event.id)
    assert (preview.to_send, preview.skipped, preview.marketing) == (2, {"no_mobile": 1}, False)
    assert "台风“梅花”" in preview.samples[0]
    progress = services.campaigns.queue(centre, preview.id)
    assert progress.by_status == {"queued": 2}
    with services.database.session() as session:
        row = session.get(DisasterWarning, event.id)
        declared = session.exec(select(AuditLog).where(AuditLog.action == "disaster_declare")).one()
    assert row is not None and row.campaign_id == preview.id and declared.actor_id == centre.id
    # a 南湖 supervisor sees only 南湖's customers of the same event... and not the event
    with pytest.raises(NotFound):
        services.disaster_warnings.customers(manager, event.id)


def test_unknown_districts_are_refused(services) -> None:
    _manager, centre, *_ = _book(services)
    with pytest.raises(NotFound) as refusal:
        services.disaster_warnings.declare(
            centre,
            name="洪水",
            kind="flood",
            districts=["999999"],
            start=date(2026, 7, 1),
            end=date(2026, 7, 2),
        )
    assert refusal.value.field == "district"


def test_disaster_cli(cli_services, capsys) -> None:
    _book(cli_services)
    argv = ["warning", "declare", "--name", "暴雨", "--kind", "flood", "--district", "330421"]
    argv += ["--from", "2026-07-01", "--to", "2026-07-03", "--user", "centre_sup", "--json"]
    declared = run_cli(capsys, argv)
    assert declared.code == 0, declared.err
    assert declared.json["customers"] == 1
    warned = run_cli(
        capsys, ["warning", "warn", str(declared.json["id"]), "--user", "centre_sup", "--json"]
    )
    assert warned.json["to_send"] == 1 and "暴雨" in warned.json["samples"][0]
