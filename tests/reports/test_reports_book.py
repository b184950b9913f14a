"""The hand-made report book's worked answers, and the product and corporate reports
against it (the book and its expected figures are in `tests/reports/book.py`)."""

from decimal import Decimal

from tests.reports.book import EARNED, PERIOD, build_book, ratio, reports, rows_by


def test_worked_answers_are_what_the_formula_says() -> None:
    assert EARNED["p1"] == Decimal("1810.00") and EARNED["p7"] == Decimal("274.25")
    assert EARNED["p9"] == Decimal("28.00") and EARNED["p10"] == Decimal("590.00")


def test_product_lines_mix(services) -> None:
    build_book(services)
    mgr = services.auth.actor_for("mgr")
    result = reports(services).run(mgr, "product", PERIOD)
    lines = rows_by(result)
    motor = lines["motor_commercial"]
    assert motor["policies"] == 1 and motor["written"] == Decimal("3650.00")
    assert motor["earned"] == EARNED["p1"] + EARNED["p3"]
    assert motor["claims"] == 2  # the withdrawn claim and the one after T do not count
    assert motor["paid"] == Decimal("6000.00") and motor["incurred"] == Decimal("6500.00")
    assert motor["earned_lr"] == ratio(6500, EARNED["p1"] + EARNED["p3"])
    assert motor["simple_lr"] == ratio(6000, 3650)
    ctpl = lines["ctpl"]
    assert ctpl["policies"] == 2 and ctpl["customers"] == 2
    assert ctpl["written"] == Decimal("2050.00") and ctpl["claims"] == 0  # declined: not counted
    assert lines["accident"]["written"] == Decimal("0.00")  # cancelled by T
    assert lines["accident"]["earned"] == EARNED["p9"]
    assert lines["liability"]["earned"] == EARNED["p6"] + EARNED["p10"]
    totals = result.totals
    assert totals is not None
    assert totals["written"] == Decimal("49500.00")
    assert totals["earned"] == sum(EARNED.values())
    assert totals["incurred"] == Decimal("26500.00")
    assert totals["earned_lr"] == ratio(26500, sum(EARNED.values()))
    assert totals["share"] == Decimal("1.0000")
    assert lines["property"]["share"] == ratio(36500, 49500)
    assert result.column("earned_lr").loss_ratio == "earned"
    assert result.column("simple_lr").loss_ratio == "simple"


def test_product_motor_views_and_drill(services) -> None:
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    uses = rows_by(service.run(mgr, "product", {**PERIOD, "view": "use"}))
    assert set(uses) == {"family", "taxi", "truck"}  # motor lines only
    assert uses["family"]["written"] == Decimal("4600.00")
    assert uses["taxi"]["earned"] == EARNED["p3"] and uses["taxi"]["written"] == 0
    ages = rows_by(service.run(mgr, "product", {**PERIOD, "view": "age"}))
    assert set(ages) == {"6-9", "10+", "2-3"}  # registered 2020, 2015, 2024 vs 2026
    seats = rows_by(service.run(mgr, "product", {**PERIOD, "view": "seats"}))
    assert set(seats) == {"<6"}  # 5, 5 and 3 seats
    assert seats["<6"]["policies"] == 3 and seats["<6"]["earned"] == (
        EARNED["p1"] + EARNED["p2"] + EARNED["p3"] + EARNED["p7"]
    )
    makes = service.run(mgr, "product", {**PERIOD, "view": "make_model", "top": "1"})
    assert list(makes.frame["segment"]) == ["大众朗逸"]
    result = service.run(mgr, "product", {**PERIOD, "view": "use"})
    row = list(result.frame["code"]).index("taxi")
    drill = service.drill(mgr, result, row)
    assert list(drill.frame["customer_id"]) == [book.b]
    assert drill.frame.iloc[0]["earned"] == EARNED["p3"]
    assert drill.frame.iloc[0]["incurred"] == Decimal("5000.00")


def test_corporate_views(services) -> None:
    book = build_book(services)
    mgr = services.auth.actor_for("mgr")
    service = reports(services)
    overview = rows_by(service.run(mgr, "corporate", PERIOD))
    assert set(overview) == {"property", "liability", "ctpl"}
    assert overview["liability"]["written"] == Decimal("7300.00")
    assert overview["liability"]["earned"] == EARNED["p6"] + EARNED["p10"]
    large = service.run(mgr, "corporate", {**PERIOD, "view": "large"})
    assert list(large.frame["customer_id"]) == [book.c, book.d, book.e]
    first = large.frame.iloc[0]
    assert first["written"] == Decimal("43800.00") and first["lines"] == 2
    assert first["share"] == ratio(43800, 44900)  # of corporate and government premium
    assert first["earned_lr"] == ratio(20000, EARNED["p5"] + EARNED["p6"])
    cross = rows_by(service.run(mgr, "corporate", {**PERIOD, "view": "cross"}))
    assert cross[2]["customers"] == 1 and cross[2]["written"] == Decimal("43800.00")
    assert cross[1]["customers"] == 1 and cross[1]["written"] == Decimal("1100.00")
    new = service.run(mgr, "corporate", {**PERIOD, "view": "new"})
    assert list(new.frame["segment"]) == ["2026-02", "2026-04"]  # E's first policy was 2025
    assert list(new.frame["written"]) == [Decimal("43800.00"), Decimal("1100.00")]
    groups = service.run(mgr, "corporate", {**PERIOD, "view": "groups"})
    group = groups.frame.iloc[0]
    assert group["segment"] == "嘉兴物流集团" and group["members"] == 2
    assert group["written"] == Decimal("44900.00") and group["incurred"] == Decimal("20000.00")
    drill = service.drill(mgr, groups, 0)
    assert set(drill.frame["customer_id"]) == {book.c, book.d}
    drill = service.drill(mgr, service.run(mgr, "corporate", {**PERIOD, "view": "cross"}), 1)
    assert list(drill.frame["customer_id"]) == [book.c]
