"""Individual, customer value, loyalty, key customer and risk/credit reports on the book."""

from datetime import date
from decimal import Decimal

from tests.reports.book import EARNED, PERIOD, build_book, ratio, reports, rows_by


def test_individual_overview_payment_and_new_renewal(services) -> None:
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    lines = rows_by(service.run(mgr, "individual", PERIOD))
    assert set(lines) == {"motor_commercial", "ctpl", "accident"}
    assert lines["motor_commercial"]["sum_insured"] == Decimal("365000.00")  # p1 only written
    assert lines["motor_commercial"]["earned"] == EARNED["p1"] + EARNED["p3"]
    payment = rows_by(service.run(mgr, "individual", {**PERIOD, "view": "payment"}))
    # Receivables of A's policies written in the period; today is 2026-11-25.
    assert payment["paid"]["amount"] == Decimal("3650.00") and payment["paid"]["balance"] == 0
    assert payment["overdue"]["amount"] == Decimal("950.00")
    assert payment["overdue"]["balance"] == Decimal("950.00")
    assert payment["partial"]["receivables"] == 0 and payment["due"]["receivables"] == 0
    result = service.run(mgr, "individual", {**PERIOD, "view": "payment"})
    drill = service.drill(mgr, result, list(result.frame["code"]).index("overdue"))
    assert list(drill.frame["customer_id"]) == [book.a]
    months = service.run(mgr, "individual", {**PERIOD, "view": "new_renewal"})
    assert len(months.frame) == 6
    january = months.frame.iloc[0]
    assert january["segment"] == "2026-01" and january["new_customers"] == 1
    assert january["new_policies"] == 2 and january["new_premium"] == Decimal("4600.00")
    assert months.totals is not None and months.totals["renewals"] == 0  # B renews in July
    july = service.run(
        mgr, "individual", {"from": "2026-07-01", "to": "2026-07-31", "view": "new_renewal"}
    )
    assert july.frame.iloc[0]["renewals"] == 1
    assert july.frame.iloc[0]["renewal_premium"] == Decimal("7300.00")
    assert july.frame.iloc[0]["renewal_share"] == Decimal("1.0000")


def test_customer_value_top_bottom_and_years(services) -> None:
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    value = {
        book.a: EARNED["p1"] + EARNED["p2"] + EARNED["p9"] - Decimal("1500"),
        book.b: EARNED["p3"] - Decimal("5000"),  # p3's commission was written before
        book.c: EARNED["p5"] + EARNED["p6"] - Decimal("20000") - Decimal("4380"),
        book.d: EARNED["p7"],
        book.e: EARNED["p10"],
    }
    expected = sorted(value, key=lambda k: -value[k])
    top = service.run(mgr, "customer_value", PERIOD)
    assert list(top.frame["customer_id"]) == expected
    assert [r["value"] for r in top.frame.to_dict("records")] == [value[k] for k in expected]
    bottom = service.run(mgr, "customer_value", {**PERIOD, "view": "bottom", "top": "2"})
    assert list(bottom.frame["customer_id"]) == [book.c, book.b]
    c_row = bottom.frame.iloc[0]
    # C: nothing in force on 2026-01-01; p5 + p6 (sum insured = premium × 100) on 2026-06-30.
    assert c_row["insured_start"] == 0 and c_row["insured_end"] == Decimal("4380000.00")
    e_row = rows_by(top, "customer_id")[book.e]
    assert e_row["insured_start"] == Decimal("365000.00") and e_row["insured_end"] == 0
    assert e_row["insured_growth"] == Decimal("-1.0000")
    years = service.run(
        mgr, "customer_value", {"from": "2025-01-01", "to": "2026-06-30", "view": "years"}
    )
    assert list(years.frame["segment"]) == ["2025", "2026-01-01 – 2026-06-30"]
    y2026 = years.frame.iloc[1]
    assert y2026["written"] == Decimal("49500.00") and y2026["incurred"] == Decimal("26500.00")
    assert y2026["earned"] == sum(EARNED.values())


def test_loyalty_by_kind_and_drill_lists_the_lost(services) -> None:
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    result = service.run(mgr, "loyalty", PERIOD)
    kinds = rows_by(result)
    person = kinds["individual"]
    assert person["customers"] == 2 and person["new"] == 1  # A's first policy is in the period
    assert person["at_start"] == 2 and person["lost"] == 0
    assert person["expiring"] == 1 and person["renewed"] == 1  # p3 renewed by p4
    assert person["renewal_rate"] == Decimal("1.0000")
    # Tenure to 2026-06-30: A 180 days, B 364 days → (544 / 365) / 2 = 0.745 → 0.75.
    assert person["tenure"] == Decimal("0.75")
    assert person["lines_per_customer"] == Decimal("2.00")  # A: 3 lines (accident until Mar), B: 1
    government = kinds["government"]
    assert government["at_start"] == 1 and government["lost"] == 1
    assert government["churn"] == Decimal("1.0000") and government["renewal_rate"] == 0
    corporate = kinds["corporate"]
    assert corporate["customers"] == 2 and corporate["at_start"] == 0 and corporate["churn"] is None
    drill = service.drill(mgr, result, list(result.frame["code"]).index("government"))
    assert list(drill.frame["customer_id"]) == [book.e]
    tenure = rows_by(service.run(mgr, "loyalty", {**PERIOD, "view": "tenure"}))
    assert tenure["<1"]["customers"] == 4  # A, B, C, D started less than a year before T
    assert tenure["1-2"]["customers"] == 1 and tenure["1-2"]["lost"] == 1  # E since 2025-01


def test_key_customers_contribution_and_cross_sell(services) -> None:
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    result = service.run(mgr, "key_customers", PERIOD)
    assert list(result.frame["customer_id"]) == [book.c]  # key since 2026-03-31 (history)
    row = result.frame.iloc[0]
    assert row["written"] == Decimal("43800.00") and row["share"] == ratio(43800, 49500)
    assert row["incurred"] == Decimal("20000.00")
    before = service.run(mgr, "key_customers", {"from": "2026-01-01", "to": "2026-02-28"})
    assert before.row_count == 0  # not key yet on 2026-02-28
    cross = service.run(mgr, "key_customers", {**PERIOD, "view": "cross_sell"})
    offer = cross.frame.iloc[0]
    assert offer["held"] == "责任险、企业财产险"
    assert offer["missing"] == "交强险、商业车险、货物运输险、意外伤害险、工程险"
    assert offer["missing_count"] == 5
    drill = service.drill(mgr, cross, 0)
    assert list(drill.frame["customer_id"]) == [book.c]


def test_risk_traits_receivables_and_ageing(services) -> None:
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    traits = service.run(mgr, "risk_credit", PERIOD)
    records = traits.frame.to_dict("records")
    genders = {r["code"]: r for r in records if r["trait_code"] == "gender"}
    assert genders["M"]["earned"] == EARNED["p1"] + EARNED["p2"] + EARNED["p9"]
    assert genders["F"]["incurred"] == Decimal("5000.00")
    overall = ratio(26500, sum(EARNED.values()))
    assert genders["F"]["earned_lr"] == ratio(5000, EARNED["p3"])
    assert genders["F"]["relativity"] == ratio(ratio(5000, EARNED["p3"]), overall)
    for trait in {r["trait_code"] for r in records}:  # each trait adds up to the whole book
        total = sum(r["earned"] for r in records if r["trait_code"] == trait)
        assert total == sum(EARNED.values()), trait
    rows = service.run(mgr, "risk_credit", {**PERIOD, "view": "receivables"})
    by_customer = rows_by(rows, "customer_id")
    assert list(rows.frame["customer_id"]) == [book.c, book.d, book.a]  # by balance
    c, d, a = by_customer[book.c], by_customer[book.d], by_customer[book.a]
    assert c["balance"] == Decimal("7300.00") and c["d30"] == Decimal("7300.00")
    assert c["max_days"] == 10 and c["trouble"] == "是"  # unpaid share 100%
    assert d["balance"] == Decimal("1000.00") and d["d90"] == Decimal("1000.00")
    assert d["rate"] == ratio(1000, 1100) and d["max_days"] == 90
    assert a["balance"] == Decimal("950.00") and a["d180"] == Decimal("950.00")
    assert a["rate"] == ratio(950, 4600) and a["trouble"] == "是"  # 180 days > 90
    ageing = rows_by(service.run(mgr, "risk_credit", {**PERIOD, "view": "ageing"}))
    assert ageing["d30"]["balance"] == Decimal("7300.00")
    assert ageing["d180"]["customers"] == 1 and ageing["current"]["balance"] == 0
    result = service.run(mgr, "risk_credit", {**PERIOD, "view": "ageing"})
    drill = service.drill(mgr, result, list(result.frame["code"]).index("d90"))
    assert list(drill.frame["customer_id"]) == [book.d]
    assert date(2026, 6, 30) == date.fromisoformat(PERIOD["to"])
