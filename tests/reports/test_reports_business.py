"""Intermediary, account manager, structure and class reports on the hand-made book."""

from decimal import Decimal

import pytest

from tests.reports.book import EARNED, PERIOD, build_book, ratio, reports, rows_by
from tui_crm.services.core.errors import ValidationFailed


def test_intermediary_premium_commission_and_profit(services) -> None:
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    result = service.run(mgr, "intermediary", PERIOD)
    rows = rows_by(result)
    broker = rows[book.i2]
    assert broker["segment"] == "江南保险经纪" and broker["im_code"] == "BR001"
    assert broker["written"] == Decimal("43800.00") and broker["commission"] == Decimal("4380.00")
    assert broker["commission_rate"] == Decimal("0.1000")
    assert broker["per_customer"] == Decimal("43800.00")
    earned = EARNED["p5"] + EARNED["p6"]
    assert broker["margin"] == earned - Decimal("20000")
    assert broker["profit"] == earned - Decimal("20000") - Decimal("4380")
    assert broker["commission_of_margin"] is None  # no margin to pay commission from
    agency = rows[book.i1]
    assert agency["written"] == 0 and agency["earned"] == EARNED["p3"]
    assert agency["earned_lr"] == ratio(5000, EARNED["p3"])
    direct = rows[None]
    assert direct["written"] == Decimal("5700.00")  # p1, p2, p7 (p9 cancelled)
    assert direct["earned"] == sum(EARNED[p] for p in ("p1", "p2", "p7", "p9", "p10"))
    assert result.totals is not None and result.totals["written"] == Decimal("49500.00")
    drill = service.drill(mgr, result, list(result.frame["code"]).index(book.i2))
    assert list(drill.frame["customer_id"]) == [book.c]
    kinds = rows_by(service.run(mgr, "intermediary", {**PERIOD, "view": "kind"}))
    assert set(kinds) == {"agency", "broker", None}


def test_account_manager_ranking(services) -> None:
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    result = service.run(mgr, "account_manager", PERIOD)
    am1_id, am2_id = (services.auth.actor_for(u).id for u in ("am1", "am2"))
    assert list(result.frame["code"]) == [None, am1_id, am2_id]  # by written premium
    am1 = rows_by(result)[am1_id]
    assert am1["rank"] == 2 and am1["unit_code"] == "330402"
    assert am1["written"] == Decimal("4600.00") and am1["new_premium"] == Decimal("4600.00")
    assert am1["expiring"] == 1 and am1["renewed"] == 1 and am1["renewal_rate"] == 1
    assert am1["earned_lr"] == ratio(6500, EARNED["p1"] + EARNED["p2"] + EARNED["p3"])
    by_ratio = service.run(mgr, "account_manager", {**PERIOD, "rank_by": "earned_lr"})
    assert list(by_ratio.frame["code"]) == [am2_id, am1_id, None]
    drill = service.drill(mgr, result, 1)
    assert set(drill.frame["customer_id"]) == {book.a, book.b}
    july = rows_by(service.run(mgr, "account_manager", {"from": "2026-07-01", "to": "2026-07-31"}))
    assert july[am1_id]["renewal_premium"] == Decimal("7300.00") and july[am1_id]["renewals"] == 1


def test_structure_segments_and_monthly_counts(services) -> None:
    build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    industry = rows_by(service.run(mgr, "structure", PERIOD))
    transport = industry["运输业"]
    assert transport["customers"] == 2 and transport["written"] == Decimal("44900.00")
    assert transport["lines_per_customer"] == Decimal("1.50")  # C: 2 lines, D: 1
    assert transport["line_property"] == Decimal("36500.00")
    assert transport["line_ctpl"] == Decimal("1100.00")
    assert industry[None]["line_motor_commercial"] == Decimal("3650.00")
    ownership = rows_by(service.run(mgr, "structure", {**PERIOD, "view": "ownership"}))
    assert ownership["government"]["earned"] == EARNED["p10"]
    monthly = service.run(mgr, "structure", {**PERIOD, "view": "monthly"})
    months = rows_by(monthly, "segment")
    assert months["2026-03"]["key"] == 1 and months["2026-01"]["key"] == 0
    assert monthly.totals is None
    with pytest.raises(ValidationFailed):  # counts per month: no customers behind a row
        service.drill(mgr, monthly, 2)


def test_class_counts_and_flows_respect_scope(services) -> None:
    book = build_book(services)
    mgr, am1 = services.auth.actor_for("mgr"), services.auth.actor_for("am1")
    service = reports(services)
    months = rows_by(service.run(mgr, "classes", PERIOD), "segment")
    assert months["2026-01"]["standard"] == 4 and months["2026-01"]["total"] == 4
    assert months["2026-03"]["prospect"] == 1 and months["2026-03"]["key"] == 1
    assert months["2026-02"]["recorded"] == ""
    mine = rows_by(service.run(am1, "classes", PERIOD), "segment")  # 南湖 only
    assert mine["2026-01"]["standard"] == 2 and mine["2026-03"]["prospect"] == 0
    # Class the day before the period × class at its end (the classification's definition).
    flows = service.run(mgr, "classes", {**PERIOD, "view": "flows"})
    matrix = rows_by(flows)
    assert matrix["new"]["standard"] == 1  # A: first classified in the period
    assert matrix["standard"]["standard"] == 1  # B stayed
    assert matrix["standard"]["key"] == 1 and matrix["standard"]["prospect"] == 1  # C, E
    assert matrix["standard"]["total"] == 3 and matrix["standard"]["moved"] == 2
    assert flows.totals is not None and flows.totals["total"] == 4
    drill = service.drill(mgr, flows, list(flows.frame["code"]).index("standard"))
    assert set(drill.frame["customer_id"]) == {book.b, book.c, book.e}
    narrow = rows_by(service.run(am1, "classes", {**PERIOD, "view": "flows"}))  # 南湖: A, B, C
    assert narrow["standard"]["prospect"] == 0 and narrow["standard"]["key"] == 1
    assert narrow["new"]["standard"] == 1
