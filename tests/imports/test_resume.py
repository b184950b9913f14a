"""A run stopped between chunks keeps its committed chunks and says how far it got; the
next run of the same file resumes there, and the totals and the rejects file come out as
one uninterrupted run gives them."""

import csv

from sqlmodel import select

from tests.imports.night import WANG
from tui_crm.services.imports import runner
from tui_crm.storage.models import Customer, ImportBatch


def test_a_stopped_import_resumes_after_its_last_committed_chunk(
    services, admin, night, monkeypatch
):
    monkeypatch.setattr(runner, "CHUNK", 2)
    stopped = services.imports.run(
        admin, "customers", night / "customers.csv", cancelled=lambda: True
    )
    assert stopped.status == "cancelled"
    assert stopped.read == 2  # one chunk of two rows committed
    with services.database.session() as session:
        names = session.exec(select(Customer.id_number)).all()
        assert names and WANG in names
        batch = session.exec(select(ImportBatch)).one()
        assert (batch.status, batch.rows_done) == ("cancelled", 3)  # file rows 2 and 3

    resumed = services.imports.run(admin, "customers", night / "customers.csv")
    assert resumed.resumed and resumed.batch_id == stopped.batch_id
    assert (resumed.status, resumed.read, resumed.inserted, resumed.rejected) == (
        "done",
        7,
        4,
        3,
    )
    with open(resumed.rejects_file or "", encoding="utf-8-sig", newline="") as handle:
        rows = [(r["row"], r["column"]) for r in csv.DictReader(handle)]
    assert rows == [("6", "id_number"), ("7", "unit_code"), ("8", "customer_key")]
    with services.database.session() as session:
        assert len(session.exec(select(Customer)).all()) == 4
        assert session.exec(select(ImportBatch.status)).all() == ["done"]


def test_a_failure_rolls_back_the_uncommitted_chunks_and_their_counts(
    services, admin, night, monkeypatch
):
    from tui_crm.services.imports.customers import Customers

    monkeypatch.setattr(runner, "CHUNK", 1)
    monkeypatch.setattr(runner, "COMMIT_SECONDS", 3600.0)  # every chunk in one transaction
    write = Customers.write
    calls = []

    def failing(self, connection, rows, ctx):
        calls.append(len(rows))
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return write(self, connection, rows, ctx)

    monkeypatch.setattr(Customers, "write", failing)
    failed = services.imports.run(admin, "customers", night / "customers.csv")
    assert failed.status == "failed" and "disk full" in (failed.message or "")
    with services.database.session() as session:
        batch = session.exec(select(ImportBatch)).one()
        # The first two rows were written but not committed: nothing stays, counts included.
        assert (batch.status, batch.rows_done, batch.inserted) == ("failed", 0, 0)
        assert session.exec(select(Customer)).all() == []

    monkeypatch.setattr(Customers, "write", write)
    resumed = services.imports.run(admin, "customers", night / "customers.csv")
    assert resumed.resumed and (resumed.status, resumed.inserted, resumed.rejected) == (
        "done",
        4,
        3,
    )
    with services.database.session() as session:
        assert len(session.exec(select(Customer)).all()) == 4
