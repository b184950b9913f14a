"""Migration 0003 moves the disaster warnings of a book at 0002 into the branch's disaster
events (name, kind, dates, the counties of their units, the warning date of a warned one,
the campaign's source) and drops their table — on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

from sqlalchemy import inspect, text

from tests.storage.book_rows import load_baseline_book
from tui_crm.services.container import make_services
from tui_crm.services.setup import ensure_ready
from tui_crm.storage.migrate import BASELINE

NOW = datetime(2026, 9, 12, 2, 0, tzinfo=UTC)


def _warning(connection, name: str, districts: str, campaign_id: int | None) -> int:
    values = {"name": name, "districts": districts, "campaign": campaign_id, "at": NOW}
    return int(
        connection.execute(
            text(
                "INSERT INTO disaster_warning (name, kind, districts, start_date, end_date,"
                " unit_id, created_by_id, created_at, campaign_id)"
                " SELECT :name, 'typhoon', :districts, '2026-09-13', '2026-09-15', s.unit_id,"
                " s.id, :at, :campaign FROM staff_user s WHERE s.username = 'manager'"
                " RETURNING id"
            ),
            values,
        ).scalar_one()
    )


def _campaign(connection) -> int:
    return int(
        connection.execute(
            text(
                "INSERT INTO sms_campaign (name, template_code, marketing, source, values_json,"
                " status, unit_id, created_by_id, created_at, total, skipped)"
                " SELECT '预警', t.code, false, 'pending', '{}', 'draft', s.unit_id, s.id, :at,"
                " 0, 0 FROM staff_user s, sms_template t WHERE s.username = 'manager'"
                " ORDER BY t.code LIMIT 1 RETURNING id"
            ),
            {"at": NOW},
        ).scalar_one()
    )


def test_warnings_become_disaster_events(empty_book) -> None:
    database = empty_book.database
    database.upgrade_schema(BASELINE)
    with database.connect() as connection:
        load_baseline_book(connection)
    database.upgrade_schema("0002")
    with database.connect() as connection:
        campaign = _campaign(connection)
        warned = _warning(connection, "台风“梅花”", "330402,330411", campaign)
        connection.execute(
            text("UPDATE sms_campaign SET source = :s WHERE id = :i"),
            {"s": f"disaster_warning:{warned}", "i": campaign},
        )
        _warning(connection, "全市暴雨", "3304", None)
    assert database.upgrade_schema().kind == "current"

    with database.connect() as connection:
        assert "disaster_warning" not in inspect(connection).get_table_names()
        events = connection.execute(
            text("SELECT id, name, kind, start_date, end_date, warned_on FROM catastrophe_event")
        ).all()
        districts = connection.execute(
            text("SELECT event_id, district_code FROM catastrophe_district")
        ).all()
        source = connection.execute(
            text("SELECT source FROM sms_campaign WHERE id = :i"), {"i": campaign}
        ).scalar_one()
    by_name = {e.name: e for e in events}
    typhoon, rain = by_name["台风“梅花”"], by_name["全市暴雨"]
    assert (typhoon.kind, str(typhoon.start_date), str(typhoon.end_date)) == (
        "typhoon",
        "2026-09-13",
        "2026-09-15",
    )
    assert str(typhoon.warned_on) == "2026-09-12" and rain.warned_on is None
    codes: dict[int, list[str]] = {}
    for event_id, code in sorted(districts):
        codes.setdefault(event_id, []).append(code)
    assert codes[typhoon.id] == ["330402", "330411"]
    assert codes[rain.id] == sorted(
        {"330402", "330411", "330421", "330424", "330481", "330482", "330483"}
    )
    assert source == f"catastrophe_event:{typhoon.id}"

    # The moved events are the branch's disaster events, as the services list them.
    ensure_ready(database)
    services = make_services(database, fast_hash=True)
    reader = services.auth.sign_in("supervisor", "demo-pass")
    listed = {e.name: e for e in services.disasters.events(reader)}
    assert listed["台风“梅花”"].warned_on == date(2026, 9, 12)
    assert listed["台风“梅花”"].districts == ["330402", "330411"]
