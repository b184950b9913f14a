"""Esc while a report waits for its data to be brought up to date stops the refresh too,
and leaves the report data as it was (the next report refreshes it again)."""

import pytest

from tests.reports.test_reports_book import PERIOD, build_book, reports
from tui_crm.services.reports import CancelToken, ReportCancelled
from tui_crm.services.reports.cube import store as cube
from tui_crm.services.reports.customer_facts import store as customer_facts
from tui_crm.services.reports.facts import Progress


def _escape_at(call: int) -> tuple[CancelToken, list[str], Progress]:
    """A token, the progress labels seen, and a progress callback that cancels (Esc) at
    its `call`-th call."""
    token = CancelToken()
    labels: list[str] = []

    def progress(done: int, total: int, label: str) -> None:
        labels.append(label)
        if len(labels) == call:
            token.cancel()

    return token, labels, progress


def test_cancel_while_the_report_data_is_refreshed(services) -> None:  # type: ignore[no-untyped-def]
    build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    token, labels, progress = _escape_at(1)  # the refresh has announced itself
    with pytest.raises(ReportCancelled):
        service.run(mgr, "customer_value", PERIOD, progress=progress, token=token)
    assert len(labels) == 1 and "更新报表数据" in labels[0]  # no report step ran
    with services.database.connect() as connection:
        assert not cube.is_fresh(connection)
        assert not customer_facts.is_fresh(connection)

    result = service.run(mgr, "customer_value", PERIOD)  # refreshes, then answers
    assert len(result.frame) > 0
    with services.database.connect() as connection:
        assert cube.is_fresh(connection) and customer_facts.is_fresh(connection)


def test_cancel_stops_a_refresh_between_its_parts(services) -> None:  # type: ignore[no-untyped-def]
    build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    token, labels, progress = _escape_at(2)  # the customer facts are being prepared
    with pytest.raises(ReportCancelled):
        service.refresh_cube(mgr, progress=progress, token=token)
    assert len(labels) == 2
    with services.database.connect() as connection:
        assert not customer_facts.is_fresh(connection)


def test_the_cube_load_stops_between_its_steps(services) -> None:  # type: ignore[no-untyped-def]
    build_book(services)
    calls: list[int] = []

    def check() -> None:
        calls.append(1)
        if len(calls) == 2:  # after the first chunk of policies
            raise ReportCancelled("stop")

    with pytest.raises(ReportCancelled), services.database.connect() as connection:
        cube.refresh(connection, check=check)
    assert len(calls) == 2
    with services.database.connect() as connection:
        assert not cube.is_fresh(connection)
        assert cube.refresh(connection, check=check) == "rebuilt"  # calls go on: 3, 4, ...
        assert cube.is_fresh(connection)
