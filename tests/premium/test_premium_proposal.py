"""The proposal form (投保单): printable A4 xlsx read back with openpyxl, line-printer
text, recorded in the customer's history, masked per role, refused out of scope."""

from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlmodel import select

from tests.factories import make_customer, make_user, make_vehicle
from tui_crm.services.core.errors import Forbidden, ValidationFailed
from tui_crm.services.premium.proposal_layout import rmb_upper
from tui_crm.storage.models import AuditLog, RolePermission, ServiceContact

COVER = ["damage", "third_party:1000000", "driver:10000"]


def _book(services):
    customer = make_customer(services, "张三", id_number="330402199001011234", phone="13812345678")
    vehicle = make_vehicle(
        services,
        customer,
        "浙F12345",
        "LSVAU2180N2123456",
        make_model="大众朗逸 1.5L",
        displacement=Decimal("1.5"),
        first_registration=date(2024, 5, 6),
        new_car_price=Decimal("129900"),
    )
    return customer, vehicle


def _quote(services, actor, customer, vehicle):
    values = dict(services.premium.prefill(actor, customer, vehicle).values)
    values.update({"start": "2026-12-01", "claim_free_years": "1", "coverage": COVER})
    return services.premium.quote(actor, values)


def _cells(path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path).active
    return {
        cell.coordinate: cell.value
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def test_printed_form_reads_back_and_is_recorded(services, tmp_path) -> None:
    clerk = make_user(services, "clerk", "counter")
    customer, vehicle = _book(services)
    result = _quote(services, clerk, customer, vehicle)
    files = services.proposals.save_form(
        clerk, result, folder=tmp_path / "forms", customer_id=customer, vehicle_id=vehicle
    )
    assert files.xlsx is not None and files.txt is not None and files.xlsx.exists()
    sheet = openpyxl.load_workbook(files.xlsx).active
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_area == f"'投保单'!$A$1:$F${sheet.max_row}"
    values = list(_cells(files.xlsx).values())
    assert values[0] == "机动车保险投保单"
    for expected in (
        "张三",
        "330402199001011234",
        "13812345678",
        "浙F12345",
        "LSVAU2180N2123456",
        "大众朗逸 1.5L",
        "家庭自用汽车",
        "机动车损失保险",
        "第三者责任保险",
        "投保人签名/盖章：____________________",
    ):
        assert expected in values, expected
    assert "自 2026年12月1日 零时起至 2027年11月30日 二十四时止" in values
    assert any(isinstance(v, str) and v.startswith("投保人声明") for v in values)
    assert Decimal(str(values[values.index("合计（人民币）") + 1])) == result.total
    assert rmb_upper(result.total) in values
    assert 180000 in values and 855 in values  # 交强险 limit; 950 × 0.90
    text = files.txt.read_text(encoding="utf-8")
    assert "张三" in text and "浙F12345" in text and f"{result.total:.2f}" in text
    contact = services.database.session().exec(select(ServiceContact)).one()
    assert (contact.customer_id, contact.kind, contact.document_path) == (
        customer,
        "proposal_printed",
        str(files.xlsx),
    )
    assert files.service_contact_id == contact.id and f"{result.total:.2f}" in contact.subject
    audit = (
        services.database.session()
        .exec(select(AuditLog).where(AuditLog.action == "proposal.print"))
        .one()
    )
    assert audit.entity_id == str(customer) and '"unmasked_id": true' in (audit.after or "")


def test_roles_that_may_not_reveal_print_masked(services, tmp_path) -> None:
    with services.database.session() as session:
        for permission in ("quote.run", "proposal.print"):
            session.add(RolePermission(role="trainee", permission=permission))
        session.commit()
    trainee = make_user(services, "trainee1", "trainee")
    customer, vehicle = _book(services)
    files = services.proposals.save_form(
        trainee,
        _quote(services, trainee, customer, vehicle),
        folder=tmp_path,
        customer_id=customer,
        vehicle_id=vehicle,
        formats=("xlsx",),
    )
    values = list(_cells(files.xlsx).values())
    assert "330402********1234" in values and "138****5678" in values
    assert "330402199001011234" not in values and files.txt is None


def test_out_of_scope_customers_are_refused(services, tmp_path) -> None:
    clerk = make_user(services, "clerk", "counter")
    other = make_user(services, "clerk_xz", "counter", "330411")
    customer, vehicle = _book(services)
    result = _quote(services, clerk, customer, vehicle)
    with pytest.raises(Forbidden):
        services.premium.prefill(other, customer, vehicle)
    with pytest.raises(Forbidden):
        services.proposals.save_form(
            other, result, folder=tmp_path / "forms", customer_id=customer, vehicle_id=vehicle
        )
    assert not (tmp_path / "forms").exists()


def test_a_trial_from_scratch_prints_without_history(services, tmp_path) -> None:
    clerk = make_user(services, "clerk", "counter")
    result = services.premium.quote(clerk, {"use": "family", "seats": "5", "displacement": "1.6"})
    files = services.proposals.save_form(clerk, result, folder=tmp_path, encoding="gb18030")
    assert files.service_contact_id is None and files.customer_id is None
    assert "机动车保险投保单" in files.txt.read_bytes().decode("gb18030")
    assert not services.database.session().exec(select(ServiceContact)).all()


def test_print_refusals(services, tmp_path) -> None:
    clerk = make_user(services, "clerk", "counter")
    result = services.premium.quote(clerk, {"use": "family", "seats": "5", "displacement": "1.6"})
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ValidationFailed) as caught:
        services.proposals.save_form(clerk, result, folder=blocker / "sub")
    assert caught.value.field == "folder"
    with pytest.raises(ValidationFailed) as caught:
        services.proposals.save_form(clerk, result, folder=tmp_path, encoding="latin-1")
    assert caught.value.field == "encoding"
    claims = make_user(services, "claimsman", "claims")
    with pytest.raises(Forbidden):
        services.proposals.save_form(claims, result, folder=tmp_path)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("0.5", "伍角整"),
        ("0.05", "伍分"),
        ("1200", "壹仟贰佰元整"),
        ("1010", "壹仟零壹拾元整"),
        ("100500.05", "壹拾万零伍佰元零伍分"),
        ("2501.30", "贰仟伍佰零壹元叁角整"),
        ("10000000", "壹仟万元整"),
        ("100000001", "壹亿零壹元整"),
        ("1996.67", "壹仟玖佰玖拾陆元陆角柒分"),
    ],
)
def test_amount_in_words(amount: str, words: str) -> None:
    assert rmb_upper(Decimal(amount)) == words
