"""Disaster warnings on the branch's disaster events: the event's affected customers (a
policy in force when it begins, in its districts) warned as one service campaign (no
marketing consent needed), audited; `warning declare` records a disaster event."""

from datetime import date

import pytest
from sqlmodel import select

from tests.cli.runner import run_cli
from tests.factories import make_customer, make_policy, make_user, make_vehicle
from tui_crm.services.core.errors import NotFound
from tui_crm.services.disasters import DisasterInput
from tui_crm.storage.models import AuditLog, CatastropheDistrict, CatastropheEvent


def _insured(services, name: str, plate: str, unit: str = "330402", **contact) -> int:
    customer = make_customer(services, name, unit_code=unit, **contact)
    make_vehicle(services, customer, plate)
    make_policy(services, customer, date(2026, 3, 1), unit_code=unit)
    return customer


def _book(services):
    manager = make_user(services, "sup", "supervisor", "330402")
    centre = make_user(services, "centre_sup", "supervisor", "3304")
    nanhu = _insured(services, "南湖车主", "浙F70001", phone="13900007001")
    make_customer(services, "南湖无保单", phone="13900007002")
    nophone = _insured(services, "南湖无手机", "浙F70003")
    lapsed = make_customer(services, "南湖已脱保", phone="13900007006")
    make_policy(services, lapsed, date(2025, 3, 1))  # ended before the event
    xiuzhou = _insured(services, "秀洲车主", "浙F70004", "330411", phone="13900007004")
    _insured(services, "嘉善车主", "浙F70005", "330421", phone="13900007005")
    return manager, centre, nanhu, nophone, xiuzhou


def test_warn_the_customers_of_the_districts(services) -> None:
    manager, centre, nanhu, nophone, xiuzhou = _book(services)
    event = services.disaster_warnings.declare(
        centre,
        name="台风“梅花”",
        kind="typhoon",
        districts=["330402", "330411"],
        start=date(2026, 11, 28),
        end=date(2026, 11, 30),
    )
    assert event.customers == 3  # insured when it begins, in 南湖 and 秀洲
    assert services.disaster_warnings.customers(centre, event.id) == [nanhu, nophone, xiuzhou]
    assert [e.id for e in services.disasters.events(centre)] == [event.id]  # one record
    preview = services.disaster_warnings.warn(centre, event.id)
    assert (preview.to_send, preview.skipped, preview.marketing) == (2, {"no_mobile": 1}, False)
    assert "台风“梅花”" in preview.samples[0]
    progress = services.campaigns.queue(centre, preview.id)
    assert progress.by_status == {"queued": 2}
    with services.database.session() as session:
        row = session.get(CatastropheEvent, event.id)
        declared = session.exec(select(AuditLog).where(AuditLog.action == "disaster_declare")).one()
    assert row is not None and row.warned_on == date(2026, 11, 25)  # the day it went out
    assert declared.actor_id == centre.id and declared.entity == "catastrophe_event"
    (listed,) = services.disaster_warnings.events(centre)
    assert (listed.campaign_id, listed.warned_on) == (preview.id, date(2026, 11, 25))
    # a 南湖 supervisor sees the branch's event, and only 南湖's customers of it
    assert services.disaster_warnings.customers(manager, event.id) == [nanhu, nophone]


def test_warn_an_event_recorded_with_disaster_add(services) -> None:
    _manager, centre, _nanhu, _nophone, xiuzhou = _book(services)
    branch = make_user(services, "branch_mgr", "manager", "3304")
    data = DisasterInput("冰雹", "hail", date(2026, 6, 1), date(2026, 6, 2), ["330411"])
    event = services.disasters.save(branch, data)
    assert services.disaster_warnings.customers(centre, event.id) == [xiuzhou]
    preview = services.disaster_warnings.warn(centre, event.id)
    assert preview.to_send == 1 and "冰雹" in preview.samples[0]
    # the event ended before today: the campaign is sent, the warning date stays empty
    assert services.disasters.event(centre, event.id).warned_on is None
    with pytest.raises(NotFound):
        services.disaster_warnings.warn(centre, 999_999)


def test_declare_takes_unit_codes_as_the_counties_under_them(services) -> None:
    _manager, centre, *_ = _book(services)
    event = services.disaster_warnings.declare(
        centre,
        name="全市暴雨",
        kind="flood",
        districts=["3304", "330402-01"],
        start=date(2026, 7, 1),
        end=date(2026, 7, 3),
    )
    with services.database.session() as session:
        codes = session.exec(
            select(CatastropheDistrict.district_code).where(
                CatastropheDistrict.event_id == event.id
            )
        ).all()
    assert sorted(codes) == event.districts
    assert {"330402", "330411", "330421"} <= set(codes)
    assert all(len(c) == 6 for c in codes)


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
