"""The proposal form as the customer sees it: printed by LibreOffice, every value stands
whole in its own cell on one A4 page (a long address, the tax item, every amount)."""

import re
from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_customer, make_user, make_vehicle
from tests.printed import page_count, page_text, print_to_pdf
from tui_crm.services.container import make_services
from tui_crm.storage.models import Contact

ADDRESS = "浙江省嘉兴市南湖区新兴街道纺工路与中环南路交叉口东南侧嘉兴万达广场写字楼B座1203室"


@pytest.fixture
def services(sqlite_database, clock):
    return make_services(sqlite_database, clock=clock, fast_hash=True)


def test_printed_form_shows_every_value_whole_on_one_page(services, tmp_path) -> None:
    clerk = make_user(services, "clerk", "counter")
    customer = make_customer(
        services, "欧阳明远", id_number="330402199001011230", phone="13812345678"
    )
    with services.database.session() as session:
        session.add(Contact(customer_id=customer, kind="address", value=ADDRESS))
        session.commit()
    vehicle = make_vehicle(
        services,
        customer,
        "浙F12345",
        "LSVAU2180N2123456",
        make_model="大众朗逸 1.5L 自动舒适版",
        displacement=Decimal("1.5"),
        first_registration=date(2024, 5, 6),
        new_car_price=Decimal("129900"),
    )
    values = dict(services.premium.prefill(clerk, customer, vehicle).values)
    cover = ["damage", "third_party:1000000", "driver:10000", "passenger:10000"]
    values.update({"start": "2026-12-01", "claim_free_years": "1", "coverage": cover})
    result = services.premium.quote(clerk, values)
    files = services.proposals.save_form(
        clerk, result, folder=tmp_path, customer_id=customer, vehicle_id=vehicle, formats=("xlsx",)
    )
    assert files.xlsx is not None
    pdf = print_to_pdf(files.xlsx)
    assert page_count(pdf) == 1
    text = page_text(pdf)
    lines = text.splitlines()
    # the name and the ID stand alone on their row, nothing printed over them
    applicant = next(line for line in lines if "欧阳明远" in line)
    assert re.split(r"\s{2,}", applicant.strip())[:4] == [
        "投保人", "欧阳明远", "证件号码", "330402199001011230"
    ]  # fmt: skip
    # the address may wrap inside its cell, but reads whole, in order
    assert ADDRESS in re.sub(r"\s+", "", text)
    assert "浙F12345" in text
    assert re.sub(r"\s+", "", result.tax.band_label) in re.sub(r"\s+", "", text)
    amounts = [result.ctpl.premium, result.tax.amount, result.commercial_total, result.total]
    amounts += [item.premium for item in result.commercial]
    for amount in amounts:
        assert f"{amount:,.2f}" in text, amount  # as the cell's #,##0.00 shows it
