"""Reports keep to the user's org scope and role, validate parameters field by field, and
stop when cancelled (interrupting the query in flight)."""

import threading
from decimal import Decimal

import pytest
from sqlalchemy import text

from tests.factories import make_user
from tests.reports.book import EARNED, PERIOD, build_book, reports, rows_by
from tui_crm.services.core.errors import Forbidden, NotFound, ValidationFailed
from tui_crm.services.reports import CancelToken, ReportCancelled
from tui_crm.services.reports.facts import Context


def test_county_user_sees_only_their_county(services) -> None:
    book = build_book(services)
    am2 = services.auth.actor_for("am2")  # 秀洲 330411
    service = reports(services)
    result = service.run(am2, "product", PERIOD)
    assert result.params.unit == "330411"  # default: the user's own unit
    assert result.totals is not None
    assert result.totals["written"] == Decimal("1100.00")
    assert result.totals["earned"] == EARNED["p7"] + EARNED["p10"]
    values = service.run(am2, "customer_value", PERIOD)
    assert set(values.frame["customer_id"]) == {book.d, book.e}
    assert service.run(am2, "key_customers", PERIOD).row_count == 0  # C is in 南湖
    drill = service.drill(am2, result, 0)
    assert set(drill.frame["unit_code"]) <= {"330411", "330411-01", "330411-02"}
    with pytest.raises(Forbidden) as refused:
        service.run(am2, "product", {**PERIOD, "unit": "330402"})
    assert refused.value.field == "unit" and refused.value.code == "out_of_scope"
    with pytest.raises(Forbidden):
        service.run(am2, "product", {**PERIOD, "unit": "3304"})


def test_centre_manager_can_narrow_to_a_county(services) -> None:
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    result = reports(services).run(mgr, "customer_value", {**PERIOD, "unit": "330402"})
    assert set(result.frame["customer_id"]) == {book.a, book.b, book.c}
    lines = rows_by(reports(services).run(mgr, "product", {**PERIOD, "unit": "330411"}))
    assert set(lines) == {"ctpl", "liability"}


def test_roles_without_reports_are_refused(services) -> None:
    build_book(services)
    counter = make_user(services, "counter1", "counter")
    with pytest.raises(Forbidden):
        reports(services).run(counter, "product", PERIOD)
    with pytest.raises(Forbidden):
        reports(services).list_reports(counter)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"from": "2026-02-30"}, "from"),
        ({"from": "2026-07-01", "to": "2026-06-30"}, "from"),
        ({"from": "2010-01-01", "to": "2026-06-30"}, "to"),
        ({"line": "boats"}, "line"),
        ({"channel": "pigeon"}, "channel"),
        ({"view": "nothing"}, "view"),
        ({"top": "0"}, "top"),
        ({"top": "ten"}, "top"),
        ({"rank_by": "written"}, "rank_by"),  # not a parameter of this report
        ({"unit": "9999"}, "unit"),
    ],
)
def test_bad_parameters_name_their_field(services, raw, field) -> None:
    mgr = make_user(services, "mgr", "manager", "3304")
    with pytest.raises(ValidationFailed) as refused:
        reports(services).run(mgr, "product", raw)
    assert refused.value.field == field
    assert refused.value.message


def test_unknown_report(services) -> None:
    mgr = make_user(services, "mgr", "manager", "3304")
    with pytest.raises(NotFound):
        reports(services).run(mgr, "nonsense", {})


def test_cancel_between_queries(services) -> None:
    build_book(services)
    mgr = services.auth.actor_for("mgr")
    token = CancelToken()
    seen: list[int] = []

    def progress(done: int, total: int, label: str) -> None:
        seen.append(done)
        if done == 1:
            token.cancel()

    service = reports(services)
    service.refresh_cube(mgr)  # up to date beforehand: only the report's own steps report
    with pytest.raises(ReportCancelled):
        service.run(mgr, "product", PERIOD, progress=progress, token=token)
    assert seen == [0, 1]  # the second query never ran to completion


def test_cancel_interrupts_the_query_in_flight(services) -> None:
    mgr = make_user(services, "mgr", "manager", "3304")
    service = reports(services)
    params = service.validate(mgr, "product", PERIOD)
    token = CancelToken()
    endless = (
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
        if services.database.is_sqlite
        else "SELECT pg_sleep(60)"
    )
    timer = threading.Timer(0.5, token.cancel)
    with pytest.raises(ReportCancelled), service._connection(token) as connection:
        context = Context(connection, mgr, params, services.clock.today(), token)
        timer.start()
        context.rows(text(endless))
    timer.join()
    # The database is usable afterwards.
    assert reports(services).run(mgr, "product", PERIOD).row_count == 0
