"""Esc while a report waits for its data to be brought up to date stops the refresh too,
and keeps the report data exactly as it was — the cube and customer-facts tables and the
watermarks they were built from; the next report refreshes them and gives the right
figures."""

from decimal import Decimal

import pytest
from sqlalchemy import Connection, select

from tests.reports.book import EARNED, PERIOD, build_book, reports
from tui_crm.services.reports import CancelToken, ReportCancelled
from tui_crm.services.reports.cube import store as cube
from tui_crm.services.reports.customer_facts import store as customer_facts
from tui_crm.services.reports.engine.context import Progress
from tui_crm.storage.models import Policy

WRITTEN = Decimal("49500.00")  # the book's written premium over PERIOD
RAISE = Decimal("1000.00")  # what `_raise_a_premium` adds to it


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


def _rows(connection: Connection, metadata) -> dict[str, list[tuple]]:
    """Every row of the tables of `metadata`, in a fixed order."""
    return {
        table.name: [
            tuple(row) for row in connection.execute(select(table).order_by(*table.columns))
        ]
        for table in metadata.sorted_tables
    }


def _kept(services) -> dict[str, object]:
    """What a cancelled refresh must leave alone: the cube and facts tables (their state
    rows are the watermarks) and the signatures they were built from."""
    with services.database.connect() as connection:
        return {
            "cube": _rows(connection, cube.METADATA),
            "cube_built": cube.built(connection),
            "facts": _rows(connection, customer_facts.METADATA),
            "facts_built": customer_facts.built(connection),
        }


def _stale_book(services):
    """The book with its report data built, then a premium raised so it is out of date."""
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    written = _written(services, mgr)  # builds the cube and the facts
    _raise_a_premium(services, book)
    with services.database.connect() as connection:
        assert not cube.is_fresh(connection) and not customer_facts.is_fresh(connection)
    return book, mgr, written


def _written(services, mgr) -> dict[int, Decimal]:
    """Each customer's written premium over PERIOD (customer value report)."""
    frame = reports(services).run(mgr, "customer_value", PERIOD).frame
    return dict(zip(frame["customer_id"], frame["written"], strict=True))


def _raise_a_premium(services, book) -> None:
    with services.database.session() as session:
        policy = session.get(Policy, book.policies["p5"])  # 企业财产险, starts in PERIOD
        assert policy is not None
        policy.premium += RAISE
        session.commit()


def _right_figures(services, mgr, book, written: dict[int, Decimal]) -> None:
    """The next reports refresh the data and show the raised premium."""
    product = reports(services).run(mgr, "product", PERIOD)
    assert product.totals is not None and product.totals["written"] == WRITTEN + RAISE
    assert product.totals["earned"] > sum(EARNED.values())  # p5 earns on the raise too
    now = _written(services, mgr)
    assert now[book.c] == written[book.c] + RAISE  # p5 is C's
    assert {k: v for k, v in now.items() if k != book.c} == {
        k: v for k, v in written.items() if k != book.c
    }
    with services.database.connect() as connection:
        assert cube.is_fresh(connection) and customer_facts.is_fresh(connection)


def test_cancel_while_the_report_data_is_refreshed(services) -> None:
    book, mgr, written = _stale_book(services)
    before = _kept(services)
    token, labels, progress = _escape_at(1)  # the refresh has announced itself
    with pytest.raises(ReportCancelled):
        reports(services).run(mgr, "customer_value", PERIOD, progress=progress, token=token)
    assert len(labels) == 1 and "更新报表数据" in labels[0]  # no report step ran
    assert _kept(services) == before
    _right_figures(services, mgr, book, written)


def test_cancel_stops_a_refresh_between_its_parts(services) -> None:
    book, mgr, written = _stale_book(services)
    before = _kept(services)
    token, labels, progress = _escape_at(2)  # the customer facts are being prepared
    with pytest.raises(ReportCancelled):
        reports(services).refresh_cube(mgr, progress=progress, token=token)
    assert len(labels) == 2
    assert _kept(services) == before
    _right_figures(services, mgr, book, written)


def test_the_cube_load_stops_between_its_steps(services) -> None:
    book, mgr, written = _stale_book(services)  # a changed premium
    before = _kept(services)
    calls: list[int] = []

    def check() -> None:
        calls.append(1)
        if len(calls) == 2:  # after the first chunk of policies
            raise ReportCancelled("stop")

    with pytest.raises(ReportCancelled), services.database.connect() as connection:
        cube.refresh(connection, check=check)
    assert len(calls) == 2
    assert _kept(services) == before
    with services.database.connect() as connection:
        # Alone (no changes handed over from the log) the cube is rebuilt; the log stays
        # for the customer facts until both are refreshed together.
        assert cube.refresh(connection, check=check) == "rebuilt"  # calls go on: 3, 4, ...
        assert cube.built(connection) == cube.current(connection)
    _right_figures(services, mgr, book, written)
