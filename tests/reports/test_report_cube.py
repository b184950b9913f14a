"""The report cube: whole-month periods answered from it equal hand-worked figures, and it
stays fresh when policies and claims are added or changed."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from tests.factories import make_claim, make_customer, make_policy, make_user
from tui_crm.services.reports import ReportService
from tui_crm.services.reports.cube.store import CUBE
from tui_crm.storage.models import Claim, Customer

Q1 = {"from": "2026-01-01", "to": "2026-03-31", "view": "lines"}


def _book(services):
    make_user(services, "mgr", "manager", "3304")
    a = make_customer(services, "张三")
    b = make_customer(services, "李四")
    # 365-day policy started before the period: earned = to-date at 03-31 − to-date at 12-31
    p1 = make_policy(services, a, date(2025, 7, 1), premium="3650", line="accident")
    # written in the period, 50 days earned by 03-31
    make_policy(services, a, date(2026, 2, 10), premium="1000", line="accident")
    # written in January, cancelled on 04-10: covered up to 04-09
    make_policy(
        services,
        b,
        date(2026, 1, 15),
        premium="2000",
        line="accident",
        status="cancelled",
        cancelled_on=date(2026, 4, 10),
    )
    claim = make_claim(services, p1, date(2026, 2, 15), paid="500", outstanding="200")
    return a, p1, claim


def _accident(services, raw):
    service = ReportService(services.database, services.clock)
    result = service.run(services.auth.actor_for("mgr"), "product", raw)
    rows = {r["code"]: r for r in result.frame.to_dict("records")}
    return rows.get("accident"), service


def _cube_rows(services) -> int:
    with services.database.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(CUBE)).scalar_one())


def test_whole_months_from_the_cube_equal_the_worked_figures(services) -> None:
    _book(services)
    row, service = _accident(services, Q1)
    assert _cube_rows(services) > 0
    assert service.refresh_cube(services.auth.actor_for("mgr")).outcome == "fresh"
    # p1: 3650 × 274/365 − 3650 × 184/365 = 2740 − 1840; p2: 1000 × 50/365 = 136.99;
    # p3: 2000 × 76/365 = 416.44 (15 Jan … 31 Mar)
    assert row["earned"] == Decimal("900.00") + Decimal("136.99") + Decimal("416.44")
    assert row["policies"] == 2 and row["written"] == Decimal("3000.00")
    assert row["customers"] == 2  # 张三 (p2) and 李四 (p3); p1 was written before
    assert row["claims"] == 1 and row["incurred"] == Decimal("700.00")
    assert row["earned_lr"] == (Decimal("700") / Decimal("1453.43")).quantize(Decimal("0.0001"))
    # Through April the cancellation (04-10) takes p3 out of written business.
    april, _service = _accident(services, {**Q1, "to": "2026-04-30"})
    assert april["policies"] == 1 and april["written"] == Decimal("1000.00")
    # p3 earned up to 04-09: 2000 × 85/365 = 465.75; p1 2740+300 → 3040 − 1840; p2 80 days
    assert april["earned"] == Decimal("1200.00") + Decimal("219.18") + Decimal("465.75")


def test_the_cube_follows_new_and_changed_policies_and_claims(services) -> None:
    a, _p1, claim = _book(services)
    before, service = _accident(services, Q1)
    actor = services.auth.actor_for("mgr")
    p4 = make_policy(services, a, date(2026, 3, 1), premium="730", line="accident")
    make_claim(services, p4, date(2026, 3, 20), paid="100")
    after, _service = _accident(services, Q1)
    assert after["policies"] == before["policies"] + 1
    assert after["written"] == before["written"] + Decimal("730.00")
    assert after["earned"] == before["earned"] + Decimal("62.00")  # 730 × 31/365
    assert after["claims"] == 2 and after["paid"] == Decimal("600.00")
    assert service.refresh_cube(actor).outcome == "fresh"
    with services.database.session() as session:  # a payment changes a claim
        row = session.get(Claim, claim)
        assert row is not None
        row.paid = Decimal("650")
        row.outstanding = Decimal("0")
        session.add(row)
        session.commit()
    paid, _service = _accident(services, Q1)
    assert paid["paid"] == Decimal("750.00") and paid["incurred"] == Decimal("750.00")
    with services.database.session() as session:  # a customer's industry changes
        customer = session.get(Customer, a)
        assert customer is not None
        customer.industry = "运输业"
        session.add(customer)
        session.commit()
    result = service.run(actor, "structure", {**Q1, "view": "industry"})
    industries = {r["code"]: r for r in result.frame.to_dict("records")}
    assert industries["运输业"]["written"] == Decimal("1730.00")  # p2 and p4 are 张三's
    assert service.refresh_cube(actor, full=True).outcome == "rebuilt"
    again, _service = _accident(services, Q1)
    assert again == paid


def test_part_month_periods_read_the_base_tables_with_the_same_definition(services) -> None:
    _book(services)
    row, _service = _accident(services, {**Q1, "to": "2026-03-30"})
    # one day less of every policy: p1 3650 × 273/365 − 1840, p2 49 days, p3 75 days
    assert row["earned"] == Decimal("890.00") + Decimal("134.25") + Decimal("410.96")
    assert row["policies"] == 2 and row["customers"] == 2


def test_cli_refresh_reports_what_it_did(tmp_path, monkeypatch, capsys) -> None:
    from tests.cli.runner import run_cli
    from tui_crm.services.container import make_services
    from tui_crm.services.setup import ensure_ready
    from tui_crm.storage.db import Database

    url = f"sqlite:///{tmp_path / 'cube.db'}"
    monkeypatch.setenv("TUI_CRM_DATABASE_URL", url)
    monkeypatch.setenv("TUI_CRM_FAST_HASH", "1")
    monkeypatch.setenv("TUI_CRM_PASSWORD", "demo-pass")
    database = Database.from_url(url)
    ensure_ready(database)
    _book(make_services(database, fast_hash=True))
    database.dispose()
    result = run_cli(capsys, ["report", "--refresh", "--user", "mgr", "--json"])
    assert result.code == 0
    assert result.json["cube"] == "rebuilt"
    result = run_cli(capsys, ["report", "--refresh", "--user", "mgr", "--json"])
    assert result.code == 0
    assert result.json["cube"] == "fresh"
    result = run_cli(capsys, ["report", "--rebuild", "--user", "mgr", "--json"])
    assert result.code == 0
    assert result.json["cube"] == "rebuilt"
    assert run_cli(capsys, ["report", "--refresh"]).code == 2  # no user: a usage error


def test_a_report_says_when_it_is_updating_the_cube_first(services) -> None:
    _book(services)
    service = ReportService(services.database, services.clock)
    actor = services.auth.actor_for("mgr")
    said: list[str] = []
    service.run(actor, "product", Q1, progress=lambda done, total, text: said.append(text))
    assert "正在更新报表数据" in said[0]  # the stale cube is brought up to date first
    said.clear()
    service.run(actor, "product", Q1, progress=lambda done, total, text: said.append(text))
    assert not any("正在更新报表数据" in text for text in said)  # fresh: nothing to say
