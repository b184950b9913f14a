"""Earned premium (1/365) and the two loss ratios: Python and SQL agree to the fen."""

from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlmodel import select as sqlmodel_select

from tests.factories import make_customer, make_policy
from tui_crm.services.core.earned import (
    LossRatioKind,
    earned_days,
    earned_loss_ratio,
    earned_premium,
    earned_premium_sql,
    format_ratio,
    in_force_sql,
    simple_loss_ratio,
)
from tui_crm.storage.models import Policy

D = date(2026, 11, 25)


def test_earned_premium_one_year_policy() -> None:
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert earned_premium(Decimal("1000"), start, end, date(2025, 12, 31)) == Decimal("0.00")
    assert earned_premium(Decimal("1000"), start, end, start) == Decimal("2.74")  # 1/365
    # 329 of 365 days: 901.369… → 901.37
    assert earned_premium(Decimal("1000"), start, end, D) == Decimal("901.37")
    assert earned_premium(Decimal("1000"), start, end, end) == Decimal("1000.00")
    assert earned_premium(Decimal("1000"), start, end, date(2030, 1, 1)) == Decimal("1000.00")


def test_earned_premium_window_cancellation_and_half_fen() -> None:
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    # cancelled on 1 March: covered 1 Jan … 28 Feb = 59 days
    assert earned_days(start, end, D, cancelled_on=date(2026, 3, 1)) == 59
    assert earned_premium(Decimal("365"), start, end, D, cancelled_on=date(2026, 3, 1)) == Decimal(
        "59.00"
    )
    # a cancellation after the as-of date does not count yet
    assert earned_days(start, end, date(2026, 2, 1), cancelled_on=date(2026, 3, 1)) == 32
    # only the days inside the window
    assert earned_days(start, end, D, since=date(2026, 11, 1)) == 25
    # half a fen rounds up: 0.01 over two days, one day earned
    assert earned_premium(Decimal("0.01"), start, date(2026, 1, 2), start) == Decimal("0.01")


def test_loss_ratios_and_labels() -> None:
    assert earned_loss_ratio(Decimal("100"), Decimal("50"), Decimal("100")) == Decimal("1.5")
    assert earned_loss_ratio(Decimal("1"), Decimal("0"), Decimal("0")) is None
    assert simple_loss_ratio(Decimal("30"), Decimal("100")) == Decimal("0.3")
    assert simple_loss_ratio(Decimal("30"), Decimal("0")) is None
    assert LossRatioKind.EARNED.label == "满期赔付率"
    assert format_ratio(Decimal("1.82")) == "182%"
    assert format_ratio(Decimal("1.5004"), against=Decimal("1.5")) == "150.04%"
    assert format_ratio(None) == "—"


def test_sql_earned_premium_matches_python(services) -> None:
    customer = make_customer(services, "甲")
    cases = [
        (date(2026, 1, 1), None, "1000", "active", None),
        (date(2024, 2, 29), None, "1234.56", "active", None),  # leap day start
        (date(2026, 6, 1), None, "777.77", "cancelled", date(2026, 8, 15)),
        (date(2026, 6, 1), None, "500", "cancelled", None),  # cancelled, no date: nothing
        (date(2027, 1, 1), None, "900", "active", None),  # not started
        (date(2026, 11, 25), date(2026, 11, 26), "0.01", "active", None),
    ]
    for start, end, premium, status, cancelled in cases:
        make_policy(
            services,
            customer,
            start,
            premium=premium,
            end=end,
            status=status,
            cancelled_on=cancelled,
        )
    since = date(2025, 11, 26)
    expected_total = expected_window = Decimal(0)
    with services.database.session() as session:
        for policy in session.exec(sqlmodel_select(Policy)).all():
            cancel = policy.cancelled_on
            if policy.status == "cancelled" and cancel is None:
                cancel = policy.start_date  # cancelled from the start
            args = (policy.premium, policy.start_date, policy.end_date, D)
            expected_total += earned_premium(*args, cancelled_on=cancel)
            expected_window += earned_premium(*args, since=since, cancelled_on=cancel)
    with services.database.connect() as connection:
        total, window, in_force = connection.execute(
            select(
                func.sum(earned_premium_sql(Policy, D)),
                func.sum(earned_premium_sql(Policy, D, since=since)),
                func.sum(case((in_force_sql(Policy, D), 1), else_=0)),
            )
        ).one()
    assert expected_total == Decimal("1234.56") + Decimal("901.37") + Decimal("159.82") + Decimal(
        "0.01"
    )
    assert Decimal(int(total)) / 100 == expected_total
    assert Decimal(int(window)) / 100 == expected_window
    assert int(in_force) == 2  # the 2026 annual policy and the two-day one
